package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// A change of master size survives a crash: `serve` is killed with SIGKILL while it
// makes a 4K master again at 1080p; the asset still has its 4K master, whole, and
// serving; started again, the rebuild runs to its end, the asset describes the new
// master, and the data folder holds that one file for it (no .part, no unused rebuild
// file, no replaced master).
func TestServeRebuildSurvivesSIGKILL(t *testing.T) {
	requireTools(t)
	const seconds = 6.0 // a few seconds of 4K → 1080p here: long enough to catch mid-way
	input := make2160pClip(t, seconds)

	dataDir := t.TempDir()
	t.Cleanup(func() { killOrphans(t, dataDir) })
	env := childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret")
	first := startServe(t, dataDir, env)
	api := apiClient{t: t, base: first.apiURL, id: "e2e", secret: "e2e-secret"}

	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+input+`","max_resolution_tier":"2160p","video_quality":"basic"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := api.asset(status, body).ID
	var a e2eAsset
	if !testtime.Poll(2*time.Minute, func() bool { a = api.get(id); return a.Status != "preparing" }) || a.Status != "ready" {
		t.Fatalf("first master: %+v", a)
	}
	old := a
	oldFile := filepath.Join(dataDir, "masters", id+".mp4")
	if testmedia.FileSHA256(t, oldFile) != old.MasterSHA256 {
		t.Fatalf("the first master is not at %s", oldFile)
	}

	status, body = api.do("POST", "/reelvault/v1/assets/"+id+"/rebuild", `{"max_resolution_tier":"1080p"}`)
	if status != http.StatusAccepted {
		t.Fatalf("rebuild: %d %s", status, body)
	}
	if !testtime.Poll(90*time.Second, func() bool {
		a = api.get(id)
		if a.Rebuild == nil {
			t.Fatalf("the rebuild finished before it could be interrupted (%+v); make the clip longer", a)
		}
		return a.Rebuild.State == "building" && a.Rebuild.Progress >= 10
	}) {
		t.Fatalf("no rebuild progress after 90 s: %+v", a.Rebuild)
	}
	t.Logf("killing reelvault at %.1f%% of the rebuild", a.Rebuild.Progress)
	first.kill()
	if !testtime.Poll(5*time.Second, func() bool { return len(orphans(dataDir)) == 0 }) {
		t.Errorf("ffmpeg outlived the killed reelvault")
	}
	if got := testmedia.FileSHA256(t, oldFile); got != old.MasterSHA256 {
		t.Fatalf("after the kill the 4K master's SHA-256 is %s, recorded %s", got, old.MasterSHA256)
	}

	second := startServe(t, dataDir, env)
	api.base = second.apiURL
	if mid := api.get(id); mid.MasterSHA256 != old.MasterSHA256 && mid.Rebuild != nil {
		t.Errorf("restarted with a rebuild pending, the asset's master changed: %+v", mid)
	}
	if !testtime.Poll(3*time.Minute, func() bool { a = api.get(id); return a.Rebuild == nil || a.Rebuild.State == "failed" }) || a.Rebuild != nil {
		t.Fatalf("rebuild after the restart: %+v", a.Rebuild)
	}
	if a.Status != "ready" || a.MaxResolutionTier != "1080p" || a.ResolutionTier != "1080p" || a.MasterSHA256 == old.MasterSHA256 {
		t.Fatalf("after the rebuild: %+v", a)
	}
	files, _ := filepath.Glob(filepath.Join(dataDir, "masters", id+"*"))
	if len(files) != 1 || strings.HasSuffix(files[0], ".part") || files[0] == oldFile {
		t.Fatalf("masters/ holds %q for the asset, want only the new master", files)
	}
	if got := testmedia.FileSHA256(t, files[0]); got != a.MasterSHA256 {
		t.Errorf("new master SHA-256 %s, recorded %s", got, a.MasterSHA256)
	}
	if st, _ := os.Stat(files[0]); st == nil || st.Size() != a.MasterSize {
		t.Errorf("new master size %v, recorded %d", st, a.MasterSize)
	}
	info := ffprobe(t, files[0])
	if w, h := info.video(); w != 1920 || h != 1080 || !info.hasAudio() {
		t.Errorf("new master %dx%d audio %v, want 1920x1080 with audio", w, h, info.hasAudio())
	}
	decodeAll(t, files[0])
	if code := second.stop(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d", code)
	}
}
