package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// newLiveAPI is the real API with the live service: the job queue building
// masters, and the RTMP server on a free port.
func newLiveAPI(t *testing.T) *apiEnv {
	t.Helper()
	return newAPIEnv(t, apiOptions{live: true, runJobs: true})
}

// liveStreamJSON is Mux's live stream object as a client reads it.
type liveStreamJSON struct {
	ID               string          `json:"id"`
	CreatedAt        json.RawMessage `json:"created_at"`
	StreamKey        string          `json:"stream_key"`
	Status           string          `json:"status"`
	ReconnectWindow  float64         `json:"reconnect_window"`
	NewAssetSettings map[string]any  `json:"new_asset_settings"`
	ActiveAssetID    string          `json:"active_asset_id"`
	RecentAssetIDs   []string        `json:"recent_asset_ids"`
	Passthrough      string          `json:"passthrough"`
	LatencyMode      string          `json:"latency_mode"`
	MaxContinuous    int             `json:"max_continuous_duration"`
	RTMPURL          string          `json:"rtmp_url"`
	Connected        bool            `json:"connected"`
	RecordingStarted string          `json:"recording_started_at"`
}

func liveStream(t *testing.T, r reply, status int) liveStreamJSON {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var env struct {
		Data *liveStreamJSON `json:"data"`
	}
	decodeStrict(t, r, &env)
	if env.Data == nil {
		t.Fatalf("no data object: %s", r.body)
	}
	return *env.Data
}

func TestLiveStreamsAPI(t *testing.T) {
	e := newLiveAPI(t)

	created := liveStream(t, e.request("POST", "/video/v1/live-streams", `{
		"playback_policy": ["public"], "reconnect_window": 30, "passthrough": "show-1", "latency_mode": "low",
		"new_asset_settings": {"playback_policies": ["public"], "master_access": "temporary", "max_resolution_tier": "1440p"}}`),
		http.StatusCreated)
	if !regexp.MustCompile(`^"\d+"$`).Match(created.CreatedAt) {
		t.Errorf("created_at = %s, want a string of Unix seconds", created.CreatedAt)
	}
	if len(created.StreamKey) < 32 || created.Status != "idle" || created.ReconnectWindow != 30 ||
		created.Passthrough != "show-1" || created.LatencyMode != "low" || created.Connected {
		t.Errorf("created stream: %+v", created)
	}
	if created.NewAssetSettings["master_access"] != "temporary" || created.NewAssetSettings["max_resolution_tier"] != "1440p" {
		t.Errorf("new_asset_settings = %v", created.NewAssetSettings)
	}
	if created.RecentAssetIDs == nil || len(created.RecentAssetIDs) != 0 {
		t.Errorf("recent_asset_ids = %v, want []", created.RecentAssetIDs)
	}
	if !regexp.MustCompile(`^rtmp://127\.0\.0\.1:\d+/app$`).MatchString(created.RTMPURL) {
		t.Errorf("rtmp_url = %q", created.RTMPURL)
	}

	defaults := liveStream(t, e.request("POST", "/video/v1/live-streams", `{}`), http.StatusCreated)
	if defaults.ReconnectWindow != 60 || defaults.LatencyMode != "standard" || defaults.MaxContinuous != 43200 {
		t.Errorf("defaults: reconnect_window %v latency_mode %q max_continuous_duration %d",
			defaults.ReconnectWindow, defaults.LatencyMode, defaults.MaxContinuous)
	}
	if defaults.StreamKey == created.StreamKey {
		t.Errorf("two streams share a key")
	}

	for body, mentions := range map[string]string{
		`{"reconnect_window": 1801}`:                                  "reconnect_window",
		`{"reconnect_window": -1}`:                                    "reconnect_window",
		`{"reconnect_window": "soon"}`:                                "reconnect_window",
		`{"latency_mode": "fast"}`:                                    "latency_mode",
		`{"max_continuous_duration": 10}`:                             "max_continuous_duration",
		`{"new_asset_settings": {"max_resolution_tier": "4k"}}`:       "new_asset_settings.max_resolution_tier",
		`{"new_asset_settings": {"master_access": "forever"}}`:        "new_asset_settings.master_access",
		`{"passthrough": "` + strings.Repeat("x", 256) + `"}`:         "passthrough",
		`{"new_asset_settings": "temporary"}`:                         "new_asset_settings",
		`{"reconnect_window": 10, "new_asset_settings": {"meta": 5}}`: "meta",
		`[1, 2]`: "object",
		`{"simulcast_targets": [{"url": "rtmp://example.com/app"}]}`: "simulcast_targets",
		`{"audio_only": true}`:                                                     "audio_only",
		`{"new_asset_settings": {"mp4_support": "bogus"}}`:                         "new_asset_settings.mp4_support",
		`{"new_asset_settings": {"static_renditions": [{"resolution": "4320p"}]}}`: "new_asset_settings.static_renditions[0].resolution",
	} {
		msg := apiError(t, e.request("POST", "/video/v1/live-streams", body), http.StatusBadRequest, "invalid_parameters")
		if !strings.Contains(msg.Error.Messages[0], mentions) {
			t.Errorf("%s: message %q does not mention %q", body, msg.Error.Messages[0], mentions)
		}
	}

	got := liveStream(t, e.request("GET", "/video/v1/live-streams/"+created.ID, ""), http.StatusOK)
	if got.StreamKey != created.StreamKey || got.ReconnectWindow != 30 {
		t.Errorf("GET: %+v", got)
	}
	apiError(t, e.request("GET", "/video/v1/live-streams/nope", ""), http.StatusNotFound, "not_found")

	var list struct {
		Data       []liveStreamJSON `json:"data"`
		NextCursor *string          `json:"next_cursor"`
	}
	decodeStrict(t, e.request("GET", "/video/v1/live-streams", ""), &list)
	if len(list.Data) != 2 || list.Data[0].ID != defaults.ID || list.Data[1].ID != created.ID {
		t.Errorf("list: %d streams, want both, newest first", len(list.Data))
	}
	decodeStrict(t, e.request("GET", "/video/v1/live-streams?limit=1&page=2", ""), &list)
	if len(list.Data) != 1 || list.Data[0].ID != created.ID {
		t.Errorf("page 2 of 1: %+v", list.Data)
	}

	patched := liveStream(t, e.request("PATCH", "/video/v1/live-streams/"+created.ID,
		`{"reconnect_window": 0, "passthrough": "show-2", "new_asset_settings": {"master_access": "none"}}`), http.StatusOK)
	if patched.ReconnectWindow != 0 || patched.Passthrough != "show-2" || patched.NewAssetSettings["master_access"] != "none" ||
		patched.LatencyMode != "low" {
		t.Errorf("PATCH: %+v", patched)
	}
	apiError(t, e.request("PATCH", "/video/v1/live-streams/"+created.ID, `{"reconnect_window": 5000}`), http.StatusBadRequest, "invalid_parameters")

	for _, action := range []string{"disable", "enable", "complete"} {
		r := e.request("PUT", "/video/v1/live-streams/"+created.ID+"/"+action, "")
		if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != `{"data":{}}` {
			t.Errorf("PUT %s: %s", action, r)
		}
		if action == "disable" {
			if s := liveStream(t, e.request("GET", "/video/v1/live-streams/"+created.ID, ""), http.StatusOK); s.Status != "disabled" {
				t.Errorf("after disable: status %q", s.Status)
			}
		}
	}
	if s := liveStream(t, e.request("GET", "/video/v1/live-streams/"+created.ID, ""), http.StatusOK); s.Status != "idle" {
		t.Errorf("after enable: status %q", s.Status)
	}
	apiError(t, e.request("PUT", "/video/v1/live-streams/nope/complete", ""), http.StatusNotFound, "not_found")

	reset := liveStream(t, e.request("POST", "/video/v1/live-streams/"+created.ID+"/reset-stream-key", ""), http.StatusCreated)
	if reset.StreamKey == created.StreamKey || len(reset.StreamKey) < 32 {
		t.Errorf("reset-stream-key kept or shortened the key: %q", reset.StreamKey)
	}

	r := e.request("DELETE", "/video/v1/live-streams/"+created.ID, "")
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Errorf("DELETE: %s", r)
	}
	apiError(t, e.request("GET", "/video/v1/live-streams/"+created.ID, ""), http.StatusNotFound, "not_found")
	apiError(t, e.request("DELETE", "/video/v1/live-streams/"+created.ID, ""), http.StatusNotFound, "not_found")
}

// Through the API only, as a Mux client and OBS would: create a stream,
// push to rtmp_url/stream_key, watch it go live, and find the recording
// among the assets with its master ready.
func TestLiveRecordingThroughAPI(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	e := newLiveAPI(t)
	st := liveStream(t, e.request("POST", "/video/v1/live-streams",
		`{"reconnect_window": 0, "new_asset_settings": {"master_access": "temporary", "meta": {"title": "Morning show"}, "playback_policies": ["signed"]}}`), http.StatusCreated)
	// Mux's own call for the recordings' static renditions, kept with the stream.
	if r := e.request("PUT", "/video/v1/live-streams/"+st.ID+"/new-asset-settings/static-renditions", `{"static_renditions":[{"resolution":"audio-only"}]}`); r.status != http.StatusOK {
		t.Fatalf("PUT static renditions: %s", r)
	}

	done, stderr := startEncoder(t, st.RTMPURL+"/"+st.StreamKey, 5, true)

	var active liveStreamJSON
	if !testtime.Poll(15*time.Second, func() bool {
		active = liveStream(t, e.request("GET", "/video/v1/live-streams/"+st.ID, ""), http.StatusOK)
		return active.ActiveAssetID != ""
	}) {
		t.Fatalf("the stream never went active: %+v", active)
	}
	if active.Status != "active" || !active.Connected || active.RecordingStarted == "" ||
		len(active.RecentAssetIDs) != 1 || active.RecentAssetIDs[0] != active.ActiveAssetID {
		t.Errorf("while pushing: %+v", active)
	}
	recording := asset(t, e.request("GET", "/video/v1/assets/"+active.ActiveAssetID, ""))
	if recording.Status != "preparing" || recording.Progress.State != "live" || recording.Master == nil || recording.Master.Status != "preparing" {
		t.Errorf("asset while live: status %q progress %q master %+v", recording.Status, recording.Progress.State, recording.Master)
	}
	if err := <-done; err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, stderr.String())
	}

	l := e.list("?live_stream_id=" + st.ID)
	if len(l.Data) != 1 || l.Data[0].ID != active.ActiveAssetID {
		t.Fatalf("assets of the stream: %+v", l.Data)
	}
	ready := e.waitAsset(active.ActiveAssetID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if ready.Status != "ready" || ready.Master == nil || ready.Master.Status != "ready" || ready.Master.URL == "" {
		t.Fatalf("recording: status %q master %+v", ready.Status, ready.Master)
	}
	if ready.Meta["title"] != "Morning show" || ready.Duration < 4 || ready.Duration > 6 {
		t.Errorf("recording: meta %v duration %.2f", ready.Meta, ready.Duration)
	}
	// Mux's recording_times: one content span, as long as the recording.
	var times struct {
		Data struct {
			RecordingTimes []struct {
				StartedAt string  `json:"started_at"`
				Duration  float64 `json:"duration"`
				Type      string  `json:"type"`
			} `json:"recording_times"`
		}
	}
	json.Unmarshal(e.request("GET", "/video/v1/assets/"+ready.ID, "").body, &times)
	if ids := playbackIDsOf(t, e.request("GET", "/video/v1/assets/"+ready.ID, "")); len(ids) != 1 || ids[0].Policy != "signed" {
		t.Errorf("recording playback_ids = %+v, want the signed one of new_asset_settings", ids)
	}
	if rt := times.Data.RecordingTimes; len(rt) != 1 || rt[0].Type != "content" || rt[0].Duration != ready.Duration {
		t.Errorf("recording_times = %+v, want one content span of %.3f s", rt, ready.Duration)
	} else if at, err := time.Parse(time.RFC3339Nano, rt[0].StartedAt); err != nil || at.After(time.Now()) {
		t.Errorf("recording_times started_at = %q (%v)", rt[0].StartedAt, err)
	}
	// The recording gets the static rendition its stream asked for.
	var renditions struct {
		Data []struct{ Resolution, Status string }
	}
	if !testtime.Poll(60*time.Second, func() bool {
		json.Unmarshal(e.request("GET", "/video/v1/assets/"+ready.ID+"/static-renditions", "").body, &renditions)
		return len(renditions.Data) == 1 && renditions.Data[0].Status != "preparing"
	}) || renditions.Data[0].Resolution != "audio-only" || renditions.Data[0].Status != "ready" {
		t.Errorf("recording static renditions = %+v, want the audio-only one ready", renditions.Data)
	}
	idle := liveStream(t, e.request("GET", "/video/v1/live-streams/"+st.ID, ""), http.StatusOK)
	if idle.Status != "idle" || idle.Connected || idle.ActiveAssetID != "" || idle.RecordingStarted != "" {
		t.Errorf("after the push: %+v", idle)
	}
}

// startEncoder starts ffmpeg pushing a 320x180 30 fps test pattern (and a
// tone with audio) over RTMP in real time, as OBS would. done gets its exit;
// read stderr only after that.
func startEncoder(t *testing.T, url string, seconds int, audio bool) (done <-chan error, stderr *strings.Builder) {
	t.Helper()
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30"}
	if audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440")
	}
	args = append(args, "-t", strconv.Itoa(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p")
	if audio {
		args = append(args, "-c:a", "aac")
	}
	cmd := exec.Command("ffmpeg", append(args, "-f", "flv", url)...)
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan error, 1)
	go func() { ch <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return ch, stderr
}
