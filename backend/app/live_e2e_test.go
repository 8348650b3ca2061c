package app

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2eLiveStream is the part of the live stream object these tests read.
type e2eLiveStream struct {
	ID            string `json:"id"`
	StreamKey     string `json:"stream_key"`
	Status        string `json:"status"`
	ActiveAssetID string `json:"active_asset_id"`
	Connected     bool   `json:"connected"`
	RTMPURL       string `json:"rtmp_url"`
}

func (c apiClient) liveStream(method, path, body string, want int) e2eLiveStream {
	c.t.Helper()
	status, b := c.do(method, path, body)
	var env struct {
		Data *e2eLiveStream `json:"data"`
	}
	if status != want || json.Unmarshal(b, &env) != nil || env.Data == nil {
		c.t.Fatalf("%s %s: %d %s", method, path, status, b)
	}
	return *env.Data
}

// The live durability promise end to end: an encoder pushes to `serve`,
// which is killed with SIGKILL mid-stream; the next start turns what was
// recorded (all but about the last second) into an asset whose master is
// ready, and the stream is idle again.
func TestServeRecordsLiveAcrossSIGKILL(t *testing.T) {
	requireTools(t)
	dataDir := t.TempDir()
	env := childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret")
	first := startServe(t, dataDir, env)
	api := apiClient{t: t, base: first.apiURL, id: "e2e", secret: "e2e-secret"}

	st := api.liveStream("POST", "/video/v1/live-streams",
		`{"reconnect_window": 60, "new_asset_settings": {"master_access": "temporary"}}`, http.StatusCreated)
	if !strings.HasPrefix(st.RTMPURL, "rtmp://127.0.0.1:") {
		t.Fatalf("rtmp_url = %q", st.RTMPURL)
	}
	encoder := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
		"-t", "60", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac",
		"-f", "flv", st.RTMPURL+"/"+st.StreamKey)
	if err := encoder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { encoder.Process.Signal(syscall.SIGKILL); encoder.Wait() })

	var connectedAt time.Time
	deadline := time.Now().Add(20 * time.Second)
	for {
		cur := api.liveStream("GET", "/video/v1/live-streams/"+st.ID, "", http.StatusOK)
		if cur.Connected && connectedAt.IsZero() {
			connectedAt = time.Now()
		}
		if cur.ActiveAssetID != "" {
			st = cur
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stream never started recording: %+v", cur)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(4 * time.Second)
	first.kill()
	recorded := time.Since(connectedAt).Seconds()
	encoder.Process.Signal(syscall.SIGKILL)

	part := filepath.Join(dataDir, "live", st.ID, st.ActiveAssetID+"-part1.mp4")
	if info, err := os.Stat(part); err != nil || info.Size() == 0 {
		t.Fatalf("no recording on disk after the kill: %v", err)
	}

	second := startServe(t, dataDir, env)
	api = apiClient{t: t, base: second.apiURL, id: "e2e", secret: "e2e-secret"}
	var a e2eAsset
	deadline = time.Now().Add(90 * time.Second)
	for a = api.get(st.ActiveAssetID); a.Status == "preparing"; a = api.get(st.ActiveAssetID) {
		if time.Now().After(deadline) {
			t.Fatalf("asset still preparing 90 s after the restart: %+v", a)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if a.Status != "ready" || a.Master == nil || a.Master.Status != "ready" || a.Master.URL == "" {
		t.Fatalf("after the restart: status %q master %+v errors %+v", a.Status, a.Master, a.Errors)
	}
	// Killed `recorded` seconds after the encoder connected: at most about a
	// second (the fragment being gathered) may be missing.
	if a.Duration < recorded-2 || a.Duration > recorded+0.5 {
		t.Errorf("killed %.1f s into the stream; the asset holds %.2f s", recorded, a.Duration)
	}
	t.Logf("killed %.1f s after the encoder connected; the asset holds %.2f s", recorded, a.Duration)
	decodeAll(t, filepath.Join(dataDir, "masters", a.ID+".mp4"))
	if s := api.liveStream("GET", "/video/v1/live-streams/"+st.ID, "", http.StatusOK); s.Status != "idle" || s.Connected || s.ActiveAssetID != "" {
		t.Errorf("after the restart the stream is %+v, want idle", s)
	}
	if code := second.stop(15 * time.Second); code != 0 {
		t.Errorf("SIGTERM exit code %d", code)
	}
}
