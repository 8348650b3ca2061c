package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Mux answers a master-access request on an asset that is not ready with
// exactly this body; clients match on it.
func TestMasterAccessOnPreparingAssetIs412(t *testing.T) {
	env := newAPIEnv(t, apiOptions{}) // no job runner: the asset stays preparing
	a := env.create(`{"input":"/videos/a.mp4"}`)
	r := env.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"temporary"}`)
	if r.status != http.StatusPreconditionFailed {
		t.Fatalf("PUT master-access on a preparing asset: %s, want 412", r)
	}
	const want = `{"error":{"type":"failed_request","messages":["Asset is not ready"]}}`
	if got := strings.TrimSpace(string(r.body)); got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
	if g := asset(t, env.request("GET", "/video/v1/assets/"+a.ID, "")); g.MasterAccess != "none" || g.Master != nil {
		t.Errorf("a refused PUT changed master access: %q %+v", g.MasterAccess, g.Master)
	}
	// Turning access off is always allowed and changes nothing here.
	r = env.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"none"}`)
	if r.status != http.StatusOK || asset(t, r).MasterAccess != "none" {
		t.Errorf("PUT none on a preparing asset: %s", r)
	}
}

// The whole path through the API with real ffmpeg: the master is built,
// access is asked for, master.status goes preparing -> ready with a signed
// url, and "none" takes it away again.
func TestMasterAccessOnReadyAsset(t *testing.T) {
	clip := makeClip(t, "320x240", "1")
	env := newAPIEnv(t, apiOptions{runJobs: true})
	a := env.create(`{"input":` + jsonString("file://"+clip) + `}`)
	ready := env.waitAsset(a.ID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if ready.Status != "ready" {
		t.Fatalf("asset from a good clip ended %q: %+v", ready.Status, ready.Errors)
	}
	if ready.Duration < 0.9 || ready.Duration > 1.2 || ready.ResolutionTier != "720p" || ready.Progress.State != "completed" {
		t.Errorf("ready asset: duration %.3f tier %q progress %+v, want ~1 s, 720p, completed", ready.Duration, ready.ResolutionTier, ready.Progress)
	}
	if len(ready.Tracks) != 2 || ready.Tracks[0].MaxWidth != 320 || ready.Tracks[0].MaxHeight != 240 {
		t.Errorf("tracks = %+v, want a 320x240 video track and an audio track", ready.Tracks)
	}
	if ready.Master != nil {
		t.Errorf("master present without master access: %+v", ready.Master)
	}

	r := env.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"temporary"}`)
	if r.status != http.StatusOK {
		t.Fatalf("PUT master-access temporary: %s", r)
	}
	put := asset(t, r)
	if put.MasterAccess != "temporary" || put.Master == nil || put.Master.Status != "preparing" || put.Master.URL != "" {
		t.Errorf("PUT answer: access %q master %+v, want temporary and master preparing without url", put.MasterAccess, put.Master)
	}
	served := env.waitAsset(a.ID, 20*time.Second, "master ready", func(a assetJSON) bool {
		return a.Master != nil && a.Master.Status != "preparing"
	})
	if served.Master.Status != "ready" || served.Master.URL == "" {
		t.Fatalf("master = %+v, want ready with a url", served.Master)
	}
	u, err := url.Parse(served.Master.URL)
	if err != nil || u.Scheme != "http" || u.Host != "127.0.0.1:1" {
		t.Errorf("master.url %q is not an absolute link on the share base", served.Master.URL)
	}

	// Asking again while the link is out changes nothing (the same link).
	again := asset(t, env.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"temporary"}`))
	if again.Master == nil || again.Master.URL != served.Master.URL {
		t.Errorf("a second PUT temporary gave master %+v, want the same link", again.Master)
	}

	r = env.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"none"}`)
	if r.status != http.StatusOK {
		t.Fatalf("PUT none: %s", r)
	}
	if off := asset(t, r); off.MasterAccess != "none" || off.Master != nil {
		t.Errorf("after PUT none: access %q master %+v, want none and no master", off.MasterAccess, off.Master)
	}
}
