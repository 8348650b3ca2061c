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
