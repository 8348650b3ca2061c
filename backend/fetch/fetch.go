// Package fetch turns an asset's `input` (an absolute path, a file:// URL or
// an http(s):// URL) into a local file ffmpeg can read, without ever
// touching the user's original.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"reelvault/backend/internal/partfile"
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

// Limits bound a download. Zero fields take the defaults.
type Limits struct {
	MaxBytes int64         // the largest input accepted (default 200 GiB)
	Total    time.Duration // the whole download (default 2 h)
	// Header is how long the server may take to answer the request once
	// connected (default 1 min); Idle how long it may stay silent between
	// two reads of the body (default 1 min). A server that accepts and
	// never answers fails after Header, one that stalls mid-way after Idle.
	Header time.Duration
	Idle   time.Duration
}

func (l *Limits) defaults() {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 200 << 30
	}
	if l.Total <= 0 {
		l.Total = 2 * time.Hour
	}
	if l.Header <= 0 {
		l.Header = time.Minute
	}
	if l.Idle <= 0 {
		l.Idle = time.Minute
	}
}

// NewClient is an http client whose connections are set up within connect
// (TCP and TLS each); Download adds the header and idle-read timeouts.
func NewClient(connect time.Duration) *http.Client {
	if connect <= 0 {
		connect = 30 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = connect
	return &http.Client{Transport: tr}
}

// Hooks let the caller follow a download. Either may be nil.
type Hooks struct {
	// Room is asked, once the size is known (-1 when the server does not
	// say), whether the disk has room; an error stops the download before
	// a byte is written and is returned as is.
	Room func(size int64) error
	// Progress is told the bytes written so far and the total (-1 when unknown).
	Progress func(done, total int64)
}

// errIdle and errHeader are the causes a download's context is cancelled with.
var (
	errIdle   = errors.New("idle")
	errHeader = errors.New("no answer")
)

// Download saves an http(s) input to dst, through a part file so a partial
// download is never taken for a whole one. It gives up on a server that
// does not answer, stalls, takes longer than lim.Total, or sends more than
// lim.MaxBytes.
func Download(ctx context.Context, client *http.Client, in Input, dst string, lim Limits, hooks Hooks) error {
	lim.defaults()
	rawURL := in.URL // messages name the URL without its credentials
	ctx, cancelTotal := context.WithTimeout(ctx, lim.Total)
	defer cancelTotal()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// why words the failure of a request or a read after ctx ended.
	why := func(err error) error {
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errHeader):
			return &Error{fmt.Sprintf("The server of %s did not answer within %s.", rawURL, lim.Header)}
		case errors.Is(cause, errIdle):
			return &Error{fmt.Sprintf("The server of %s sent nothing for %s: the download stalled.", rawURL, lim.Idle)}
		case errors.Is(cause, context.DeadlineExceeded):
			return &Error{fmt.Sprintf("Downloading %s took longer than %s.", rawURL, lim.Total)}
		case cause != nil:
			return cause // the caller cancelled
		}
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return &Error{fmt.Sprintf("The URL %s is not valid: %v.", rawURL, err)}
	}
	if in.Credentials != nil {
		pass, _ := in.Credentials.Password()
		req.SetBasicAuth(in.Credentials.Username(), pass)
	}
	headerTimer := time.AfterFunc(lim.Header, func() { cancel(errHeader) })
	resp, err := client.Do(req)
	headerTimer.Stop()
	if err != nil {
		if ctx.Err() != nil {
			return why(err)
		}
		return &Error{fmt.Sprintf("Could not download %s: %v.", rawURL, errors.Unwrap(err))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &Error{fmt.Sprintf("Could not download %s: the server answered %s.", rawURL, resp.Status)}
	}
	if resp.ContentLength > lim.MaxBytes {
		return &Error{fmt.Sprintf("%s is %d bytes, more than the %d bytes allowed.", rawURL, resp.ContentLength, lim.MaxBytes)}
	}
	if hooks.Room != nil {
		if err := hooks.Room(resp.ContentLength); err != nil {
			return err
		}
	}
	f, err := partfile.Create(dst, 0o644)
	if err != nil {
		return err
	}
	defer f.Abort()
	body := &watchedReader{r: io.LimitReader(resp.Body, lim.MaxBytes+1), idle: lim.Idle,
		timer: time.AfterFunc(lim.Idle, func() { cancel(errIdle) })}
	defer body.timer.Stop()
	var w io.Writer = f
	if hooks.Progress != nil {
		w = &progressWriter{w: f, total: resp.ContentLength, report: hooks.Progress}
	}
	n, err := io.Copy(w, body)
	switch {
	case err == nil && n > lim.MaxBytes:
		return &Error{fmt.Sprintf("%s is more than the %d bytes allowed.", rawURL, lim.MaxBytes)}
	case err != nil && ctx.Err() != nil:
		return why(err)
	case err != nil && isWriteError(err):
		return err // the disk's trouble, not the server's (a full disk is retried)
	case err != nil:
		return &Error{fmt.Sprintf("Downloading %s failed: %v.", rawURL, err)}
	}
	return f.Commit()
}

// watchedReader cancels the download (through timer) when a read waits
// longer than idle: every read that returns pushes the deadline back.
type watchedReader struct {
	r     io.Reader
	idle  time.Duration
	timer *time.Timer
}

func (w *watchedReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.timer.Reset(w.idle)
	return n, err
}

// progressWriter reports the bytes written, at most once per 1% (or per MiB
// when the total is unknown), so a caller can record each report.
type progressWriter struct {
	w           io.Writer
	done, total int64
	last        int64
	report      func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if n > 0 {
		p.done += int64(n)
		step := int64(1 << 20)
		if p.total > 0 {
			step = max(p.total/100, 1)
		}
		// The last bytes are always reported, however few: the total is reached.
		if p.done-p.last >= step || (p.total > 0 && p.done >= p.total && p.last < p.done) {
			p.last = p.done
			p.report(p.done, p.total)
		}
	}
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

// writeError marks a failure to write the local copy.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

func isWriteError(err error) bool {
	var we *writeError
	var pe *os.PathError
	return errors.As(err, &we) || errors.As(err, &pe)
}
