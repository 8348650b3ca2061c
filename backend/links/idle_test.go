package links

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// A client that asks for a master and then stops reading is let go once
// its connection has been silent for the idle time, instead of holding it
// (and a goroutine and an open file) for ever. A download that keeps
// reading is not cut, however long it takes.
func TestStalledDownloadIsLetGo(t *testing.T) {
	env := newTestEnv(t, 48<<20)
	h := &Handler{Signer: env.signer, Resolver: env.archive, Now: env.clock.Now}
	srv := httptest.NewUnstartedServer(idleWrites(h, 300*time.Millisecond))
	closed := make(chan struct{})
	var once sync.Once
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			once.Do(func() { close(closed) })
		}
	}
	srv.Start()
	defer srv.Close()
	u, _ := url.Parse(env.link())

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.RequestURI(), srv.Listener.Addr())
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // a backstop: the server should let go within a second
		t.Fatal("the server still holds a connection whose client stopped reading")
	}

	// A whole download through the same writer still arrives intact (sendfile in pieces).
	resp, err := http.Get(srv.URL + u.RequestURI())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := sha256Of(t, resp.Body)
	if resp.StatusCode != http.StatusOK || got != env.master.SHA256 {
		t.Errorf("download through the idle writer: %d, sha256 %s, want the master's %s", resp.StatusCode, got, env.master.SHA256)
	}
}

func sha256Of(t *testing.T, r io.Reader) string {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
