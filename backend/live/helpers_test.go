package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/jobs"
	"reelvault/backend/store"
)

// testEnv is the live service with everything it works with, all real: an
// SQLite file in a temporary folder, the job queue, the archive building
// masters with ffmpeg, and the RTMP server on a free port.
type testEnv struct {
	t       *testing.T
	dataDir string
	db      *store.DB
	queue   *jobs.Queue
	archive *archive.Service
	live    *Service
	logs    *testmedia.LockedBuffer
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	stopped bool

	mu        sync.Mutex
	fragments map[string]int // recording part path -> whole fragments written
}

// newEnv starts a live service over a fresh data folder.
func newEnv(t *testing.T, configure ...func(*Config)) *testEnv {
	t.Helper()
	testmedia.RequireFFmpeg(t)
	e := openEnv(t, t.TempDir(), configure...)
	e.start()
	return e
}

// openEnv opens (without starting) the services over dataDir.
func openEnv(t *testing.T, dataDir string, configure ...func(*Config)) *testEnv {
	t.Helper()
	logs := &testmedia.LockedBuffer{}
	var out io.Writer = logs
	if testing.Verbose() {
		out = io.MultiWriter(logs, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() && !testing.Verbose() {
			t.Logf("service log:\n%s", logs.String())
		}
	})
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "reelvault.db"), log)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	q := jobs.New(db, log)
	a, err := archive.New(db, q, archive.Config{DataDir: dataDir, AssetEvent: testAssetEvent, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	// The app binds the RTMP listener and hands it over; so does the test.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() }) // for an env that never ran
	// The wire package renders events in the product; it imports this one.
	cfg := Config{DataDir: dataDir, Log: log, ReadTimeout: 3 * time.Second, Listener: ln, StreamEvent: func(st StreamState) any { return st }}
	for _, c := range configure {
		c(&cfg)
	}
	l, err := New(db, q, a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, dataDir: dataDir, db: db, queue: q, archive: a, live: l, logs: logs, fragments: map[string]int{}}
	l.fragmentWritten = func(path string, n int) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.fragments[path] = n
	}
	t.Cleanup(e.stop)
	return e
}

// start recovers and runs everything, as the app's start does.
func (e *testEnv) start() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	if err := e.archive.Recover(ctx); err != nil {
		e.t.Fatal(err)
	}
	if err := e.live.Recover(ctx); err != nil {
		e.t.Fatal(err)
	}
	if err := e.queue.Recover(ctx); err != nil {
		e.t.Fatal(err)
	}
	for _, run := range []func(context.Context) error{e.queue.Run, e.archive.Run, e.live.Run} {
		e.wg.Add(1)
		go func() { defer e.wg.Done(); run(ctx) }()
	}
}

func (e *testEnv) stop() {
	if e.stopped {
		return
	}
	e.stopped = true
	if e.cancel != nil {
		e.cancel()
	}
	e.wg.Wait()
	e.db.Close()
}

// createStream makes a stream with the given reconnect window (seconds).
func (e *testEnv) createStream(window float64, settings *AssetSettings) Stream {
	e.t.Helper()
	st, err := e.live.Create(context.Background(), CreateParams{ReconnectWindow: &window, NewAssetSettings: settings})
	if err != nil {
		e.t.Fatalf("create stream: %v", err)
	}
	return st
}

func (e *testEnv) publishURL(key string) string { return e.live.RTMPURL() + "/" + key }

func (e *testEnv) stream(id string) Stream {
	e.t.Helper()
	st, err := e.live.Get(context.Background(), id)
	if err != nil {
		e.t.Fatalf("get stream: %v", err)
	}
	return st
}

// waitStream polls until cond holds for the stream.
func (e *testEnv) waitStream(id string, what string, timeout time.Duration, cond func(Stream) bool) Stream {
	e.t.Helper()
	var st Stream
	if !testtime.Poll(timeout, func() bool { st = e.stream(id); return cond(st) }) {
		e.t.Fatalf("stream %s: %s did not happen within %s (status %s, connected %v, asset %q)",
			id, what, timeout, st.Status, st.Connected, st.ActiveAssetID)
	}
	return st
}

// waitRecording polls until the stream records into an asset, the encoder's push taken in.
func (e *testEnv) waitRecording(id string) Stream {
	e.t.Helper()
	return e.waitStream(id, "recording", 15*time.Second, func(s Stream) bool { return s.ActiveAssetID != "" })
}

// waitFragments waits until the recorder has written n whole fragments
// (about n seconds of media) of the part at path, and returns how many.
func (e *testEnv) waitFragments(path string, n int, timeout time.Duration) int {
	e.t.Helper()
	written := func() int {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.fragments[path]
	}
	if !testtime.Poll(timeout, func() bool { return written() >= n }) {
		e.t.Fatalf("%s: %d of %d fragments written after %s", filepath.Base(path), written(), n, timeout)
	}
	return written()
}

// waitAssetDone polls until the asset is ready or errored.
func (e *testEnv) waitAssetDone(id string, timeout time.Duration) archive.Asset {
	e.t.Helper()
	var a archive.Asset
	done := testtime.Poll(timeout, func() bool {
		var err error
		if a, err = e.archive.Get(context.Background(), id); err != nil {
			e.t.Fatalf("get asset %s: %v", id, err)
		}
		return a.Status != archive.StatusPreparing
	})
	if !done {
		e.t.Fatalf("asset %s still %s (progress %s) after %s", id, a.Status, a.ProgressState, timeout)
	}
	return a
}

// assetsOf lists the stream's assets (the API's ?live_stream_id=).
func (e *testEnv) assetsOf(streamID string) []archive.Asset {
	e.t.Helper()
	list, _, err := e.archive.List(context.Background(), archive.ListParams{LiveStreamID: streamID})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// eventTypes lists the outbox's event types about objectID, oldest first.
func (e *testEnv) eventTypes(objectID string) []string {
	e.t.Helper()
	evs, err := e.db.EventsAfter(context.Background(), 0, 10000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		if ev.ObjectID == objectID {
			out = append(out, ev.Type)
		}
	}
	return out
}

// pusher is an ffmpeg encoder publishing a test pattern and a tone over RTMP.
type pusher struct {
	cmd    *exec.Cmd
	stderr *testmedia.LockedBuffer
	done   chan struct{}
	err    error

	progress testmedia.Progress // what the encoder has sent (its -progress report)
}

// sent is how many seconds of media the encoder has sent so far.
func (p *pusher) sent() float64 { return p.progress.Seconds() }

type pushOptions struct {
	seconds float64 // 0: until killed (capped at 60 s)
	size    string  // default 320x180
	audio   string  // encoder: aac (default), libmp3lame, or "none"
	video   bool    // default true; false sends audio only
}

// push starts ffmpeg pushing to url in real time (-re), as OBS would.
func push(t *testing.T, url string, o pushOptions) *pusher {
	t.Helper()
	if o.size == "" {
		o.size = "320x180"
	}
	if o.audio == "" {
		o.audio = "aac"
	}
	secs := o.seconds
	if secs == 0 {
		secs = 60
	}
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-re"}, testmedia.ProgressArgs...)
	if o.video {
		args = append(args, "-f", "lavfi", "-i", "testsrc2=size="+o.size+":rate=30")
	}
	if o.audio != "none" {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100")
	}
	args = append(args, "-t", strconv.FormatFloat(secs, 'f', 2, 64))
	if o.video {
		args = append(args, "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p")
	}
	if o.audio != "none" {
		args = append(args, "-c:a", o.audio, "-b:a", "96k")
	}
	args = append(args, "-f", "flv", url)
	cmd := exec.Command("ffmpeg", args...)
	p := &pusher{cmd: cmd, stderr: &testmedia.LockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	progress, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ffmpeg: %v", err)
	}
	go func() {
		p.progress.Follow(progress) // to its end: Wait closes the pipe
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill(); <-p.done })
	return p
}

func videoPush(seconds float64) pushOptions { return pushOptions{seconds: seconds, video: true} }

// wait waits for the encoder to exit and returns its error.
func (p *pusher) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		t.Fatalf("ffmpeg still pushing after %s", timeout)
		return nil
	}
}

func (p *pusher) kill() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// probeInfo is what ffprobe says about a file.
type probeInfo struct {
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		CodecType string `json:"codec_type"`
		CodecName string `json:"codec_name"`
		Width     int    `json:"width"`
		Height    int    `json:"height"`
	} `json:"streams"`
}

func (p probeInfo) duration() float64 {
	d, _ := strconv.ParseFloat(p.Format.Duration, 64)
	return d
}

func (p probeInfo) codec(kind string) string {
	for _, s := range p.Streams {
		if s.CodecType == kind {
			return s.CodecName
		}
	}
	return ""
}

// probe runs ffprobe; errors ffprobe prints about the file fail the test
// when strict, since a clean recording must read without complaint.
func probe(t *testing.T, path string, strict bool) probeInfo {
	t.Helper()
	cmd := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v: %s", path, err, stderr.String())
	}
	if strict && strings.TrimSpace(stderr.String()) != "" {
		t.Errorf("ffprobe complains about %s: %s", path, stderr.String())
	}
	var info probeInfo
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	return info
}

// decodeErrors decodes the whole file and returns what ffmpeg complained
// about (empty for a clean file).
func decodeErrors(t *testing.T, path string) string {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "null", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Sprintf("ffmpeg failed: %v: %s", err, stderr.String())
	}
	return strings.TrimSpace(stderr.String())
}

// packetList is every packet of the file as ffmpeg's demuxer reads it: stream, dts,
// pts, size and the MD5 of its bytes (durations left out: the recording's last sample
// has none to read).
func packetList(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", path, "-map", "0", "-c", "copy", "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg framemd5 %s: %v", path, err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, ",")
		if len(f) == 6 && !strings.HasPrefix(l, "#") {
			lines = append(lines, strings.Join(slices.Delete(f, 3, 4), ","))
		}
	}
	if len(lines) == 0 {
		t.Fatalf("%s: no packets", path)
	}
	return lines
}

func near(got, want, tolerance float64) bool { return got >= want-tolerance && got <= want+tolerance }

// testAssetEvent stands in for wire's asset renderer, which imports this
// package: events carry the asset as it is.
func testAssetEvent(a archive.Asset, _ time.Time) any { return a }
