package app

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
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

// wholeFragments counts the complete fragments (an mdat box written whole)
// of a fragmented MP4 being recorded, reading its top-level boxes.
func wholeFragments(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n := 0
	for len(b) >= 8 {
		size := int(binary.BigEndian.Uint32(b))
		if size < 8 || size > len(b) {
			break // a box still being written (or a 64-bit size, which 1 s fragments never need)
		}
		if string(b[4:8]) == "mdat" {
			n++
		}
		b = b[size:]
	}
	return n
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
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-re"}, testmedia.ProgressArgs...)
	encoder := exec.Command("ffmpeg", append(args,
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
		"-t", "60", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac",
		"-f", "flv", st.RTMPURL+"/"+st.StreamKey)...)
	progress, err := encoder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := encoder.Start(); err != nil {
		t.Fatal(err)
	}
	var sent testmedia.Progress
	go sent.Follow(progress)
	t.Cleanup(func() { encoder.Process.Signal(syscall.SIGKILL); encoder.Wait() })

	if !testtime.Poll(20*time.Second, func() bool {
		st = api.liveStream("GET", "/video/v1/live-streams/"+st.ID, "", http.StatusOK)
		return st.ActiveAssetID != ""
	}) {
		t.Fatalf("the stream never started recording: %+v", st)
	}
	// A few seconds into the recording, by what is on disk.
	part := filepath.Join(dataDir, "live", st.ID, st.ActiveAssetID+"-part1.mp4")
	if !testtime.Poll(30*time.Second, func() bool { return wholeFragments(part) >= 3 }) {
		t.Fatalf("%d whole fragments on disk after 30 s, want 3", wholeFragments(part))
	}
	first.kill()
	sentByKill := sent.Seconds()
	onDisk := wholeFragments(part) // a second of media each: what a SIGKILL must not lose
	encoder.Process.Signal(syscall.SIGKILL)

	if info, err := os.Stat(part); err != nil || info.Size() == 0 {
		t.Fatalf("no recording on disk after the kill: %v", err)
	}

	second := startServe(t, dataDir, env)
	api = apiClient{t: t, base: second.apiURL, id: "e2e", secret: "e2e-secret"}
	var a e2eAsset
	if !testtime.Poll(90*time.Second, func() bool { a = api.get(st.ActiveAssetID); return a.Status != "preparing" }) {
		t.Fatalf("asset still preparing 90 s after the restart: %+v", a)
	}
	if a.Status != "ready" || a.Master == nil || a.Master.Status != "ready" || a.Master.URL == "" {
		t.Fatalf("after the restart: status %q master %+v errors %+v", a.Status, a.Master, a.Errors)
	}
	// Every whole fragment on disk at the kill is in the asset, and nothing
	// the encoder did not send. (What was in the server's memory and socket
	// buffers is lost: about the fragment being gathered, more on a machine
	// too loaded to read the socket in time.)
	if least := float64(onDisk) - 0.2; a.Duration < least || a.Duration > sentByKill+0.5 {
		t.Errorf("killed with %d whole fragments on disk after the encoder sent %.1f s; the asset holds %.2f s", onDisk, sentByKill, a.Duration)
	}
	t.Logf("killed with %d whole fragments on disk after the encoder sent %.1f s; the asset holds %.2f s", onDisk, sentByKill, a.Duration)
	decodeAll(t, filepath.Join(dataDir, "masters", a.ID+".mp4"))
	if s := api.liveStream("GET", "/video/v1/live-streams/"+st.ID, "", http.StatusOK); s.Status != "idle" || s.Connected || s.ActiveAssetID != "" {
		t.Errorf("after the restart the stream is %+v, want idle", s)
	}
	if code := second.stop(15 * time.Second); code != 0 {
		t.Errorf("SIGTERM exit code %d", code)
	}
}
