package archive

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// threeSecondClip is a local 3 s H.264/AAC MP4: a remux, ready in seconds.
func threeSecondClip(t *testing.T) string {
	return clip(t, "three.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"), testmedia.LavfiAudio("3"), testmedia.H264AAC())...)
}

// silentServer accepts connections and never answers: the worst source.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read nor written
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String() + "/video.mp4"
}

// A source that never answers holds one download slot, not the builds: a
// local 3-second file becomes ready meanwhile, and the stalled download
// then ends with a message that says what happened. One that sends a
// little and goes silent ends after the idle timeout.
func TestStalledSourceBlocksNothing(t *testing.T) {
	stalledBody := make(chan struct{})
	halfway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.Write(bytes.Repeat([]byte("x"), 1000))
		w.(http.Flusher).Flush()
		select {
		case <-stalledBody:
		case <-r.Context().Done():
		}
	}))
	defer halfway.Close()
	defer close(stalledBody)
	env := newEnv(t, func(c *Config) {
		c.HeaderTimeout = 6 * time.Second // longer than the local build below
		c.IdleTimeout = time.Second
	})
	silent := env.create(CreateParams{Input: silentServer(t)})
	stalled := env.create(CreateParams{Input: halfway.URL + "/video.mp4"})
	local := env.create(CreateParams{Input: threeSecondClip(t)})

	env.waitStatus(local.ID, StatusReady, 30*time.Second)
	if a := env.get(silent.ID); a.Status != StatusPreparing || a.ProgressState != ProgressIngesting {
		t.Fatalf("silent source: %s/%s when the local file was ready; want still preparing/ingesting", a.Status, a.ProgressState)
	}
	a := env.waitStatus(stalled.ID, StatusErrored, 30*time.Second)
	if a.ErrorType != "download_failed" || !strings.Contains(a.ErrorMessage, "sent nothing for 1s: the download stalled") {
		t.Errorf("stalled body: %s %q; want download_failed saying it stalled", a.ErrorType, a.ErrorMessage)
	}
	a = env.waitStatus(silent.ID, StatusErrored, 30*time.Second)
	if a.ErrorType != "download_failed" || !strings.Contains(a.ErrorMessage, "did not answer within 6s") {
		t.Errorf("silent source: %s %q; want download_failed saying it did not answer", a.ErrorType, a.ErrorMessage)
	}
	if left := dirNames(t, env.svc.tmpDir()); len(left) != 0 {
		t.Errorf("tmp/ holds %v after the downloads failed", left)
	}
}

// A download shows its progress as ingesting with a percentage when the
// server gives a Content-Length.
func TestDownloadShowsProgress(t *testing.T) {
	src := smallClip(t)
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Write(body[len(body)/2:])
	}))
	defer srv.Close()
	env := newEnv(t)
	a := env.create(CreateParams{Input: srv.URL + "/small.mp4"})
	env.waitFor(a.ID, "ingesting about half-way", 30*time.Second, func(a Asset) bool {
		return a.ProgressState == ProgressIngesting && a.Progress >= 40 && a.Progress <= 60
	})
	close(release)
	env.waitStatus(a.ID, StatusReady, time.Minute)
}

// A remux never waits behind a transcode: with one transcode running
// (and the transcode lane full), a local remux becomes ready.
func TestRemuxDoesNotWaitForTranscode(t *testing.T) {
	// 40 s of MPEG-2 (a transcode long enough to still run when the remux is done), made
	// as 2 s encoded once and repeated by a stream copy: encoding all 40 s cost ~45 s of
	// a loaded machine's time for nothing the test looks at.
	twoSeconds := clip(t, "two-seconds.ts", testmedia.Join(testmedia.LavfiVideo("1280x720", "25", "2"),
		[]string{"-c:v", "mpeg2video", "-q:v", "5", "-f", "mpegts"})...)
	long := clip(t, "long.ts", "-stream_loop", "19", "-i", twoSeconds, "-c", "copy", "-f", "mpegts")
	env := newEnv(t, func(c *Config) { c.TranscodeWorkers = 1; c.BuildWorkers = 1 })
	slow := env.create(CreateParams{Input: long, AssetSettings: AssetSettings{VideoQuality: "premium"}})
	env.waitFor(slow.ID, "transcoding", 60*time.Second, func(a Asset) bool {
		return a.ProgressState == ProgressTranscoding && a.Progress > 0
	})
	remux := env.create(CreateParams{Input: threeSecondClip(t)})
	r := env.waitStatus(remux.ID, StatusReady, 60*time.Second)
	if r.MasterMode != "remux" {
		t.Fatalf("the quick asset was built as %s, want a remux", r.MasterMode)
	}
	if a := env.get(slow.ID); a.Status != StatusPreparing || a.ProgressState != ProgressTranscoding {
		t.Fatalf("transcode %s/%s %.0f%% when the remux was ready: the test needs it still running", a.Status, a.ProgressState, a.Progress)
	}
}

// A finished download survives a restart for its build; a build whose
// download is gone (tmp/ was emptied) fetches the input again.
func TestDownloadKeptAcrossRestartOrFetchedAgain(t *testing.T) {
	src := smallClip(t)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.ServeFile(w, r, src)
	}))
	defer srv.Close()
	env := openEnv(t, t.TempDir())
	kept := env.create(CreateParams{Input: srv.URL + "/kept.mp4"})
	gone := env.create(CreateParams{Input: srv.URL + "/gone.mp4"})
	// As a crash leaves them: kept's download whole (its build queued),
	// gone's build queued but its download no longer there, and leftovers.
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	tmp := env.svc.tmpDir()
	for name, data := range map[string][]byte{kept.ID + ".download": body, gone.ID + ".download.part": body[:10], "0123.download": body} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.db.ExecContext(env.ctx(), `UPDATE jobs SET kind = ? WHERE kind = ?`, jobBuildMaster, jobDownloadInput); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.Recover(env.ctx()); err != nil {
		t.Fatal(err)
	}
	if left := dirNames(t, tmp); len(left) != 1 || left[0] != kept.ID+".download" {
		t.Fatalf("tmp/ after Recover: %v, want only the whole download of a preparing asset", left)
	}
	env.start()
	env.waitStatus(kept.ID, StatusReady, time.Minute)
	env.waitStatus(gone.ID, StatusReady, time.Minute)
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests to the source, want 1 (gone's input fetched again, kept's not)", n)
	}
	if left := dirNames(t, tmp); len(left) != 0 {
		t.Errorf("tmp/ holds %v once both masters are built", left)
	}
}
