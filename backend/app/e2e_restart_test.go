package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// The durability promise end to end: `serve` is killed with SIGKILL in the
// middle of a transcode, started again on the same data folder, and the
// asset still becomes ready with a whole master; no half-written file is
// ever taken for one. Then the master is downloaded through the printed
// share address, and SIGTERM stops the process cleanly.
func TestServeSurvivesSIGKILLMidTranscode(t *testing.T) {
	requireTools(t)
	// 2160p with tier 1080p forces a scaling transcode that takes a few
	// seconds here (~4 s on 2 shared cores), long enough to catch mid-way.
	const seconds = 6.0
	input := make2160pClip(t, seconds)
	inputSum := testmedia.FileSHA256(t, input)

	dataDir := t.TempDir()
	t.Cleanup(func() {
		if n := killOrphans(t, dataDir); n > 0 {
			t.Logf("killed %d ffmpeg process(es) left running after their reelvault was killed", n)
		}
	})
	env := childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret")
	first := startServe(t, dataDir, env)
	api := apiClient{t: t, base: first.apiURL, id: "e2e", secret: "e2e-secret"}

	status, body := api.do("POST", "/video/v1/assets",
		`{"input":"`+input+`","max_resolution_tier":"1080p","master_access":"temporary","meta":{"title":"Rooftop take 3"}}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := api.asset(status, body).ID

	// Wait until ffmpeg is visibly at work, then kill the process.
	var a e2eAsset
	if !testtime.Poll(90*time.Second, func() bool {
		a = api.get(id)
		if a.Status != "preparing" {
			t.Fatalf("the transcode finished before it could be interrupted (status %q); make the clip longer", a.Status)
		}
		// Well into it, so the .part file holds real output.
		return a.Progress.State == "transcoding" && a.Progress.Progress >= 10
	}) {
		t.Fatalf("no transcoding progress after 90 s: %+v", a)
	}
	t.Logf("killing reelvault at %.1f%% of the transcode", a.Progress.Progress)
	first.kill()

	master := filepath.Join(dataDir, "masters", id+".mp4")
	if st, err := os.Stat(master + ".part"); err != nil || st.Size() == 0 {
		t.Errorf("no half-written %s.part after the kill: %v", id, err)
	}
	if _, err := os.Stat(master); !os.IsNotExist(err) {
		t.Fatalf("a finished master exists after a kill mid-transcode: %v", err)
	}
	// ffmpeg must die with reelvault (Pdeathsig), not transcode on for nothing.
	// The kernel signals it at once; it may take a moment to go.
	if !testtime.Poll(5*time.Second, func() bool { return len(orphans(dataDir)) == 0 }) {
		t.Errorf("%d ffmpeg process(es) outlived the killed reelvault by 5 s", killOrphans(t, dataDir))
	}

	second := startServe(t, dataDir, env)
	api.base = second.apiURL
	if !testtime.Poll(3*time.Minute, func() bool { a = api.get(id); return a.Status != "preparing" }) {
		t.Fatalf("asset still preparing 3 min after the restart: %+v", a)
	}
	if a.Status != "ready" {
		t.Fatalf("after the restart the asset is %q: %+v", a.Status, a.Errors)
	}
	if a.ResolutionTier != "1080p" || math.Abs(a.Duration-seconds) > 0.3 {
		t.Errorf("ready asset: tier %q duration %.3f, want 1080p and ~%.0f s", a.ResolutionTier, a.Duration, seconds)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dataDir, "masters", "*.part"))
	if len(leftovers) > 0 {
		t.Errorf("half-written files left after the rebuild: %v", leftovers)
	}
	info := ffprobe(t, master)
	if w, h := info.video(); w != 1920 || h != 1080 {
		t.Errorf("master is %dx%d, want 1920x1080", w, h)
	}
	if !info.hasAudio() || math.Abs(info.duration()-seconds) > 0.3 {
		t.Errorf("master: audio %v, duration %.3f, want audio and ~%.0f s", info.hasAudio(), info.duration(), seconds)
	}
	if got := testmedia.FileSHA256(t, master); got != a.MasterSHA256 {
		t.Errorf("master file SHA-256 %s, the archive recorded %s", got, a.MasterSHA256)
	}
	if testmedia.FileSHA256(t, input) != inputSum {
		t.Errorf("the input file was changed")
	}

	downloadThroughShareListener(t, second, a)

	if code := second.stop(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
	if !strings.Contains(second.stderr.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", second.stderr.String())
	}
}

// downloadThroughShareListener fetches the master the way a colleague
// would: the url from the API, on the printed share address.
func downloadThroughShareListener(t *testing.T, p *serveProc, a e2eAsset) {
	t.Helper()
	if a.MasterAccess != "temporary" || a.Master == nil || a.Master.Status != "ready" || a.Master.URL == "" {
		t.Fatalf("master access asked at creation, but master = %+v", a.Master)
	}
	if !strings.HasPrefix(a.Master.URL, p.shareURL+"/") {
		t.Errorf("master url %s is not on the printed share address %s", a.Master.URL, p.shareURL)
	}

	resp, err := http.Get(a.Master.URL)
	if err != nil {
		t.Fatalf("GET master url: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "download.mp4")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(f, resp.Body)
	resp.Body.Close()
	f.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("download: status %d, %d bytes, %v", resp.StatusCode, n, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "video/mp4" {
		t.Errorf("Content-Type = %q, want video/mp4", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "Rooftop take 3") {
		t.Errorf("Content-Disposition = %q, want an attachment named after the title", cd)
	}
	if n != a.MasterSize || testmedia.FileSHA256(t, dst) != a.MasterSHA256 {
		t.Errorf("downloaded %d bytes, SHA-256 %s; the archive recorded %d bytes, %s", n, testmedia.FileSHA256(t, dst), a.MasterSize, a.MasterSHA256)
	}
	if w, h := ffprobe(t, dst).video(); w != 1920 || h != 1080 {
		t.Errorf("downloaded master is %dx%d, want 1920x1080", w, h)
	}
	decodeAll(t, dst)

	// A resumed download: the middle 1000 bytes.
	whole, _ := os.ReadFile(dst)
	req, _ := http.NewRequest("GET", a.Master.URL, nil)
	req.Header.Set("Range", "bytes=100-1099")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("range request: %v", err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, whole[100:1100]) {
		t.Errorf("Range bytes=100-1099: status %d, %d bytes (match %v), want 206 with those 1000 bytes",
			resp.StatusCode, len(part), bytes.Equal(part, whole[100:1100]))
	}
	if cr := resp.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes 100-1099/%d", len(whole)) {
		t.Errorf("Content-Range = %q", cr)
	}
}

func make2160pClip(t *testing.T, seconds float64) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "rooftop 2160p.mp4")
	dur := fmt.Sprint(seconds)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	started := time.Now()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=24:duration="+dur,
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+dur,
		"-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-shortest", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the 2160p clip: %v\n%s", err, b)
	}
	t.Logf("made a %s s 2160p clip in %s", dur, time.Since(started).Round(time.Millisecond))
	return out
}
