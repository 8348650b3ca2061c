package fetch

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

func TestParse(t *testing.T) {
	cases := []struct {
		raw     string
		want    Input
		wantErr string // substring of the error; "" for success
	}{
		{"/videos/a.mp4", Input{Path: "/videos/a.mp4"}, ""},
		{"  /videos/../videos/a.mp4 ", Input{Path: "/videos/a.mp4"}, ""},
		{"/videos/with space.mp4", Input{Path: "/videos/with space.mp4"}, ""},
		{"file:///videos/a%20b.mp4", Input{Path: "/videos/a b.mp4"}, ""},
		{"file://localhost/videos/a.mp4", Input{Path: "/videos/a.mp4"}, ""},
		{"FILE:///videos/a.mp4", Input{Path: "/videos/a.mp4"}, ""},
		{"file://otherhost/videos/a.mp4", Input{}, "another host"},
		{"file:videos/a.mp4", Input{}, "absolute path"},
		{"videos/a.mp4", Input{}, "neither an absolute path nor a URL"},
		{"./a.mp4", Input{}, "neither an absolute path nor a URL"},
		{"ftp://example.com/a.mp4", Input{}, `scheme "ftp" is not supported`},
		{"", Input{}, "is empty"},
		{"   ", Input{}, "is empty"},
		{"http:///a.mp4", Input{}, "has no host"},
		{"https://", Input{}, "has no host"},
		{"http://example.com/a.mp4?sig=1&x=2", Input{Remote: true, URL: "http://example.com/a.mp4?sig=1&x=2"}, ""},
		{"HTTPS://Example.com/a.mp4", Input{Remote: true, URL: "https://Example.com/a.mp4"}, ""},
		{"https://ed:pa55@example.com/a.mp4", Input{Remote: true, URL: "https://example.com/a.mp4", Credentials: url.UserPassword("ed", "pa55")}, ""},
		{"http://exa mple.com/a.mp4", Input{}, "neither"},
	}
	for _, c := range cases {
		got, err := Parse(c.raw)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("Parse(%q): %v", c.raw, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("Parse(%q) = %+v, %v; want an error saying %q", c.raw, got, err, c.wantErr)
		case c.wantErr == "" && (got.Remote != c.want.Remote || got.Path != c.want.Path || got.URL != c.want.URL ||
			got.Credentials.String() != c.want.Credentials.String()):
			t.Errorf("Parse(%q) = %+v, want %+v", c.raw, got, c.want)
		}
	}
}

func TestCheckLocal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.mp4")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckLocal(file); err != nil {
		t.Errorf("CheckLocal(readable file) = %v", err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.mp4"): "does not exist",
		dir:                               "is a folder",
	} {
		err := CheckLocal(path)
		var fe *Error
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, want) {
			t.Errorf("CheckLocal(%s) = %v, want a fetch.Error saying %q", path, err, want)
		}
	}
	if os.Geteuid() != 0 { // root reads anything
		locked := filepath.Join(dir, "locked.mp4")
		os.WriteFile(locked, []byte("x"), 0o000)
		if err := CheckLocal(locked); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("CheckLocal(unreadable) = %v", err)
		}
	}
}

func download(t *testing.T, url string, maxBytes int64, timeout time.Duration) (string, error) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "in.download")
	in, err := Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	err = Download(context.Background(), http.DefaultClient, in, dst, Limits{MaxBytes: maxBytes, Total: timeout}, Hooks{})
	return dst, err
}

// noLeftovers checks the download folder holds nothing: no .part, no dst.
func noLeftovers(t *testing.T, dst string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(dst))
	for _, e := range entries {
		t.Errorf("left behind after a failed download: %s", e.Name())
	}
}

func fetchError(t *testing.T, err error, want ...string) {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *fetch.Error", err, err)
	}
	for _, w := range want {
		if !strings.Contains(fe.Message, w) {
			t.Errorf("message %q does not say %q", fe.Message, w)
		}
	}
}

func TestDownloadSuccessIsAtomic(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(body)
	}))
	defer srv.Close()
	dst, err := download(t, srv.URL+"/clip.mp4", int64(len(body)), 10*time.Second)
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("downloaded %d bytes (%v), want the %d served", len(got), err, len(body))
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("download folder holds %d entries, want only the file (no .part)", len(entries))
	}
}

func TestDownloadSizeBound(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			// No Content-Length: the bound must hold while reading.
			w.(http.Flusher).Flush()
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.Write(body)
	}))
	defer srv.Close()
	for _, path := range []string{"/known-length", "/chunked"} {
		dst, err := download(t, srv.URL+path, 1000, 10*time.Second)
		fetchError(t, err, "1000 bytes")
		noLeftovers(t, dst)
	}
	// Exactly at the bound is fine.
	if _, err := download(t, srv.URL+"/chunked", int64(len(body)), 10*time.Second); err != nil {
		t.Errorf("a body of exactly maxBytes: %v", err)
	}
}

func TestDownloadTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("some"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		start := time.Now()
		dst, err := download(t, srv.URL+path, 1<<20, 300*time.Millisecond)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: gave up after %v, timeout 300ms", path, d)
		}
		fetchError(t, err, "took longer than 300ms")
		noLeftovers(t, dst)
	}
}

func TestDownloadHTTPErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	dst, err := download(t, srv.URL+"/gone.mp4", 1<<20, 10*time.Second)
	fetchError(t, err, "404 Not Found", srv.URL+"/gone.mp4")
	noLeftovers(t, dst)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dst, err = download(t, "http://"+addr+"/a.mp4", 1<<20, 10*time.Second)
	fetchError(t, err, "Could not download", "connection refused")
	noLeftovers(t, dst)
}

// A cancelled download (the asset was deleted) removes its partial file.
func TestDownloadCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 1<<16))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	dst := filepath.Join(t.TempDir(), "in.download")
	done := make(chan error)
	go func() {
		done <- Download(ctx, http.DefaultClient, Input{Remote: true, URL: srv.URL}, dst, Limits{}, Hooks{})
	}()
	testtime.Until(t, 5*time.Second, "the download to start writing", func() bool {
		st, err := os.Stat(dst + ".part")
		return err == nil && st.Size() > 0
	})
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled download reported success")
	}
	noLeftovers(t, dst)
}

// A server that accepts and never answers fails after the header timeout;
// one that sends a little and then stalls, after the idle timeout; one
// that is slow but keeps sending is not stopped by either. The slow one's
// pauses are well under its idle timeout (150 ms of 1 s) so that a loaded
// machine's scheduling delays cannot make a pause look like a stall; their
// sum is still over it.
func TestDownloadStalls(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/trickle":
			w.Header().Set("Content-Length", "10")
			for i := 0; i < 10; i++ {
				w.Write([]byte("x"))
				w.(http.Flusher).Flush()
				time.Sleep(150 * time.Millisecond) // slow on purpose: each pause is under the idle timeout, their sum is over it
			}
			return
		case "/stall-body":
			w.Write([]byte("some"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	lim := Limits{Header: 200 * time.Millisecond, Idle: 200 * time.Millisecond}
	get := func(path string, lim Limits) (string, error) {
		dst := filepath.Join(t.TempDir(), "in.download")
		return dst, Download(context.Background(), http.DefaultClient, Input{Remote: true, URL: srv.URL + path}, dst, lim, Hooks{})
	}
	dst, err := get("/no-answer", lim)
	fetchError(t, err, "did not answer within 200ms")
	noLeftovers(t, dst)
	dst, err = get("/stall-body", lim)
	fetchError(t, err, "sent nothing for 200ms", "stalled")
	noLeftovers(t, dst)
	if _, err := get("/trickle", Limits{Header: 5 * time.Second, Idle: time.Second}); err != nil {
		t.Errorf("a slow server that keeps sending was stopped: %v", err)
	}
}

// Progress is reported against Content-Length, and Room is asked with it
// before a byte is written: its refusal leaves nothing behind.
func TestDownloadProgressAndRoom(t *testing.T) {
	body := bytes.Repeat([]byte("y"), 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	defer srv.Close()
	dir := t.TempDir()
	in := Input{Remote: true, URL: srv.URL}
	var asked int64
	noRoom := errors.New("no room")
	err := Download(context.Background(), http.DefaultClient, in, filepath.Join(dir, "a"), Limits{},
		Hooks{Room: func(size int64) error { asked = size; return noRoom }})
	if !errors.Is(err, noRoom) || asked != int64(len(body)) {
		t.Fatalf("Room asked with %d, Download = %v; want asked with %d and the refusal returned", asked, err, len(body))
	}
	noLeftovers(t, filepath.Join(dir, "a"))
	var last, total int64
	reports := 0
	err = Download(context.Background(), http.DefaultClient, in, filepath.Join(dir, "b"), Limits{},
		Hooks{Progress: func(done, tot int64) { last, total = done, tot; reports++ }})
	if err != nil || last != int64(len(body)) || total != int64(len(body)) || reports < 10 || reports > 101 {
		t.Errorf("Download = %v; last report %d of %d after %d reports, want %d of %d in 10..101 reports", err, last, total, reports, len(body), len(body))
	}
}
