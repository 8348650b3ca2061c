// Package fetch turns an asset's `input` (an absolute path, a file:// URL or
// an http(s):// URL) into a local file ffmpeg can read, without ever
// touching the user's original.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Input is a parsed asset input.
type Input struct {
	Remote      bool          // true for http(s)
	Path        string        // local absolute path (file inputs)
	URL         string        // the http(s) URL (remote inputs), without credentials
	Credentials *url.Userinfo // user:password the URL carried, if any; never shown
}

// Parse checks the form of an input; it does not touch the file or network.
func Parse(raw string) (Input, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Input{}, errors.New("is empty: give an absolute file path, a file:// URL or an http(s):// URL")
	}
	// filepath.IsAbs also takes Windows' `C:\clip.mov` and `\\server\share\clip.mov` there.
	if strings.HasPrefix(raw, "/") || filepath.IsAbs(raw) {
		return Input{Path: filepath.Clean(raw)}, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return Input{}, fmt.Errorf("%q is neither an absolute path nor a URL", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return Input{}, fmt.Errorf("file URL %q names another host; only local files can be read", raw)
		}
		if !strings.HasPrefix(u.Path, "/") {
			return Input{}, fmt.Errorf("file URL %q must hold an absolute path", raw)
		}
		p := u.Path
		if filepath.VolumeName(p[1:]) != "" { // file:///C:/clip.mov on Windows
			p = p[1:]
		}
		return Input{Path: filepath.Clean(filepath.FromSlash(p))}, nil
	case "http", "https":
		if u.Host == "" {
			return Input{}, fmt.Errorf("URL %q has no host", raw)
		}
		// Credentials are split off here, so they are never stored with the
		// asset, logged, or sent to webhooks: only the download uses them.
		creds := u.User
		u.User = nil
		return Input{Remote: true, URL: u.String(), Credentials: creds}, nil
	}
	return Input{}, fmt.Errorf("scheme %q is not supported: use a file path, file:// or http(s)://", u.Scheme)
}

// Error is a failure to get the input, worded for the person who gave it.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// CheckLocal makes sure a local input is a readable regular file.
func CheckLocal(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &Error{fmt.Sprintf("The file %s does not exist.", path)}
	case errors.Is(err, os.ErrPermission):
		return &Error{fmt.Sprintf("The file %s cannot be read: permission denied.", path)}
	case err != nil:
		return &Error{fmt.Sprintf("The file %s cannot be read: %v.", path, err)}
	case st.IsDir():
		return &Error{fmt.Sprintf("%s is a folder, not a video file.", path)}
	case !st.Mode().IsRegular():
		return &Error{fmt.Sprintf("%s is not a regular file.", path)}
	}
	f, err := os.Open(path)
	if err != nil {
		return &Error{fmt.Sprintf("The file %s cannot be read: %v.", path, err)}
	}
	return f.Close()
}

// Download saves an http(s) input to dst, through dst+".part" so a partial
// download is never taken for a whole one. It gives up after timeout or
// past maxBytes.
func Download(ctx context.Context, client *http.Client, in Input, dst string, maxBytes int64, timeout time.Duration) error {
	rawURL := in.URL // messages name the URL without its credentials
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return &Error{fmt.Sprintf("The URL %s is not valid: %v.", rawURL, err)}
	}
	if in.Credentials != nil {
		pass, _ := in.Credentials.Password()
		req.SetBasicAuth(in.Credentials.Username(), pass)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return &Error{fmt.Sprintf("Downloading %s took longer than %s.", rawURL, timeout)}
		}
		return &Error{fmt.Sprintf("Could not download %s: %v.", rawURL, errors.Unwrap(err))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &Error{fmt.Sprintf("Could not download %s: the server answered %s.", rawURL, resp.Status)}
	}
	if resp.ContentLength > maxBytes {
		return &Error{fmt.Sprintf("%s is %d bytes, more than the %d bytes allowed.", rawURL, resp.ContentLength, maxBytes)}
	}
	part := dst + ".part"
	f, err := os.Create(part)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(resp.Body, maxBytes+1))
	if err == nil && n > maxBytes {
		err = &Error{fmt.Sprintf("%s is more than the %d bytes allowed.", rawURL, maxBytes)}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(part)
		var fe *Error
		if errors.As(err, &fe) {
			return err
		}
		if ctx.Err() != nil {
			return &Error{fmt.Sprintf("Downloading %s took longer than %s.", rawURL, timeout)}
		}
		return &Error{fmt.Sprintf("Downloading %s failed: %v.", rawURL, err)}
	}
	return os.Rename(part, dst)
}
