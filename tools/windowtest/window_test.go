// Package windowtest checks the desktop binary that `make build` makes (wails build): its window
// opens under Xvfb and is drawn (a screenshot with ImageMagick's import), and a file given to a
// second launch is handed to it and appears in its library. `make test-window` runs it with
// REELVAULT_DESKTOP_BIN set; without that (plain `go test ./...`) it is skipped.
package windowtest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDesktopWindowUnderXvfb(t *testing.T) {
	bin := desktopBinary(t, "Xvfb", "import", "ffmpeg")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	display := startXvfb(t, ctx)
	work := t.TempDir()
	clip := filepath.Join(work, "Harbour interview.mp4")
	if out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
		"-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		"-c:a", "aac", clip).CombinedOutput(); err != nil {
		t.Fatalf("making the clip: %v\n%s", err, out)
	}

	listen := freePort(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + work, "XDG_DATA_HOME=" + filepath.Join(work, "share"),
		"DISPLAY=" + display, "REELVAULT_TOKEN_ID=win", "REELVAULT_TOKEN_SECRET=win-secret"}
	args := []string{"--data", filepath.Join(work, "data"), "--listen", listen, "--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0"}
	stop := startWindow(t, bin, args, env)
	defer stop()
	api := "http://" + listen

	// The window is drawn: a screenshot of the screen shows more than the empty root.
	shot := filepath.Join(work, "window.png")
	poll(t, ctx, "the window to be drawn", func() bool {
		if out, err := exec.CommandContext(ctx, "import", "-display", display, "-window", "root", shot).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		return colours(t, shot) > 32
	})
	if dir := os.Getenv("REELVAULT_SCREENSHOT_DIR"); dir != "" {
		if b, err := os.ReadFile(shot); err == nil {
			os.WriteFile(filepath.Join(dir, "window-test.png"), b, 0o644)
		}
	}

	// A second launch with the clip ("Open with") hands it over and exits.
	second := exec.CommandContext(ctx, bin, append([]string{clip}, args...)...)
	second.Env = env
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Handed 1 file(s) to the running Reelvault") {
		t.Fatalf("the second launch: %v\n%s", err, out)
	}
	// A second launch without files (a menu click) brings the window to the front and exits.
	again := exec.CommandContext(ctx, bin, args...)
	again.Env = env
	if out, err := again.CombinedOutput(); err != nil || !strings.Contains(string(out), "its window was brought to the front") {
		t.Fatalf("a second launch without files: %v\n%s", err, out)
	}
	poll(t, ctx, "the handed-over clip in the library", func() bool {
		var list struct {
			Data []struct {
				Input string `json:"input"`
			} `json:"data"`
		}
		get(t, api+"/video/v1/assets", &list)
		return len(list.Data) == 1 && list.Data[0].Input == clip
	})
}

// The window comes back where it was: moved and resized, then stopped (SIGTERM, as a logout
// does), it opens at the same place and size on the next start. Xvfb has no window manager, so
// xdotool moves and resizes the window directly, as a user's window manager would.
func TestWindowComesBackWhereItWas(t *testing.T) {
	bin := desktopBinary(t, "Xvfb", "xdotool")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	display := startXvfb(t, ctx)
	work := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + work, "XDG_DATA_HOME=" + filepath.Join(work, "share"),
		"DISPLAY=" + display, "REELVAULT_TOKEN_ID=win", "REELVAULT_TOKEN_SECRET=win-secret"}
	args := []string{"--data", filepath.Join(work, "data"), "--listen", freePort(t), "--share-listen", "127.0.0.1:0",
		"--rtmp-listen", "127.0.0.1:0"}
	xdotool := func(a ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "xdotool", a...)
		cmd.Env = []string{"DISPLAY=" + display}
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	// geometry finds the visible Reelvault window and reads where it is and how big.
	geometry := func() (id string, x, y, w, h int, ok bool) {
		ids, err := xdotool("search", "--onlyvisible", "--name", "^Reelvault$")
		if err != nil || ids == "" {
			return "", 0, 0, 0, 0, false
		}
		id = strings.Fields(ids)[0]
		out, err := xdotool("getwindowgeometry", "--shell", id)
		if err != nil {
			return "", 0, 0, 0, 0, false
		}
		v := map[string]int{}
		for _, line := range strings.Fields(out) {
			if k, val, found := strings.Cut(line, "="); found {
				v[k], _ = strconv.Atoi(val)
			}
		}
		return id, v["X"], v["Y"], v["WIDTH"], v["HEIGHT"], true
	}

	stop := startWindow(t, bin, args, env)
	var id string
	poll(t, ctx, "the window to be mapped", func() bool {
		var ok bool
		id, _, _, _, _, ok = geometry()
		return ok
	})
	const wantX, wantY, wantW, wantH = 150, 90, 900, 640
	if _, err := xdotool("windowsize", id, strconv.Itoa(wantW), strconv.Itoa(wantH)); err != nil {
		t.Fatalf("xdotool windowsize: %v", err)
	}
	if _, err := xdotool("windowmove", id, strconv.Itoa(wantX), strconv.Itoa(wantY)); err != nil {
		t.Fatalf("xdotool windowmove: %v", err)
	}
	poll(t, ctx, "the window to take its new place", func() bool {
		_, x, y, w, h, ok := geometry()
		return ok && x == wantX && y == wantY && w == wantW && h == wantH
	})
	stop()

	stop = startWindow(t, bin, args, env)
	defer stop()
	var x, y, w, h int
	deadline, cancelDeadline := context.WithTimeout(ctx, 30*time.Second)
	defer cancelDeadline()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		var ok bool
		if _, x, y, w, h, ok = geometry(); ok && x == wantX && y == wantY && w == wantW && h == wantH {
			return
		}
		select {
		case <-deadline.Done():
			t.Fatalf("after a restart the window is at %d,%d, %d×%d; it was closed at %d,%d, %d×%d", x, y, w, h, wantX, wantY, wantW, wantH)
		case <-tick.C:
		}
	}
}

// desktopBinary is the binary `make test-window` built (the test is skipped without one), once
// the tools the test runs are there.
func desktopBinary(t *testing.T, tools ...string) string {
	t.Helper()
	bin := os.Getenv("REELVAULT_DESKTOP_BIN")
	if bin == "" {
		t.Skip("REELVAULT_DESKTOP_BIN is not set: `make test-window` builds the desktop binary and sets it")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (make apt-deps installs it): %v", tool, err)
		}
	}
	return bin
}

// startWindow starts the desktop binary and waits for it to print its addresses; stop sends
// SIGTERM and waits for a clean exit.
func startWindow(t *testing.T, bin string, args, env []string) (stop func()) {
	t.Helper()
	window := exec.Command(bin, args...)
	window.Env = env
	stderr := &strings.Builder{}
	window.Stderr = stderr
	stdout, err := window.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := window.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- window.Wait() }()
	t.Cleanup(func() { window.Process.Kill() }) // a test that failed half-way leaves no window behind
	stop = func() {
		window.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("the window did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			window.Process.Kill()
			t.Error("the window did not stop within 30 s of SIGTERM")
		}
		if t.Failed() {
			t.Logf("window stderr:\n%s", stderr.String())
		}
	}
	waitForLine(t, stdout, "UI and API", exited)
	return stop
}

// startXvfb starts a virtual screen on a free display number and returns it (":N") once
// Xvfb says it is ready (-displayfd).
func startXvfb(t *testing.T, ctx context.Context) string {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.CommandContext(ctx, "Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	// Stopped with SIGTERM, Xvfb removes its lock file and socket; a SIGKILL leaves them behind,
	// and the next Xvfb that takes the stale display number can race another one doing the same
	// (on a machine running several of these tests, a second window launch once found its
	// display gone: "failed to init GTK").
	xvfb.Cancel = func() error { return xvfb.Process.Signal(syscall.SIGTERM) }
	xvfb.WaitDelay = 10 * time.Second
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { xvfb.Process.Signal(syscall.SIGTERM); xvfb.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	n, perr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || perr != nil {
		t.Fatalf("Xvfb did not say its display: %q %v", line, err)
	}
	return fmt.Sprintf(":%d", n)
}

func waitForLine(t *testing.T, r io.Reader, prefix string, exited <-chan error) {
	t.Helper()
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if strings.HasPrefix(strings.TrimSpace(sc.Text()), prefix) {
				close(found)
				break
			}
		}
		io.Copy(io.Discard, r)
	}()
	select {
	case <-found:
	case err := <-exited:
		t.Fatalf("the window exited before it started: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("the window did not print its addresses within a minute")
	}
}

// poll checks cond on a ticker until it holds, with the test's deadline.
func poll(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// colours counts the distinct colours of a PNG, up to a few hundred: an empty screen has one.
func colours(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 300; y += 2 {
		for x := b.Min.X; x < b.Max.X && len(seen) < 300; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func get(t *testing.T, url string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.SetBasicAuth("win", "win-secret")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
