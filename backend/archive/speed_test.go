package archive

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// Bytes per second come from the samples of the last few seconds: steady
// growth gives its rate, nothing is said before a second of samples, and a
// count that starts over is measured afresh.
func TestByteRate(t *testing.T) {
	var r byteRate
	t0 := time.Unix(1_700_000_000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	if _, ok := r.add(at(0), 0); ok {
		t.Error("a rate from one sample")
	}
	if _, ok := r.add(at(500), 5_000_000); ok {
		t.Error("a rate from half a second")
	}
	if got, ok := r.add(at(1000), 10_000_000); !ok || got != 10_000_000 {
		t.Errorf("after 1 s at 10 MB/s: %v, %v", got, ok)
	}
	// 10 MB/s for 10 s, then 2 MB/s for 5 s: the window sees only the slow part.
	n := int64(10_000_000)
	for ms := 1500; ms <= 10_000; ms += 500 {
		n += 5_000_000
		r.add(at(ms), n)
	}
	var got float64
	for ms := 10_500; ms <= 15_000; ms += 500 {
		n += 1_000_000
		got, _ = r.add(at(ms), n)
	}
	if got != 2_000_000 {
		t.Errorf("after slowing to 2 MB/s for a whole window: %v", got)
	}
	if _, ok := r.add(at(15_500), 100); ok {
		t.Error("a count that went back gives a rate at once")
	}
}

// While ffmpeg transcodes, the asset says how fast, in multiples of real
// time as ffmpeg reports it; the speed goes once the master is built.
func TestTranscodeSpeedWhileBuilding(t *testing.T) {
	env := newEnv(t)
	a := env.create(CreateParams{Input: slowClip(t), AssetSettings: AssetSettings{VideoQuality: "basic"}})
	seen := env.waitFor(a.ID, "transcoding with a speed", time.Minute, func(a Asset) bool {
		return a.Status != StatusPreparing || (a.ProgressState == ProgressTranscoding && a.Speed != nil)
	})
	if seen.Status != StatusPreparing {
		t.Fatalf("built (%s) before any speed was seen", seen.Status)
	}
	// A 720p basic transcode on this machine's shared cores: slower than 100×
	// real time, and no slower than a crawl.
	if sp := *seen.Speed; sp.BytesPerSecond != 0 || sp.Realtime < 0.02 || sp.Realtime > 100 {
		t.Errorf("speed %+v, want a realtime factor between 0.02 and 100", sp)
	}
	t.Logf("transcoding at %.2f× real time, %.0f%%", seen.Speed.Realtime, seen.Progress)
	if done := env.waitStatus(a.ID, StatusReady, 2*time.Minute); done.Speed != nil {
		t.Errorf("a ready asset keeps speed %+v", *done.Speed)
	}
}

// A download's speed is the bytes it saves per second over the last few
// seconds. The server trickles on purpose, 2 KB every 100 ms (20 KB/s), until
// the test has seen the speed, then sends the rest at once.
func TestDownloadSpeed(t *testing.T) {
	body, err := os.ReadFile(slowClip(t))
	if err != nil {
		t.Fatal(err)
	}
	const chunk, every = 2000, 100 * time.Millisecond
	trickled := float64(chunk) / every.Seconds()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		for rest := body; len(rest) > 0; {
			n := min(chunk, len(rest))
			if _, err := w.Write(rest[:n]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			rest = rest[n:]
			select {
			case <-release:
			case <-time.After(every): // slowness on purpose: a slow link
			}
		}
	}))
	defer srv.Close()
	if int(trickled)*10 > len(body) {
		t.Fatalf("the clip (%d bytes) lasts less than 10 s at %v B/s", len(body), trickled)
	}
	env := newEnv(t)
	a := env.create(CreateParams{Input: srv.URL + "/tape.mpg"})
	seen := env.waitFor(a.ID, "downloading with a speed", 30*time.Second, func(a Asset) bool {
		return a.Status != StatusPreparing || (a.ProgressState == ProgressIngesting && a.Speed != nil)
	})
	close(release)
	if seen.Status != StatusPreparing {
		t.Fatalf("done (%s) before any speed was seen", seen.Status)
	}
	if sp := *seen.Speed; sp.Realtime != 0 || sp.BytesPerSecond < trickled/2 || sp.BytesPerSecond > trickled*2 {
		t.Errorf("speed %+v, want about %.0f bytes per second", sp, trickled)
	}
	t.Logf("downloading at %.0f B/s (served at %.0f), %.1f%%", seen.Speed.BytesPerSecond, trickled, seen.Progress)
	// Released, the rest arrives and the build takes over.
	env.waitFor(a.ID, "downloaded", time.Minute, func(a Asset) bool {
		return a.Status != StatusPreparing || a.ProgressState == ProgressTranscoding
	})
}

// A rebuild at another size says how fast it goes too, on its ready asset, and stops
// saying it once the new master is in.
func TestRebuildSpeed(t *testing.T) {
	input := clip(t, "h264_2048x1152_4s.mp4", testmedia.Join(testmedia.LavfiVideo("2048x1152", "25", "4"), testmedia.LavfiAudio("4"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	env := newEnv(t)
	a := env.readyAt(input, "2160p")
	if _, _, err := env.svc.Rebuild(env.ctx(), a.ID, "1080p"); err != nil {
		t.Fatal(err)
	}
	seen := env.waitFor(a.ID, "rebuilding with a speed", time.Minute, func(a Asset) bool {
		return a.Rebuild == nil || a.Speed != nil
	})
	if seen.Rebuild == nil || seen.Rebuild.State != RebuildBuilding {
		t.Fatalf("rebuild %+v: over before any speed was seen", seen.Rebuild)
	}
	if sp := *seen.Speed; sp.Realtime < 0.02 || sp.Realtime > 100 {
		t.Errorf("speed %+v, want a realtime factor between 0.02 and 100", sp)
	}
	t.Logf("rebuilding at %.2f× real time", seen.Speed.Realtime)
	if done := env.waitFor(a.ID, "rebuilt", 2*time.Minute, func(a Asset) bool { return a.Rebuild == nil }); done.Speed != nil {
		t.Errorf("after the rebuild the asset keeps speed %+v", *done.Speed)
	}
}
