package wire_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/links"
	"reelvault/backend/wire"
)

func newAssets(t *testing.T) *wire.Assets {
	t.Helper()
	signer, err := links.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "http://127.0.0.1:8911")
	if err != nil {
		t.Fatal(err)
	}
	return wire.NewAssets(signer)
}

func encode(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The API shows created_at as a string, events as an integer (as Mux).
func TestAssetCreatedAtInAPIAndEvents(t *testing.T) {
	r := newAssets(t)
	created := time.Unix(1_700_000_000, 0)
	a := archive.Asset{ID: "a1", CreatedAt: created, Status: archive.StatusPreparing, MasterAccess: archive.AccessNone}
	if got := encode(t, r.Asset(a, created))["created_at"]; got != "1700000000" {
		t.Errorf("API created_at = %#v, want the string", got)
	}
	if got := encode(t, r.Event(a, created))["created_at"]; got != 1.7e9 {
		t.Errorf("event created_at = %#v, want the integer", got)
	}
}

// Master access as Mux shows it: no master object without access, a signed
// link while one is out, and none as soon as the link has expired, before
// the sweeper records it.
func TestAssetMasterAccess(t *testing.T) {
	r := newAssets(t)
	now := time.Unix(1_700_000_000, 0)
	a := archive.Asset{ID: "a1", CreatedAt: now, Status: archive.StatusReady, MasterAccess: archive.AccessTemporary,
		MasterStatus: archive.MasterReady, LinkGeneration: 3, LinkExpiresAt: now.Add(time.Hour)}

	v := encode(t, r.Asset(a, now))
	m, _ := v["master"].(map[string]any)
	url, _ := m["url"].(string)
	if m["status"] != "ready" || !strings.HasPrefix(url, "http://127.0.0.1:8911/") || v["master_expires_at"] != "1700003600" {
		t.Errorf("link out: master %v, master_expires_at %v", v["master"], v["master_expires_at"])
	}

	v = encode(t, r.Asset(a, now.Add(time.Hour+time.Second)))
	if _, ok := v["master"]; ok || v["master_access"] != "none" {
		t.Errorf("expired, not swept: master_access %v master %v, want none and no master", v["master_access"], v["master"])
	}

	a.MasterStatus, a.MasterError, a.LinkExpiresAt = archive.MasterErrored, "the master is damaged", time.Time{}
	v = encode(t, r.Asset(a, now))
	if m, _ := v["master"].(map[string]any); m["status"] != "errored" || m["url"] != nil || v["master_error"] != "the master is damaged" {
		t.Errorf("errored master: %v, master_error %v", v["master"], v["master_error"])
	}

	a.MasterAccess = archive.AccessNone
	if v := encode(t, r.Asset(a, now)); v["master"] != nil {
		t.Errorf("access none shows master %v", v["master"])
	}
}

// Progress is rounded with math.Round: Mux's -1 of an errored asset stays -1.
func TestAssetErroredProgress(t *testing.T) {
	r := newAssets(t)
	a := archive.Asset{ID: "a1", Status: archive.StatusErrored, ErrorType: "invalid_input", ErrorMessage: "not a video",
		ProgressState: archive.ProgressErrored, Progress: -1, MasterAccess: archive.AccessNone}
	v := encode(t, r.Asset(a, time.Now()))
	if p := v["progress"].(map[string]any); p["state"] != "errored" || p["progress"] != -1.0 {
		t.Errorf("progress %v, want errored -1", p)
	}
	if e := v["errors"].(map[string]any); e["type"] != "invalid_input" {
		t.Errorf("errors %v", e)
	}
}

func TestEncodingTierBothWays(t *testing.T) {
	for _, c := range []struct{ quality, tier string }{{"basic", "baseline"}, {"plus", "smart"}, {"premium", "premium"}} {
		if got := wire.EncodingTier(c.quality); got != c.tier {
			t.Errorf("EncodingTier(%q) = %q, want %q", c.quality, got, c.tier)
		}
	}
	if wire.VideoQualityOf("baseline") != "basic" || wire.VideoQualityOf("smart") != "plus" || wire.VideoQualityOf("best") != "best" {
		t.Error("encoding_tier in a request is not mapped to its video quality (or an unknown one not passed on)")
	}
}

// A running build's speed is Reelvault's own field: multiples of real time for a
// transcode, whole bytes per second for a copy; absent once the asset is no longer preparing.
func TestAssetSpeed(t *testing.T) {
	r := newAssets(t)
	now := time.Unix(1_700_000_000, 0)
	a := archive.Asset{ID: "a1", CreatedAt: now, Status: archive.StatusPreparing, MasterAccess: archive.AccessNone,
		Speed: &archive.Speed{Realtime: 2.4444}}
	if got, _ := json.Marshal(encode(t, r.Asset(a, now))["speed"]); string(got) != `{"realtime":2.44}` {
		t.Errorf("transcode speed %s, want {\"realtime\":2.44}", got)
	}
	a.Speed = &archive.Speed{BytesPerSecond: 89_000_000.4}
	if got, _ := json.Marshal(encode(t, r.Asset(a, now))["speed"]); string(got) != `{"bytes_per_second":89000000}` {
		t.Errorf("copy speed %s, want {\"bytes_per_second\":89000000}", got)
	}
	a.Status = archive.StatusReady
	if v, ok := encode(t, r.Asset(a, now))["speed"]; ok {
		t.Errorf("a ready asset shows speed %v", v)
	}
	// A ready asset's rebuild at another size says its speed in its own object.
	a.Rebuild, a.Speed = &archive.Rebuild{MaxResolutionTier: "1080p", State: archive.RebuildBuilding, Progress: 40}, &archive.Speed{Realtime: 0.93}
	v := encode(t, r.Asset(a, now))
	if got, _ := json.Marshal(v["rebuild"].(map[string]any)["speed"]); string(got) != `{"realtime":0.93}` || v["speed"] != nil {
		t.Errorf("rebuild speed %s, asset speed %v; want the rebuild's {\"realtime\":0.93} only", got, v["speed"])
	}
	a.Rebuild.State = archive.RebuildQueued
	if got := encode(t, r.Asset(a, now))["rebuild"].(map[string]any)["speed"]; got != nil {
		t.Errorf("a queued rebuild shows speed %v", got)
	}
	a.Rebuild = nil
	a.Status, a.Speed = archive.StatusPreparing, nil
	if v, ok := encode(t, r.Asset(a, now))["speed"]; ok {
		t.Errorf("an asset with no known speed shows %v", v)
	}
}
