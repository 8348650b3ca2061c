package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/testmedia"
)

// POST /reelvault/v1/assets/{id}/rebuild changes a ready asset's master size: 400 for a
// tier Mux does not name, 200 when there is nothing to build, 202 with the rebuild on the
// asset (which stays ready, its master serving), the rebuild in the change feed, DELETE
// to cancel (204, then 404), 412 when the source is gone. The free space the archive
// sees is a stand-in, so the rebuild can be held waiting for room.
func TestRebuildEndpoint(t *testing.T) {
	var full atomic.Bool
	space := &diskspace.Checker{Free: func(string) (int64, int64, error) {
		if full.Load() {
			return 1 << 10, 1 << 40, nil
		}
		return 1 << 40, 1 << 41, nil
	}}
	e := newAPIEnv(t, apiOptions{runJobs: true, feed: true, space: space})
	src := testmedia.TempClip(t, "big.mp4", testmedia.Join(testmedia.LavfiVideo("2048x1152", "5", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	a := e.create(`{"input": ` + jsonString(src) + `, "max_resolution_tier": "1080p", "video_quality": "basic"}`)
	a = e.waitAsset(a.ID, time.Minute, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if a.Status != "ready" || a.Tracks[0].MaxWidth != 1920 {
		t.Fatalf("first master: %s %+v", a.Status, a.Tracks)
	}
	path := "/reelvault/v1/assets/" + a.ID + "/rebuild"

	msg := apiError(t, e.request("POST", path, `{"max_resolution_tier":"4k"}`), http.StatusBadRequest, "invalid_parameters").Error.Messages[0]
	if !strings.Contains(msg, "max_resolution_tier") {
		t.Errorf("400 says %q, want the field named", msg)
	}
	apiError(t, e.request("POST", path, `{}`), http.StatusBadRequest, "invalid_parameters")
	apiError(t, e.request("POST", "/reelvault/v1/assets/nosuchasset/rebuild", `{"max_resolution_tier":"2160p"}`), http.StatusNotFound, "not_found")
	apiError(t, e.request("DELETE", path, ""), http.StatusNotFound, "not_found")

	r := e.request("POST", path, `{"max_resolution_tier":"1080p"}`)
	if r.status != http.StatusOK || asset(t, r).Rebuild != nil {
		t.Fatalf("the tier it has: %s, want 200 and no rebuild", r)
	}

	lines := e.openEventStream("/ui/v1/stream")
	for lines.Scan() && lines.Text() != ": connected" {
	}
	full.Store(true) // the rebuild waits for room, where the test can see it
	r = e.request("POST", path, `{"max_resolution_tier":"2160p"}`)
	if r.status != http.StatusAccepted {
		t.Fatalf("rebuild: %s, want 202", r)
	}
	queued := asset(t, r)
	if queued.Status != "ready" || queued.MaxResolutionTier != "1080p" || queued.Rebuild == nil ||
		queued.Rebuild.MaxResolutionTier != "2160p" || queued.Rebuild.State == "failed" {
		t.Fatalf("202 body: status %s tier %s rebuild %+v; want ready at 1080p with a rebuild to 2160p", queued.Status, queued.MaxResolutionTier, queued.Rebuild)
	}
	if again := e.request("POST", path, `{"max_resolution_tier":"2160p"}`); again.status != http.StatusAccepted {
		t.Errorf("asked twice: %s, want 202 again", again)
	}
	// The feed reports it, with what it waits for.
	var seen *rebuildJSON
	for seen == nil && lines.Scan() {
		data, ok := strings.CutPrefix(lines.Text(), "data: ")
		if !ok {
			continue
		}
		var c struct {
			Kind     string `json:"kind"`
			Progress []struct {
				ID      string       `json:"id"`
				Rebuild *rebuildJSON `json:"rebuild"`
			} `json:"progress"`
		}
		json.Unmarshal([]byte(data), &c)
		for _, p := range c.Progress {
			if p.ID == a.ID && p.Rebuild != nil && p.Rebuild.Waiting != "" {
				seen = p.Rebuild
			}
		}
	}
	if seen == nil || seen.MaxResolutionTier != "2160p" || !strings.Contains(seen.Waiting, "free space") {
		t.Fatalf("feed: rebuild %+v (%v), want one waiting for free space", seen, lines.Err())
	}
	waiting := asset(t, e.request("GET", "/video/v1/assets/"+a.ID, ""))
	if waiting.Rebuild == nil || waiting.Rebuild.Waiting == "" || waiting.Status != "ready" || waiting.MasterSHA != a.MasterSHA {
		t.Errorf("GET while waiting: status %s rebuild %+v", waiting.Status, waiting.Rebuild)
	}

	if r := e.request("DELETE", path, ""); r.status != http.StatusNoContent {
		t.Fatalf("cancel: %s", r)
	}
	apiError(t, e.request("DELETE", path, ""), http.StatusNotFound, "not_found")
	if got := asset(t, e.request("GET", "/video/v1/assets/"+a.ID, "")); got.Rebuild != nil || got.MasterSHA != a.MasterSHA || got.MaxResolutionTier != "1080p" {
		t.Errorf("after the cancel: rebuild %+v sha %s tier %s", got.Rebuild, got.MasterSHA, got.MaxResolutionTier)
	}

	full.Store(false)
	if r := e.request("POST", path, `{"max_resolution_tier":"2160p"}`); r.status != http.StatusAccepted {
		t.Fatalf("rebuild: %s", r)
	}
	done := e.waitAsset(a.ID, time.Minute, "rebuilt", func(a assetJSON) bool { return a.Rebuild == nil || a.Rebuild.State == "failed" })
	if done.Rebuild != nil || done.MaxResolutionTier != "2160p" || done.ResolutionTier != "1440p" || done.Tracks[0].MaxWidth != 2048 ||
		done.MasterSHA == a.MasterSHA || done.MasterSize <= 0 {
		t.Fatalf("after the rebuild: rebuild %+v tier %s/%s tracks %+v", done.Rebuild, done.MaxResolutionTier, done.ResolutionTier, done.Tracks)
	}

	// The source gone: refused, with its path; the master stays.
	moved := filepath.Join(t.TempDir(), "moved.mp4")
	if err := os.Rename(src, moved); err != nil {
		t.Fatal(err)
	}
	msg = apiError(t, e.request("POST", path, `{"max_resolution_tier":"1080p"}`), http.StatusPreconditionFailed, "failed_request").Error.Messages[0]
	if !strings.Contains(msg, src) || !strings.Contains(msg, "left as it is") {
		t.Errorf("412 says %q, want the path and that the master is kept", msg)
	}
}
