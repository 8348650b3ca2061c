package app

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

// openStream opens /ui/v1/stream as a browser tab does and waits for the
// server's first comment, so the stream is surely being served.
func openStream(t *testing.T, api apiClient) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", api.base+"/ui/v1/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(api.id, api.secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /ui/v1/stream: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /ui/v1/stream: %d", resp.StatusCode)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "retry:") {
		t.Fatalf("the stream did not start: %q %v", line, err)
	}
	return resp
}

// An open browser tab (an /ui/v1/stream that never ends on its own) must
// not hold the app up at shutdown: its server's base context ends it.
func TestShutdownWithAnOpenStreamIsQuick(t *testing.T) {
	env := childEnv(t, "REELVAULT_TOKEN_ID=sd", "REELVAULT_TOKEN_SECRET=sd-secret")
	p := startServe(t, t.TempDir(), env)
	api := apiClient{t: t, base: p.apiURL, id: "sd", secret: "sd-secret"}
	stream := openStream(t, api)

	started := time.Now()
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.stderr.String())
	}
	if took := time.Since(started); took > time.Second {
		t.Errorf("shutdown with an open stream took %s, want well under a second", took)
	} else {
		t.Logf("shutdown with an open stream took %s", took)
	}
	if _, err := io.ReadAll(stream.Body); err != nil {
		t.Errorf("the stream did not end cleanly: %v", err)
	}
}

// A colleague's download in flight on the share listener finishes during
// shutdown, even with a browser tab's stream open: the share listener
// stops taking new connections at once and drains on its own deadline.
func TestShutdownLetsADownloadInFlightFinish(t *testing.T) {
	requireTools(t)
	// Noise barely compresses: ~12 MB for one second, more than the socket
	// buffers between the server and a client that reads slowly hold, so the
	// server is still writing when the shutdown starts.
	clip := filepath.Join(t.TempDir(), "noise.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi",
		"-i", "nullsrc=s=640x480:r=25,geq=lum='random(1)*255':cb=128:cr=128", "-t", "1",
		"-c:v", "libx264", "-preset", "ultrafast", "-qp", "2", "-pix_fmt", "yuv420p", clip).CombinedOutput(); err != nil {
		t.Fatalf("making the clip: %v\n%s", err, b)
	}
	env := childEnv(t, "REELVAULT_TOKEN_ID=sd", "REELVAULT_TOKEN_SECRET=sd-secret")
	p := startServe(t, t.TempDir(), env)
	api := apiClient{t: t, base: p.apiURL, id: "sd", secret: "sd-secret"}
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`","master_access":"temporary"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := api.asset(status, body).ID
	var a e2eAsset
	testtime.Until(t, 2*time.Minute, "a ready master with a link", func() bool {
		a = api.get(id)
		if a.Status == "errored" {
			t.Fatalf("the asset errored: %+v", a.Errors)
		}
		return a.Master != nil && a.Master.Status == "ready" && a.Master.URL != ""
	})
	if a.MasterSize < 8<<20 {
		t.Fatalf("the master is %d bytes: too small to be still in flight at shutdown", a.MasterSize)
	}
	openStream(t, api)

	// A client with a small receive buffer, reading the first 64 KiB only.
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		Control: func(network, address string, c syscall.RawConn) error {
			var serr error
			c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
			return serr
		}}).DialContext}}
	resp, err := client.Get(a.Master.URL)
	if err != nil {
		t.Fatalf("GET master url: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET master url: %d", resp.StatusCode)
	}
	h := sha256.New()
	if _, err := io.CopyN(h, resp.Body, 64<<10); err != nil {
		t.Fatalf("the first 64 KiB: %v", err)
	}

	sigterm := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	// The shutdown is under way once the share address takes no new
	// connections; only then does the client read on.
	shareHost := strings.TrimPrefix(p.shareURL, "http://")
	testtime.Until(t, 2*time.Second, "the share listener to stop taking connections", func() bool {
		c, err := net.DialTimeout("tcp", shareHost, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	t.Logf("share listener closed %s after SIGTERM", time.Since(sigterm).Round(time.Millisecond))
	n, err := io.Copy(h, resp.Body)
	if n += 64 << 10; err != nil || n != a.MasterSize || hex.EncodeToString(h.Sum(nil)) != a.MasterSHA256 {
		t.Fatalf("download during shutdown: %d of %d bytes (%v), SHA-256 match %v", n, a.MasterSize, err,
			hex.EncodeToString(h.Sum(nil)) == a.MasterSHA256)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("reelvault did not exit after the download finished")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM:\n%s", code, p.stderr.String())
	}
}
