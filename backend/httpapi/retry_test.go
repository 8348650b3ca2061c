package httpapi_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A build that failed because its file was not there is retried once the
// file is back, from the same input; retrying refuses an asset that did not
// fail, an input still missing, and an unknown id.
func TestRetryRebuildsAFailedAssetFromTheSameInput(t *testing.T) {
	e := newAPIEnv(t, apiOptions{runJobs: true})
	path := filepath.Join(t.TempDir(), "card A001.mp4")
	a := e.create(`{"input": ` + jsonString(path) + `}`)
	failed := e.waitAsset(a.ID, 30*time.Second, "errored", func(a assetJSON) bool { return a.Status == "errored" })
	if failed.Errors == nil || !strings.Contains(failed.Errors.Messages[0], "does not exist") {
		t.Fatalf("errors = %+v, want the missing file named", failed.Errors)
	}

	// Still missing: refused, and the asset is left as it was.
	r := e.request("POST", "/reelvault/v1/assets/"+a.ID+"/retry", "")
	msg := apiError(t, r, http.StatusPreconditionFailed, "failed_request").Error.Messages[0]
	if !strings.Contains(msg, "input is gone") {
		t.Errorf("refusal = %q, want it to say the input is gone", msg)
	}
	if got := asset(t, e.request("GET", "/video/v1/assets/"+a.ID, "")); got.Status != "errored" {
		t.Errorf("after a refused retry the asset is %s, want still errored", got.Status)
	}

	clip := makeClip(t, "320x240", "1")
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r = e.request("POST", "/reelvault/v1/assets/"+a.ID+"/retry", "")
	if r.status != http.StatusOK {
		t.Fatalf("retry: %s", r)
	}
	again := asset(t, r)
	if again.Status != "preparing" || again.Errors != nil || again.Input != path {
		t.Errorf("retried asset: status %s, errors %+v, input %q; want preparing, no errors, the same input", again.Status, again.Errors, again.Input)
	}
	ready := e.waitAsset(a.ID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if ready.Status != "ready" {
		t.Fatalf("after retry the asset is %s (%+v), want ready", ready.Status, ready.Errors)
	}

	apiError(t, e.request("POST", "/reelvault/v1/assets/"+a.ID+"/retry", ""), http.StatusPreconditionFailed, "failed_request")
	apiError(t, e.request("POST", "/reelvault/v1/assets/nosuchasset/retry", ""), http.StatusNotFound, "not_found")
}

// Builds waiting in the queue say how many come before them; with no worker
// running, the first waits behind none.
func TestQueuedAssetsSayHowManyAreAhead(t *testing.T) {
	e := newAPIEnv(t, apiOptions{}) // no job runner: every build stays queued
	clip := makeClip(t, "320x240", "1")
	var ids []string
	for range 3 {
		ids = append(ids, e.create(`{"input": `+jsonString(clip)+`}`).ID)
	}
	for i, id := range ids {
		a := asset(t, e.request("GET", "/video/v1/assets/"+id, ""))
		if a.QueueAhead == nil || *a.QueueAhead != i {
			t.Errorf("asset %d: queue_ahead = %v, want %d", i, a.QueueAhead, i)
		}
	}
	for _, a := range e.list("?limit=10").Data {
		if a.QueueAhead == nil {
			t.Errorf("listed asset %s has no queue_ahead", a.ID)
		}
	}
}
