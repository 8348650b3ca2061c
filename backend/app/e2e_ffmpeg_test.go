package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// Without ffmpeg (a PATH that lacks it) Reelvault starts, the library answers, the UI is told
// what is missing and how to install it, and an ingest waits ("Waiting for ffmpeg") instead of
// failing; once the folder holding ffmpeg is set in Settings, the same asset becomes ready.
func TestIngestWaitsForFFmpegAndResumesWhenItIsSet(t *testing.T) {
	requireTools(t)
	clip := testmedia.TempClip(t, "Quay at dusk.mp4",
		testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.H264AAC())...)
	noFFmpeg := t.TempDir()
	env := childEnv(t)
	env[0] = "PATH=" + noFFmpeg
	dataDir := t.TempDir()
	p := startServe(t, dataDir, env)
	api := tokenClient(t, p)

	readInfo := func() string {
		var info struct {
			Data struct {
				FFmpegProblem string `json:"ffmpeg_problem"`
			} `json:"data"`
		}
		status, body := api.do("GET", "/ui/v1/info", "")
		if err := json.Unmarshal(body, &info); status != http.StatusOK || err != nil {
			t.Fatalf("GET /ui/v1/info: %d %s", status, body)
		}
		return info.Data.FFmpegProblem
	}
	if problem := readInfo(); !strings.Contains(problem, "ffmpeg was not found") || !strings.Contains(problem, "apt install ffmpeg") {
		t.Errorf("the UI is not told ffmpeg is missing and how to install it: %q", problem)
	}
	if status, body := api.do("GET", "/video/v1/assets", ""); status != http.StatusOK {
		t.Fatalf("the library without ffmpeg: %d %s", status, body)
	}

	status, body := api.do("POST", "/video/v1/assets", fmt.Sprintf(`{"inputs":[{"url":%q}]}`, clip))
	if status != http.StatusCreated {
		t.Fatalf("creating the asset: %d %s", status, body)
	}
	id := api.asset(status, body).ID
	waiting := pollAsset(t, api, id, func(a e2eAsset) bool { return a.Waiting != "" || a.Status != "preparing" })
	if waiting.Status != "preparing" || !strings.HasPrefix(waiting.Waiting, "Waiting for ffmpeg") {
		t.Fatalf("without ffmpeg the asset is %s, waiting %q; want preparing, waiting for ffmpeg", waiting.Status, waiting.Waiting)
	}

	// A bad path changes nothing; the folder with ffmpeg and ffprobe is taken at once.
	if status, body := api.do("PATCH", "/ui/v1/settings", `{"ffmpeg_path":"relative/bin"}`); status != http.StatusBadRequest {
		t.Errorf("a relative ffmpeg_path: %d %s, want 400", status, body)
	}
	folder := t.TempDir()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		real, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(folder, tool)); err != nil {
			t.Fatal(err)
		}
	}
	if status, body := api.do("PATCH", "/ui/v1/settings", fmt.Sprintf(`{"ffmpeg_path":%q}`, folder)); status != http.StatusOK ||
		!strings.Contains(string(body), `"ffmpeg_in_use":"`+filepath.Join(folder, "ffmpeg")+`"`) {
		t.Fatalf("setting the ffmpeg folder: %d %s", status, body)
	}
	ready := pollAsset(t, api, id, func(a e2eAsset) bool { return a.Status != "preparing" })
	if ready.Status != "ready" || ready.Waiting != "" {
		t.Errorf("after ffmpeg was set the asset is %s (waiting %q, errors %+v), want ready", ready.Status, ready.Waiting, ready.Errors)
	}
	if problem := readInfo(); problem != "" {
		t.Errorf("the banner stays after ffmpeg was found: %q", problem)
	}
}

// tokenClient is an API client with the data folder's access token.
func tokenClient(t *testing.T, p *serveProc) apiClient {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(p.dataDir, "access-token.json"))
	if err != nil {
		t.Fatal(err)
	}
	var token struct{ ID, Secret string }
	if err := json.Unmarshal(raw, &token); err != nil {
		t.Fatal(err)
	}
	return apiClient{t: t, base: p.apiURL, id: token.ID, secret: token.Secret}
}

// pollAsset reads the asset until done says so, on a ticker with a deadline.
func pollAsset(t *testing.T, api apiClient, id string, done func(e2eAsset) bool) e2eAsset {
	t.Helper()
	deadline := time.After(time.Minute)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		a := api.get(id)
		if done(a) {
			return a
		}
		select {
		case <-deadline:
			t.Fatalf("asset %s did not get there in a minute: %+v", id, a)
		case <-tick.C:
		}
	}
}
