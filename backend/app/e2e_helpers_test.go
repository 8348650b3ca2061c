package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// binaryPath is the reelvault binary TestMain builds once, as a user would
// (`go build -o reelvault .`), for the tests that run it as a child process.
var binaryPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reelvault-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(1)
	}
	binaryPath = filepath.Join(dir, "reelvault")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	out, err := exec.CommandContext(ctx, goTool(), "build", "-o", binaryPath, "reelvault").CombinedOutput()
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building the reelvault binary: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// childEnv is a small, explicit environment: no display, no token, a home
// and data folder of the test's own.
func childEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "share")}, extra...)
}

// serveProc is a running `reelvault serve` and what it printed.
type serveProc struct {
	t         *testing.T
	cmd       *exec.Cmd
	dataDir   string
	apiURL    string // "UI and API" line
	shareURL  string // "download links" line
	loginCode string
	stderr    *testmedia.LockedBuffer
	exited    chan struct{}
	exitErr   error
}

// startServe runs `reelvault serve` on free loopback ports over dataDir and
// waits until it has printed its addresses.
func startServe(t *testing.T, dataDir string, env []string) *serveProc {
	t.Helper()
	cmd := exec.Command(binaryPath, "serve", "--listen", "127.0.0.1:0", "--share-listen", "127.0.0.1:0",
		"--rtmp-listen", "127.0.0.1:0", "--data", dataDir)
	cmd.Env = env
	p := &serveProc{t: t, cmd: cmd, dataDir: dataDir, stderr: &testmedia.LockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting reelvault serve: %v", err)
	}
	go func() {
		p.exitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("reelvault serve (pid %d) stderr:\n%s", cmd.Process.Pid, p.stderr.String())
		}
	})

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	for p.apiURL == "" || p.shareURL == "" || p.loginCode == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				<-p.exited
				t.Fatalf("reelvault serve exited before printing its addresses (%v):\n%s", p.exitErr, p.stderr.String())
			}
			key, value, _ := strings.Cut(strings.TrimSpace(line), ":")
			value = strings.TrimSpace(value)
			switch key {
			case "UI and API":
				p.apiURL = value
			case "download links":
				p.shareURL = value
			case "browser login code (one-time)":
				p.loginCode = value
			}
		case <-timeout:
			t.Fatalf("reelvault serve printed no addresses in 30 s:\n%s", p.stderr.String())
		}
	}
	go func() { // keep draining so the child never blocks on a full pipe
		for range lines {
		}
	}()
	return p
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would.
func (p *serveProc) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// stop sends SIGTERM and returns the exit code, or fails if it takes long.
func (p *serveProc) stop(timeout time.Duration) int {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(timeout):
		p.t.Fatalf("reelvault serve did not stop %s after SIGTERM", timeout)
	}
	return p.cmd.ProcessState.ExitCode()
}

type apiClient struct {
	t          *testing.T
	base       string
	id, secret string
}

func (c apiClient) do(method, path, body string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.id != "" {
		req.SetBasicAuth(c.id, c.secret)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// e2eAsset is the part of the asset object these tests read.
type e2eAsset struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Waiting  string `json:"waiting"`
	Progress struct {
		State    string  `json:"state"`
		Progress float64 `json:"progress"`
	} `json:"progress"`
	Errors *struct {
		Messages []string `json:"messages"`
	} `json:"errors"`
	ResolutionTier string  `json:"resolution_tier"`
	Duration       float64 `json:"duration"`
	MasterAccess   string  `json:"master_access"`
	Master         *struct {
		Status string `json:"status"`
		URL    string `json:"url"`
	} `json:"master"`
	MasterSize        int64  `json:"master_size"`
	MasterSHA256      string `json:"master_sha256"`
	MaxResolutionTier string `json:"max_resolution_tier"`
	Rebuild           *struct {
		State    string  `json:"state"`
		Progress float64 `json:"progress"`
		Error    string  `json:"error"`
	} `json:"rebuild"`
}

func (c apiClient) asset(status int, body []byte) e2eAsset {
	c.t.Helper()
	var env struct {
		Data *e2eAsset `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Data == nil {
		c.t.Fatalf("status %d, not an asset: %s", status, body)
	}
	return *env.Data
}

func (c apiClient) get(id string) e2eAsset {
	c.t.Helper()
	status, body := c.do("GET", "/video/v1/assets/"+id, "")
	if status != http.StatusOK {
		c.t.Fatalf("GET asset: %d %s", status, body)
	}
	return c.asset(status, body)
}

// probed is what ffprobe says about a file.
type probed struct {
	Streams []struct {
		CodecType string `json:"codec_type"`
		Width     int    `json:"width"`
		Height    int    `json:"height"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

func (p probed) video() (w, h int) {
	for _, s := range p.Streams {
		if s.CodecType == "video" {
			return s.Width, s.Height
		}
	}
	return 0, 0
}

func (p probed) hasAudio() bool {
	for _, s := range p.Streams {
		if s.CodecType == "audio" {
			return true
		}
	}
	return false
}

func (p probed) duration() float64 {
	d, _ := strconv.ParseFloat(p.Format.Duration, 64)
	return d
}

// ffprobe reads a file fully (decoding every frame would be slow; -count
// is not needed: a truncated MP4 fails to open or reports a short duration).
func ffprobe(t *testing.T, path string) probed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries",
		"stream=codec_type,width,height:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe output: %v\n%s", err, out)
	}
	return p
}

// decodeAll makes ffmpeg decode every frame, as a player would; a damaged
// file makes it report errors.
func decodeAll(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("decoding %s: %v\n%s", filepath.Base(path), err, out)
	}
}

func requireTools(t *testing.T) { testmedia.RequireFFmpeg(t) }

// killOrphans ends ffmpeg processes still working on files under dir after
// their reelvault parent was killed (they run in their own process group),
// and reports how many there were.
func killOrphans(t *testing.T, dir string) int {
	t.Helper()
	pids := orphans(dir)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}

// orphans lists the ffmpeg processes working on files under dir.
func orphans(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(dir)) {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if filepath.Base(args[0]) != "ffmpeg" {
			continue
		}
		pids = append(pids, pid)
	}
	return pids
}
