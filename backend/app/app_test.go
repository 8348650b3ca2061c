package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// freePort is a loopback address nothing listens on (the moment it is asked).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func testConfig(t *testing.T) Config {
	return Config{DataDir: filepath.Join(t.TempDir(), "data"), Listen: "127.0.0.1:0", ShareListen: "127.0.0.1:0",
		RTMPListen: "127.0.0.1:0", LinkTTL: time.Hour}
}

// An Open that fails half-way gives back what it took: the API address
// it had bound can be bound again at once.
func TestOpenThatFailsReleasesItsListeners(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := testConfig(t)
	cfg.Listen = freePort(t)
	cfg.ShareListen = busy.Addr().String()
	_, err = Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger()})
	if err == nil || !strings.Contains(err.Error(), "share listener") {
		t.Fatalf("Open with the share address taken: %v, want a share listener error", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		t.Fatalf("the API address is still held after the failed Open: %v", err)
	}
	ln.Close()
}

// Open, Run, stop: the API answers while running, Run returns nil when
// asked to stop, and every address is free again afterwards.
func TestOpenRunStop(t *testing.T) {
	cfg := testConfig(t)
	cfg.Listen, cfg.ShareListen, cfg.RTMPListen = freePort(t), freePort(t), freePort(t)
	var out strings.Builder
	a, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger(), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "http://"+cfg.Listen) {
		t.Errorf("the printed addresses do not show the API at %s:\n%s", cfg.Listen, out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	resp, err := http.Get("http://" + cfg.Listen + "/video/v1/assets")
	if err != nil {
		t.Fatalf("the API does not answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET assets without credentials: %d, want 401", resp.StatusCode)
	}
	select {
	case <-a.Stopping():
		t.Fatal("Stopping is closed while the app runs")
	default:
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after a requested stop: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	for _, addr := range []string{cfg.Listen, cfg.ShareListen, cfg.RTMPListen} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("%s is still held after Run returned: %v", addr, err)
			continue
		}
		ln.Close()
	}
	select {
	case <-a.Stopping():
	default:
		t.Error("Stopping is not closed after Run returned")
	}
	a.Close() // again: a no-op
}

// A second launch's hand-off, once taken, tells the window to come to the front (HandedOff);
// the same paths posted by a script do not.
func TestHandOffSignalsTheWindow(t *testing.T) {
	cfg := testConfig(t)
	cfg.Listen = freePort(t)
	a, _ := runApp(t, cfg, Options{Log: testmedia.QuietLogger()})

	clip := filepath.Join(t.TempDir(), "clip.mp4")
	if err := os.WriteFile(clip, []byte("not a video: only the hand-off matters here"), 0o644); err != nil {
		t.Fatal(err)
	}
	if handled, err := HandOff(context.Background(), cfg, []string{clip}); !handled || err != nil {
		t.Fatalf("HandOff: %v, %v", handled, err)
	}
	select {
	case <-a.HandedOff():
	case <-time.After(10 * time.Second):
		t.Fatal("the hand-off did not signal the window")
	}

	// A second launch with no files (the menu): only the signal.
	if handled, err := HandOff(context.Background(), cfg, nil); !handled || err != nil {
		t.Fatalf("HandOff without files: %v, %v", handled, err)
	}
	select {
	case <-a.HandedOff():
	case <-time.After(10 * time.Second):
		t.Fatal("a second launch without files did not bring the window to the front")
	}

	// The same request without the hand-off's mark (a script): no signal.
	token, err := loadOrCreateToken(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+cfg.Listen+"/ui/v1/ingest-paths", strings.NewReader(`{"paths":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(token.ID, token.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case <-a.HandedOff():
		t.Error("a script's ingest-paths raised the window")
	default:
	}
}

// The window's placement survives a restart; one out of range is not used.
func TestWindowPlacementIsKept(t *testing.T) {
	cfg := testConfig(t)
	a, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.WindowPlacement(context.Background()); ok {
		t.Error("a new data folder has a window placement")
	}
	want := WindowPlacement{X: 120, Y: 80, Width: 1440, Height: 900}
	if err := a.SaveWindowPlacement(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveWindowPlacement(context.Background(), WindowPlacement{Width: 1 << 30, Height: 900}); err == nil {
		t.Error("a window a billion pixels wide was saved")
	}
	if a.Working() != "" {
		t.Errorf("an idle app says it is working: %q", a.Working())
	}
	a.Close()
	b, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, ok := b.WindowPlacement(context.Background()); !ok || got != want {
		t.Errorf("after a restart the placement is %+v (%v), want %+v", got, ok, want)
	}
}

// The close prompt names an upload while its chunks arrive, and forgets it once it is complete.
func TestWorkingCountsAnUploadBeingSent(t *testing.T) {
	cfg := testConfig(t)
	cfg.Listen = freePort(t)
	a, _ := runApp(t, cfg, Options{Log: testmedia.QuietLogger()})
	token, err := loadOrCreateToken(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, url, body string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.SetBasicAuth(token.ID, token.Secret)
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := call(http.MethodPost, "http://"+cfg.Listen+"/video/v1/uploads", `{"cors_origin":"*"}`)
	var created struct {
		Data struct{ URL string } `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if err != nil || created.Data.URL == "" {
		t.Fatalf("create an upload: %d, %v", resp.StatusCode, err)
	}
	body := strings.Repeat("x", 2000)
	resp = call(http.MethodPut, created.Data.URL, body[:1000], "Content-Range", "bytes 0-999/2000")
	resp.Body.Close()
	if resp.StatusCode != http.StatusPermanentRedirect && resp.StatusCode/100 != 2 {
		t.Fatalf("first chunk: %d", resp.StatusCode)
	}
	if got := a.Working(); got != "1 upload" {
		t.Errorf("with half an upload sent, Working() = %q, want %q", got, "1 upload")
	}
	resp = call(http.MethodPut, created.Data.URL, body[1000:], "Content-Range", "bytes 1000-1999/2000")
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("last chunk: %d", resp.StatusCode)
	}
	if got := a.Working(); strings.Contains(got, "upload") {
		t.Errorf("after the last chunk, Working() = %q still names an upload", got)
	}
}

// runApp opens and runs an App until the test ends; ctx ends when it stops.
func runApp(t *testing.T, cfg Config, opt Options) (*App, context.Context) {
	t.Helper()
	a, err := Open(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-ran })
	return a, ctx
}

// The window saves its placement as it closes, which on a signal comes after the backend began
// to stop: HoldDatabase keeps the database open for that, and Run returns once it is released.
func TestHoldDatabaseOutlivesTheStop(t *testing.T) {
	cfg := testConfig(t)
	a, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	release := a.HoldDatabase()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	cancel() // the signal
	<-a.Stopping()
	want := WindowPlacement{X: 10, Y: 20, Width: 900, Height: 640}
	if err := a.SaveWindowPlacement(context.Background(), want); err != nil {
		t.Fatalf("saving the placement while the backend stops: %v", err)
	}
	select {
	case err := <-ran:
		t.Fatalf("Run returned (%v) while the database was held", err)
	default:
	}
	release()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	b, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, ok := b.WindowPlacement(context.Background()); !ok || got != want {
		t.Errorf("after the restart: %+v %v, want %+v", got, ok, want)
	}
}

// serve on every network (--listen 0.0.0.0:PORT) printed its UI and login link as
// "http://[::]:PORT": no address to open. They name loopback, which that listener answers on.
func TestListeningEverywherePrintsALinkThatOpens(t *testing.T) {
	cfg := testConfig(t)
	cfg.Listen = "0.0.0.0:0"
	var out strings.Builder
	a, err := Open(context.Background(), cfg, Options{Log: testmedia.QuietLogger(), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	port := a.apiLn.Addr().(*net.TCPAddr).Port
	want := fmt.Sprintf("open in a browser: http://127.0.0.1:%d/?code=", port)
	if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "[::]") || strings.Contains(out.String(), "0.0.0.0") {
		t.Errorf("printed:\n%s\nwant %q and no unspecified address", out.String(), want)
	}
	if got := localURL(&net.TCPAddr{IP: net.ParseIP("192.168.1.20"), Port: 8910}); got != "http://192.168.1.20:8910" {
		t.Errorf("localURL of a LAN address = %q", got)
	}
}
