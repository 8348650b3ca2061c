package live

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

// While ffmpeg pushes 30 fps over RTMP, the session's health reports a
// bitrate and about 30 fps with nothing dropped, and a preview JPEG 320
// wide that ffprobe reads; once the encoder is gone, there is neither.
func TestHealthAndPreviewWhileLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	if h := e.live.Health(st.ID); h.Live {
		t.Fatalf("health before any encoder: %+v, want not live", h)
	}
	p := push(t, e.publishURL(st.StreamKey), pushOptions{seconds: 20, video: true, size: "640x360"})
	e.waitStream(st.ID, "recording", 15*time.Second, func(s Stream) bool { return s.ActiveAssetID != "" })

	// Rates look at whole seconds behind now: wait until a few have passed at the source's pace.
	var h Health
	if !testtime.Poll(15*time.Second, func() bool {
		h = e.live.Health(st.ID)
		return h.Live && h.Bitrate > 0 && near(h.FrameRate, 30, 3) && h.HasPreview
	}) {
		t.Fatalf("health never settled: %+v (ffmpeg: %s)", h, p.stderr.String())
	}
	t.Logf("health while live: %d b/s, %.1f fps, %d dropped, %d gaps", h.Bitrate, h.FrameRate, h.Dropped, h.Gaps)
	if h.Dropped != 0 || h.Gaps != 0 {
		t.Errorf("a clean push reports %d dropped and %d gaps", h.Dropped, h.Gaps)
	}
	// 640x360 testsrc2 at veryfast is some hundreds of kb/s; anything outside 10 kb/s..50 Mb/s is a wrong count.
	if h.Bitrate < 10_000 || h.Bitrate > 50_000_000 {
		t.Errorf("bitrate %d b/s, out of any plausible range", h.Bitrate)
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
	e.waitStream(st.ID, "disconnected", 15*time.Second, func(s Stream) bool { return !s.Connected })
	if h := e.live.Health(st.ID); h.Live {
		t.Errorf("health after the encoder left: %+v, want not live", h)
	}
	if _, _, ok := e.live.Preview(st.ID); ok {
		t.Error("a preview is served after the encoder left")
	}
}

// The meter's counts on a fake clock: rates over the last whole seconds,
// a jump of more than a few frame intervals is a gap, a refused sample a drop.
func TestMeterCounts(t *testing.T) {
	now := time.Unix(1000, 0)
	m := &meter{now: func() time.Time { return now }}
	frame := time.Second / 25
	dts := time.Duration(0)
	for sec := 0; sec < 4; sec++ {
		for i := 0; i < 25; i++ {
			m.packet(true, 1000, dts, i == 0, nil, nil)
			m.packet(false, 200, dts, false, nil, nil)
			dts += frame
			now = now.Add(frame)
		}
	}
	h := m.health()
	if h.FrameRate != 25 || h.Bitrate != 25*1200*8 || h.Gaps != 0 || h.Dropped != 0 {
		t.Errorf("steady 25 fps of 1200 B: %+v, want 25 fps, %d b/s, no gaps or drops", h, 25*1200*8)
	}
	m.packet(true, 1000, dts+10*frame, false, nil, nil) // nine frames never sent
	m.drop()
	h = m.health()
	if h.Gaps != 1 || h.Dropped != 1 {
		t.Errorf("after a 10-frame jump and a refused sample: %d gaps, %d dropped; want 1 and 1", h.Gaps, h.Dropped)
	}
	now = now.Add(10 * time.Second) // the encoder went quiet
	if h := m.health(); h.Bitrate != 0 || h.FrameRate != 0 {
		t.Errorf("10 s of silence still shows %d b/s, %.1f fps", h.Bitrate, h.FrameRate)
	}
}
