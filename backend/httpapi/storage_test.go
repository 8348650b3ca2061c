package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The header's storage line: what the masters take, and the disk's free space.
func TestStorageAddsUpMastersAndReadsTheDisk(t *testing.T) {
	e := newAPIEnv(t, apiOptions{runJobs: true})
	type storage struct {
		UsedBytes    int64 `json:"used_bytes"`
		MastersBytes int64 `json:"masters_bytes"`
		FreeBytes    int64 `json:"free_bytes"`
		DiskBytes    int64 `json:"disk_bytes"`
	}
	read := func() storage {
		r := e.request("GET", "/ui/v1/storage", "")
		if r.status != http.StatusOK {
			t.Fatalf("GET /ui/v1/storage: %s", r)
		}
		var env struct{ Data storage }
		decodeStrict(t, r, &env)
		return env.Data
	}
	if empty := read(); empty.UsedBytes != 0 || empty.FreeBytes <= 0 || empty.DiskBytes < empty.FreeBytes {
		t.Fatalf("empty library: %+v, want nothing used and the disk's free space and size", empty)
	}
	a := e.create(`{"input": ` + jsonString(makeClip(t, "320x240", "1")) + `}`)
	e.waitAsset(a.ID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status == "ready" })
	r := e.request("GET", "/video/v1/assets/"+a.ID, "")
	var got struct {
		Data struct {
			MasterSize int64 `json:"master_size"`
		}
	}
	if err := json.Unmarshal(r.body, &got); err != nil || got.Data.MasterSize <= 0 {
		t.Fatalf("master_size of the ready asset: %s", r.body)
	}
	if s := read(); s.MastersBytes != got.Data.MasterSize || s.UsedBytes != s.MastersBytes {
		t.Errorf("storage %+v, want the one master's %d bytes (a file input keeps no original)", s, got.Data.MasterSize)
	}
}
