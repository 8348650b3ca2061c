package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// The window's player reads the master through /ui/v1 with Range requests
// (that is how a <video> element seeks); the answer is the master's bytes,
// behind the login, and only once there is a master.
func TestPlayMasterAnswersRangeRequests(t *testing.T) {
	clip := makeClip(t, "320x240", "1")
	env := newAPIEnv(t, apiOptions{runJobs: true})
	a := env.create(`{"input":` + jsonString("file://"+clip) + `}`)
	ready := env.waitAsset(a.ID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if ready.Status != "ready" {
		t.Fatalf("asset from a good clip ended %q: %+v", ready.Status, ready.Errors)
	}
	url := "/ui/v1/assets/" + a.ID + "/master.mp4"

	whole := env.request("GET", url, "")
	if whole.status != http.StatusOK || whole.header.Get("Content-Type") != "video/mp4" || whole.header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("GET master.mp4: %d %v", whole.status, whole.header)
	}
	if len(whole.body) < 1000 || !bytes.Equal(whole.body[4:8], []byte("ftyp")) {
		t.Fatalf("GET master.mp4: %d bytes starting %q, want an MP4", len(whole.body), whole.body[:min(len(whole.body), 8)])
	}

	req := env.newRequest("GET", url, "", true)
	req.Header.Set("Range", "bytes=100-199")
	part := env.send(req)
	if part.status != http.StatusPartialContent || !bytes.Equal(part.body, whole.body[100:200]) {
		t.Errorf("Range bytes=100-199: %d, %d bytes, want 206 with bytes 100..199 of the master", part.status, len(part.body))
	}
	if got := part.header.Get("Content-Range"); got == "" {
		t.Errorf("Range answer without Content-Range")
	}

	if r := env.anonymous("GET", url, ""); r.status != http.StatusUnauthorized {
		t.Errorf("master.mp4 without credentials: %s, want 401", r)
	}
	if r := env.request("GET", "/ui/v1/assets/nope/master.mp4", ""); r.status != http.StatusNotFound {
		t.Errorf("master.mp4 of an unknown asset: %s, want 404", r)
	}
}

func TestPlayMasterOfAPreparingAssetIs412(t *testing.T) {
	env := newAPIEnv(t, apiOptions{}) // no job runner: the asset stays preparing
	a := env.create(`{"input":"/videos/a.mp4"}`)
	if r := env.request("GET", "/ui/v1/assets/"+a.ID+"/master.mp4", ""); r.status != http.StatusPreconditionFailed {
		t.Errorf("master.mp4 of a preparing asset: %s, want 412", r)
	}
}
