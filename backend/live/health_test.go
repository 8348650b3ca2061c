package live

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

// While ffmpeg pushes 30 fps over RTMP, the session reports its health
// about once a second: a bitrate and 30 fps from the very first reading
// (the connect burst does not inflate it), nothing dropped, and a preview
// JPEG 320 wide that ffprobe reads; once the encoder is gone, a last
// reading says it is not live, and there is neither.
func TestHealthAndPreviewWhileLive(t *testing.T) {
	t.Parallel()
	type report struct {
		id string
		h  Health
	}
	reports := make(chan report, 256)
	e := newEnv(t, func(c *Config) {
		c.HealthReport = func(id string, h Health) {
			select {
			case reports <- report{id, h}:
			default: // the test stopped reading: a reporter must not block
			}
		}
	})
	st := e.createStream(0, nil)
	if h := e.live.Health(st.ID); h.Live {
		t.Fatalf("health before any encoder: %+v, want not live", h)
	}
	p := push(t, e.publishURL(st.StreamKey), pushOptions{seconds: 20, video: true, size: "640x360"})
	e.waitRecording(st.ID)

	next := func(within time.Duration) Health {
		t.Helper()
		select {
		case r := <-reports:
			if r.id != st.ID {
				t.Fatalf("a report for stream %q, want %q", r.id, st.ID)
			}
			return r.h
		case <-time.After(within):
			t.Fatalf("no health report within %v (ffmpeg: %s)", within, p.stderr.String())
		}
		return Health{}
	}
	// The first reading comes about a second after recording starts; each
	// one after it about a second later. Every one says 30 fps.
	var h Health
	for i := range 6 {
		h = next(5 * time.Second)
		t.Logf("reading %d: %d b/s, %.1f fps, %d dropped, %d gaps, preview %v", i+1, h.Bitrate, h.FrameRate, h.Dropped, h.Gaps, h.HasPreview)
		if !h.Live || h.Measuring || !near(h.FrameRate, 30, 3) {
			t.Fatalf("reading %d: %+v, want live at 30 ± 3 fps", i+1, h)
		}
		// 640x360 testsrc2 at veryfast is some hundreds of kb/s; anything outside 10 kb/s..50 Mb/s is a wrong count.
		if h.Bitrate < 10_000 || h.Bitrate > 50_000_000 {
			t.Errorf("reading %d: bitrate %d b/s, out of any plausible range", i+1, h.Bitrate)
		}
		if h.Dropped != 0 || h.Gaps != 0 {
			t.Errorf("reading %d: a clean push reports %d dropped and %d gaps", i+1, h.Dropped, h.Gaps)
		}
	}
	if !testtime.Poll(15*time.Second, func() bool { return e.live.Health(st.ID).HasPreview }) {
		t.Fatal("no preview while live")
	}

	jpeg, _, ok := e.live.Preview(st.ID)
	if !ok || len(jpeg) < 100 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		t.Fatalf("preview: ok %v, %d bytes, not a JPEG", ok, len(jpeg))
	}
	path := filepath.Join(t.TempDir(), "preview.jpg")
	if err := os.WriteFile(path, jpeg, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe preview: %v", err)
	}
	var probed struct {
		Streams []struct {
			CodecName     string `json:"codec_name"`
			Width, Height int
		}
	}
	if err := json.Unmarshal(out, &probed); err != nil || len(probed.Streams) != 1 {
		t.Fatalf("ffprobe preview: %s (%v)", out, err)
	}
	if s := probed.Streams[0]; s.CodecName != "mjpeg" || s.Width != PreviewWidth || s.Height != 180 {
		t.Errorf("preview is %s %dx%d, want mjpeg %dx180", s.CodecName, s.Width, s.Height, PreviewWidth)
	}

	p.kill()
	for h := next(15 * time.Second); h.Live; h = next(15 * time.Second) {
	}
	e.waitStream(st.ID, "disconnected", 15*time.Second, func(s Stream) bool { return !s.Connected })
	if h := e.live.Health(st.ID); h.Live {
		t.Errorf("health after the encoder left: %+v, want not live", h)
	}
	if _, _, ok := e.live.Preview(st.ID); ok {
		t.Error("a preview is served after the encoder left")
	}
}

// fakeEncoder feeds a meter as the recorder would, on a fake clock: video
// at a frame interval the test chooses, 1200 bytes a frame with audio.
type fakeEncoder struct {
	m   *meter
	now time.Time
	dts time.Duration // the next video frame's timestamp
}

func newFakeEncoder() *fakeEncoder {
	e := &fakeEncoder{now: time.Unix(1000, 0)}
	e.m = &meter{now: func() time.Time { return e.now }}
	return e
}

// frame sends one video frame (1000 B) and its audio (200 B) at the current
// timestamp, then moves the timestamp on by interval; the clock moves by
// arrival (0 for a burst).
func (e *fakeEncoder) frame(interval, arrival time.Duration) {
	e.m.packet(true, 1000, e.dts, false, nil, nil)
	e.m.packet(false, 200, e.dts, false, nil, nil)
	e.dts += interval
	e.now = e.now.Add(arrival)
}

// The connect burst: gortmplib hands over ~2 s of media at once, then the
// encoder goes on in real time. Rates follow the timestamps, so the very
// first reading already says 25 fps and 25×1200×8 b/s, and so does every
// one after it; counted by arrival, the first seconds read up to 75 fps.
func TestMeterRatesFollowMediaTimeNotTheConnectBurst(t *testing.T) {
	e := newFakeEncoder()
	if h := e.m.health(); !h.Live || !h.Measuring || h.FrameRate != 0 {
		t.Errorf("before any packet: %+v, want live and measuring", h)
	}
	frame := time.Second / 25
	for range 50 { // 2 s of media in one instant
		e.frame(frame, 0)
	}
	readings := 0
	for range 10 * 25 { // 10 s in real time, read after every frame
		e.frame(frame, frame)
		h := e.m.health()
		if h.Measuring {
			continue
		}
		readings++
		if h.FrameRate != 25 || h.Bitrate != 25*1200*8 {
			t.Fatalf("reading %d (media at %v): %.2f fps, %d b/s; want 25 fps, %d b/s", readings, e.dts, h.FrameRate, h.Bitrate, 25*1200*8)
		}
	}
	if readings < 200 {
		t.Errorf("only %d of 250 readings had rates", readings)
	}

	e.now = e.now.Add(quietAfter + time.Millisecond) // the encoder went quiet
	if h := e.m.health(); h.Bitrate != 0 || h.FrameRate != 0 || h.Measuring {
		t.Errorf("after %v of silence: %+v, want 0 b/s, 0 fps", quietAfter, h)
	}
	e.frame(frame, frame) // it is back, on the same timeline
	if h := e.m.health(); h.FrameRate != 25 {
		t.Errorf("back after a pause: %.2f fps, want 25", h.FrameRate)
	}
}

// A stream whose first timestamp falls mid-second, a clock that starts
// again from zero (an encoder restarting its timestamps) and one packet an
// hour ahead: the rates never count a part second as a whole one (a
// window of whole seconds holds one frame more or less than the rate).
func TestMeterRatesAcrossTimelineJumps(t *testing.T) {
	e := newFakeEncoder()
	frame := time.Second / 30
	e.dts = 5*time.Hour + 500*time.Millisecond
	for range 30 * 3 {
		e.frame(frame, frame)
		if h := e.m.health(); !h.Measuring && !near(h.FrameRate, 30, 1) {
			t.Fatalf("starting mid-second: %.2f fps at %v, want 30", h.FrameRate, e.dts)
		}
	}
	e.dts = 0
	for range 30 * 3 {
		e.frame(frame, frame)
		if h := e.m.health(); !h.Measuring && !near(h.FrameRate, 30, 1) {
			t.Fatalf("after the timestamps restarted: %.2f fps at %v, want 30", h.FrameRate, e.dts)
		}
	}
	e.m.packet(true, 1000, e.dts+time.Hour, false, nil, nil) // one bogus timestamp
	for range 30 * 3 {
		e.frame(frame, frame)
	}
	if h := e.m.health(); !near(h.FrameRate, 30, 1) {
		t.Errorf("3 s after a bogus timestamp: %.2f fps, want 30", h.FrameRate)
	}
}

// vfrIntervals is a phone's variable frame rate: about 30 fps with ±12 ms
// of jitter, a stretch at 15 fps when the light drops, and now and then a
// frame held ~110 ms. Seeded: the same sequence every run.
func vfrIntervals(n int) []time.Duration {
	r := rand.New(rand.NewPCG(16, 8))
	out := make([]time.Duration, n)
	for i := range out {
		base := 33 * time.Millisecond
		if i%600 >= 400 { // 200 frames of every 600 at 15 fps
			base = 66 * time.Millisecond
		}
		d := base + time.Duration(r.IntN(25)-12)*time.Millisecond
		if r.IntN(50) == 0 {
			d = 110 * time.Millisecond
		}
		out[i] = d
	}
	return out
}

// Variable frame rate is no gap; a real one-second hole is exactly one.
func TestMeterGapsFollowTheStreamsOwnPace(t *testing.T) {
	vfr := vfrIntervals(3000) // about two minutes
	e := newFakeEncoder()
	for _, d := range vfr {
		e.frame(d, d)
	}
	if h := e.m.health(); h.Gaps != 0 {
		t.Errorf("a phone's variable frame rate over %v: %d gaps, want none", e.dts, h.Gaps)
	}

	e = newFakeEncoder()
	for i, d := range vfr {
		if i == 1500 {
			d += time.Second // the link lost a second of frames
		}
		e.frame(d, d)
	}
	if h := e.m.health(); h.Gaps != 1 {
		t.Errorf("the same stream with one 1 s hole: %d gaps, want 1", h.Gaps)
	}

	// A slow stream (a 4 fps screen capture, frames 200-300 ms apart): no gaps either.
	e = newFakeEncoder()
	for i := range 400 {
		d := 200*time.Millisecond + time.Duration(i%11)*10*time.Millisecond
		e.frame(d, d)
	}
	if h := e.m.health(); h.Gaps != 0 {
		t.Errorf("4 fps with 200-300 ms between frames: %d gaps, want none", h.Gaps)
	}

	// A steady 60 fps stream: 250 ms missing (15 frames) is a gap, one late frame (70 ms) is not.
	e = newFakeEncoder()
	frame := time.Second / 60
	for i := range 600 {
		switch i {
		case 200:
			e.frame(70*time.Millisecond, frame)
		case 400:
			e.frame(16*frame, frame)
		default:
			e.frame(frame, frame)
		}
	}
	if h := e.m.health(); h.Gaps != 1 {
		t.Errorf("60 fps with one late frame and one 266 ms hole: %d gaps, want 1", h.Gaps)
	}
}

// A refused sample is a drop; counts stand however long the stream runs
// (the meter's memory is fixed: a ring of seconds and of intervals).
func TestMeterCountsDrops(t *testing.T) {
	e := newFakeEncoder()
	for range 25 * 60 * 10 { // ten minutes at 25 fps
		e.frame(time.Second/25, time.Second/25)
	}
	e.m.drop()
	e.m.drop()
	if h := e.m.health(); h.Dropped != 2 || h.Gaps != 0 || h.FrameRate != 25 {
		t.Errorf("after ten minutes and two refused samples: %+v", h)
	}
}

// An audio-only stream has a bitrate and no frame rate, and says it has no video.
func TestMeterAudioOnly(t *testing.T) {
	e := newFakeEncoder()
	packet := 1024 * time.Second / 44100 // one AAC frame
	for range 44100 * 4 / 1024 {
		e.m.packet(false, 300, e.dts, false, nil, nil)
		e.dts += packet
		e.now = e.now.Add(packet)
	}
	h := e.m.health()
	if !h.AudioOnly || h.FrameRate != 0 || !near(float64(h.Bitrate), 300*8*44100/1024, 2500) || h.Gaps != 0 {
		t.Errorf("4 s of audio alone: %+v, want audio only at ~%d b/s", h, 300*8*44100/1024)
	}
	e.frame(time.Second/30, 0) // video joins
	if h := e.m.health(); h.AudioOnly {
		t.Errorf("with a video frame: %+v, want not audio only", h)
	}
}

// An open recording's time runs while the encoder sends and stops where it left: "Recording
// 0:33" went on ticking under "Encoder away" though nothing was recorded.
func TestRecordingTimeStopsWhileTheEncoderIsAway(t *testing.T) {
	s := &Service{}
	start := time.Date(2026, 11, 28, 14, 0, 0, 0, time.UTC)
	st := Stream{RecordingStartedAt: start, Connected: true}
	if got := s.stateAt(st, start.Add(20*time.Second)).RecordingFor; got != 20*time.Second {
		t.Errorf("connected: %v, want 20s", got)
	}
	st.Connected, st.DisconnectedAt = false, start.Add(20*time.Second)
	if got := s.stateAt(st, start.Add(50*time.Second)).RecordingFor; got != 20*time.Second {
		t.Errorf("encoder away since 0:20, at 0:50: %v, want 20s", got)
	}
}
