package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/links"
)

type fixedResolver struct{ m links.Master }

func (r fixedResolver) ResolveMaster(ctx context.Context, id string, gen int64) (links.Master, error) {
	if id != "a1" || gen != 1 {
		return links.Master{}, links.ErrRevoked
	}
	return r.m, nil
}

// startShareServer serves links on a free loopback port, as the app does,
// until the test ends.
func startShareServer(t *testing.T, r links.Resolver) *shareServer {
	t.Helper()
	return startShareServerWith(t, r, nil)
}

// startShareServerWith is startShareServer with configure applied before Run.
func startShareServerWith(t *testing.T, r links.Resolver, configure func(*shareServer)) *shareServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	signer, err := shareSigner(key, "", "", ln.Addr())
	if err != nil {
		t.Fatal(err)
	}
	s := newShareServer(ln, signer, key, "", r, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if configure != nil {
		configure(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		s.Shutdown(context.Background())
		if err := <-done; err != nil {
			t.Errorf("share server: %v", err)
		}
	})
	return s
}

// Moving the share listener keeps links working on the new address and
// stops the old one. Both addresses are loopback (tests bind nothing else).
func TestShareListenerMoves(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "m.mp4")
	body := strings.Repeat("master bytes ", 1000)
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startShareServer(t, fixedResolver{links.Master{Path: file, Size: int64(len(body)), ModTime: time.Now(), FileName: "m.mp4"}})

	get := func(url string) (int, string) {
		t.Helper()
		// A new connection each time: open ones are meant to survive a move.
		c := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	expires := time.Now().Add(time.Hour)
	before := s.Signer().URL("a1", 1, expires)
	if code, got := get(before); code != 200 || got != body {
		t.Fatalf("before the move: %d %.60q", code, got)
	}
	oldAddr := s.Addr()

	signer, err := s.Move("127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Addr(), "127.0.0.2:") || !strings.HasPrefix(signer.Base(), "http://127.0.0.2:") {
		t.Fatalf("after the move: bound %s, links on %s", s.Addr(), signer.Base())
	}
	if code, got := get(signer.URL("a1", 1, expires)); code != 200 || got != body {
		t.Fatalf("a link on the new address: %d %.60q", code, got)
	}
	if code, _ := get(before); code != 0 {
		t.Fatalf("the old address %s still answers (%d)", oldAddr, code)
	}
}

// A move to an address that cannot be bound keeps the old one serving.
func TestShareListenerMoveFailureKeepsOldAddress(t *testing.T) {
	s := startShareServer(t, fixedResolver{})
	addr := s.Addr()
	if _, err := s.Move("192.0.2.1"); err == nil { // TEST-NET-1: not an address of this machine
		t.Fatal("moving to an address of another machine succeeded")
	}
	if s.Addr() != addr {
		t.Fatalf("bound to %s after a failed move, want %s", s.Addr(), addr)
	}
	resp, err := http.Get("http://" + addr + "/v/x")
	if err != nil {
		t.Fatalf("the old address stopped answering: %v", err)
	}
	resp.Body.Close()
}
