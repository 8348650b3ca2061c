package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"reelvault/backend/quarantine"
)

// The files start-up set aside are listed; restore makes one a new asset
// (built like any other) and delete removes one for good; nothing else.
func TestQuarantineListRestoreDelete(t *testing.T) {
	env := newAPIEnv(t, apiOptions{runJobs: true})
	masters := filepath.Join(env.dataDir, "masters")
	os.MkdirAll(masters, 0o700)
	clip, _ := os.ReadFile(makeClip(t, "320x240", "1"))
	var ids []string
	for _, name := range []string{"kept by a newer database.mp4", "junk.mp4"} {
		p := filepath.Join(masters, name)
		os.WriteFile(p, clip, 0o600)
		it, err := quarantine.Move(env.dataDir, p, "no asset owns this file", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	var list struct {
		Data []struct {
			ID, Name, From, Reason string
			Size                   int64
		} `json:"data"`
	}
	r := env.request("GET", "/reelvault/v1/quarantine", "")
	if err := json.Unmarshal(r.body, &list); err != nil || r.status != http.StatusOK || len(list.Data) != 2 {
		t.Fatalf("list: %s", r)
	}
	// Both were moved within the same second: their order in the list is their IDs'
	// random part, so the item is found by name.
	i := slices.IndexFunc(list.Data, func(it struct {
		ID, Name, From, Reason string
		Size                   int64
	}) bool {
		return it.ID == ids[0]
	})
	if i < 0 {
		t.Fatalf("list %s has no item %s", r.body, ids[0])
	}
	if it := list.Data[i]; it.Name != "kept by a newer database.mp4" || it.From != "masters/kept by a newer database.mp4" || it.Size != int64(len(clip)) || it.Reason == "" {
		t.Errorf("item %+v", it)
	}

	r = env.request("POST", "/reelvault/v1/quarantine/"+ids[0]+"/restore", "")
	if r.status != http.StatusCreated {
		t.Fatalf("restore: %s", r)
	}
	restored := asset(t, r)
	if restored.MaxResolutionTier != "2160p" || !strings.Contains(string(r.body), `"title":"kept by a newer database"`) {
		t.Errorf("restored asset: %s; want the file's name as title, at the largest tier", r.body)
	}
	env.waitAsset(restored.ID, time.Minute, "ready", func(a assetJSON) bool { return a.Status == "ready" })

	if r := env.request("DELETE", "/reelvault/v1/quarantine/"+ids[1], ""); r.status != http.StatusNoContent {
		t.Errorf("delete: %s", r)
	}
	for _, bad := range []string{ids[1], "nothing-here"} {
		if r := env.request("DELETE", "/reelvault/v1/quarantine/"+bad, ""); r.status != http.StatusNotFound {
			t.Errorf("delete %q: %s, want 404", bad, r)
		}
	}
	if r := env.request("POST", "/reelvault/v1/quarantine/"+ids[1]+"/restore", ""); r.status != http.StatusNotFound {
		t.Errorf("restore of a deleted item: %s, want 404", r)
	}
	r = env.request("GET", "/reelvault/v1/quarantine", "")
	list.Data = nil
	if json.Unmarshal(r.body, &list); len(list.Data) != 0 {
		t.Errorf("quarantine after restore and delete: %s", r.body)
	}
	if r := env.anonymous("GET", "/reelvault/v1/quarantine", ""); r.status != http.StatusUnauthorized {
		t.Errorf("without credentials: %s, want 401", r)
	}
}
