package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

type liveHealthJSON struct {
	Live          bool    `json:"live"`
	BitrateBPS    int64   `json:"bitrate_bps"`
	FrameRate     float64 `json:"frame_rate"`
	DroppedFrames int64   `json:"dropped_frames"`
	TimestampGaps int64   `json:"timestamp_gaps"`
	PreviewURL    string  `json:"preview_url"`
	PreviewAt     string  `json:"preview_at"`
}

func liveHealthOf(t *testing.T, r reply) liveHealthJSON {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("health: %s", r)
	}
	var env struct{ Data liveHealthJSON }
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("health: %v: %s", err, r.body)
	}
	return env.Data
}

// The window asks a stream's health and preview under /ui/v1, behind the
// login: nothing while idle, a bitrate, fps and a JPEG while an encoder pushes.
func TestLiveHealthThroughAPI(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	e := newLiveAPI(t)
	st := liveStream(t, e.request("POST", "/video/v1/live-streams", `{"reconnect_window": 0}`), http.StatusCreated)
	health := "/ui/v1/live-streams/" + st.ID + "/health"

	if r := e.request("GET", "/ui/v1/live-streams/nope/health", ""); r.status != http.StatusNotFound {
		t.Errorf("health of an unknown stream: %s, want 404", r)
	}
	if r := e.anonymous("GET", health, ""); r.status != http.StatusUnauthorized {
		t.Errorf("health without credentials: %s, want 401", r)
	}
	if h := liveHealthOf(t, e.request("GET", health, "")); h != (liveHealthJSON{}) {
		t.Errorf("health while idle: %+v, want only live false", h)
	}
	if r := e.request("GET", "/ui/v1/live-streams/"+st.ID+"/preview.jpg", ""); r.status != http.StatusNotFound {
		t.Errorf("preview while idle: %s, want 404", r)
	}

	startEncoder(t, st.RTMPURL+"/"+st.StreamKey, 30, false)

	var h liveHealthJSON
	if !testtime.Poll(20*time.Second, func() bool {
		h = liveHealthOf(t, e.request("GET", health, ""))
		return h.Live && h.BitrateBPS > 0 && h.FrameRate > 20 && h.PreviewURL != ""
	}) {
		t.Fatalf("health while pushing never showed rates and a preview: %+v", h)
	}
	if !strings.HasPrefix(h.PreviewURL, "/ui/v1/live-streams/"+st.ID+"/preview.jpg") {
		t.Errorf("preview_url = %q", h.PreviewURL)
	}
	if r := e.anonymous("GET", h.PreviewURL, ""); r.status != http.StatusUnauthorized {
		t.Errorf("preview without credentials: %s, want 401", r)
	}
	r := e.request("GET", h.PreviewURL, "")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" || len(r.body) < 100 || r.body[0] != 0xFF || r.body[1] != 0xD8 {
		t.Errorf("preview: %d %q, %d bytes", r.status, r.header.Get("Content-Type"), len(r.body))
	}
}

// While an encoder pushes, the window's change feed (/ui/v1/stream) carries
// the stream's health about once a second without being asked: the first
// reading within seconds of the encoder connecting, every reading at the
// source's 30 fps (the connect burst does not inflate the first ones), and
// a last one saying it is not live once the encoder has gone.
func TestLiveHealthIsPushedOnTheFeed(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	e := newAPIEnv(t, apiOptions{live: true, runJobs: true, feed: true})
	st := liveStream(t, e.request("POST", "/video/v1/live-streams", `{"reconnect_window": 0}`), http.StatusCreated)
	lines := e.openEventStream("/ui/v1/stream") // ends the test's reads after 20 s at most
	for lines.Scan() && lines.Text() != ": connected" {
	}

	pushStart := time.Now()
	done, stderr := startEncoder(t, st.RTMPURL+"/"+st.StreamKey, 8, false)
	var readings []liveHealthJSON
	var firstAfter time.Duration
	event := ""
	for lines.Scan() {
		line := lines.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			event = name
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || event != "health" {
			continue
		}
		var c struct {
			Kind       string          `json:"kind"`
			ObjectType string          `json:"object_type"`
			ObjectID   string          `json:"object_id"`
			Health     *liveHealthJSON `json:"health"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil || c.Kind != "health" || c.ObjectType != "live" || c.Health == nil {
			t.Fatalf("a health change that is not one: %s (%v)", data, err)
		}
		if c.ObjectID != st.ID {
			t.Fatalf("health of stream %q, want %q", c.ObjectID, st.ID)
		}
		if !c.Health.Live {
			break // the encoder has gone
		}
		if len(readings) == 0 {
			firstAfter = time.Since(pushStart)
		}
		readings = append(readings, *c.Health)
	}
	if err := lines.Err(); err != nil {
		t.Fatalf("the feed ended before the not-live reading: %v (%d readings; ffmpeg: %s)", err, len(readings), stderr)
	}
	t.Logf("first reading %v after ffmpeg started; %d readings: %+v", firstAfter.Round(time.Millisecond), len(readings), readings)
	// ffmpeg itself takes a moment to start, and the RTMP reader ~2 s of media to learn the tracks.
	if firstAfter > 8*time.Second {
		t.Errorf("the first reading came %v after the encoder started", firstAfter)
	}
	if len(readings) < 3 {
		t.Fatalf("%d live readings over an 8 s push, want one about every second", len(readings))
	}
	for i, h := range readings {
		// The last one may be taken as the encoder stops and reads a part second.
		if i < len(readings)-1 && (h.FrameRate < 27 || h.FrameRate > 33) {
			t.Errorf("reading %d: %.1f fps, want 30 ± 3", i+1, h.FrameRate)
		}
		if h.BitrateBPS <= 0 || h.DroppedFrames != 0 || h.TimestampGaps != 0 {
			t.Errorf("reading %d: %+v, want a bitrate and nothing dropped", i+1, h)
		}
	}
	<-done
}
