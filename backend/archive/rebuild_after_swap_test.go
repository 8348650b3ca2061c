package archive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// qhdClip is a 2560x1440 second: a 1080p master scales it down, a 1440p one keeps it.
func qhdClip(t *testing.T) string { return h264Clip(t, "2560x1440") }

// A 1440p proxy skipped because the 1080p master was smaller is made once a rebuild up
// gives a master it fits, with the events a new one sends; a 2160p proxy that still does
// not fit stays skipped, unannounced.
func TestRebuildUpMakesSkippedRenditions(t *testing.T) {
	env := newEnv(t)
	a := env.create(CreateParams{Input: qhdClip(t), AssetSettings: AssetSettings{MaxResolutionTier: "1080p", VideoQuality: "basic",
		StaticRenditions: []RenditionRequest{{Resolution: "1440p"}, {Resolution: "2160p"}}}})
	env.waitStatus(a.ID, StatusReady, 2*time.Minute)
	a = env.waitRenditions(a.ID, time.Minute)
	a = env.waitFor(a.ID, "input hashed", 30*time.Second, func(a Asset) bool { return a.InputSHA256 != "" })
	for _, res := range []string{"1440p", "2160p"} {
		if r := renditionAt(t, a, res); r.Status != RenditionSkipped || !strings.Contains(r.Error, "above the master") {
			t.Fatalf("%s on the 1080p master: %s %q, want skipped as above the master", res, r.Status, r.Error)
		}
	}
	skippedEvents := count(env.eventTypes(a.ID), "video.asset.static_rendition.skipped")

	up := env.rebuild(a.ID, "1440p")
	if up.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", up.Rebuild.Error)
	}
	env.checkMaster(up, 2560, 1440)
	up = env.waitFor(a.ID, "its 1440p proxy made", time.Minute, func(a Asset) bool {
		r := renditionAt(t, a, "1440p")
		return r.Status != RenditionPreparing && r.Status != RenditionSkipped
	})
	r := renditionAt(t, up, "1440p")
	if r.Status != RenditionReady || r.Error != "" || r.Width != 2560 || r.Height != 1440 {
		t.Fatalf("1440p after the rebuild up: %s %q %dx%d, want ready at 2560x1440", r.Status, r.Error, r.Width, r.Height)
	}
	path := filepath.Join(env.dataDir, r.File)
	if info := mustProbe(t, path); info.Video == nil || info.Video.Width != 2560 || info.Video.Height != 1440 {
		t.Errorf("the 1440p proxy's picture %+v, want 2560x1440", info.Video)
	}
	if size, sum := fileSHA256(t, path); size != r.FileSize || sum != r.SHA256 {
		t.Errorf("proxy file %d bytes %s; rendition says %d bytes %s", size, sum, r.FileSize, r.SHA256)
	}
	if r2160 := renditionAt(t, up, "2160p"); r2160.Status != RenditionSkipped {
		t.Errorf("2160p on a 1440p master: %s, want still skipped", r2160.Status)
	}
	types := env.eventTypes(a.ID)
	if n := count(types, "video.asset.static_rendition.created"); n != 3 {
		t.Errorf("%d static_rendition.created events, want 3 (two asked for, one offered again): %q", n, types)
	}
	if n := count(types, "video.asset.static_rendition.ready"); n != 1 {
		t.Errorf("%d static_rendition.ready events, want 1", n)
	}
	if n := count(types, "video.asset.static_rendition.skipped"); n != skippedEvents {
		t.Errorf("%d static_rendition.skipped events, want still %d", n, skippedEvents)
	}
}

// flipAndAudit flips a byte in a's master and runs the audit, which records it damaged.
func (e *testEnv) flipAndAudit(a Asset) Asset {
	e.t.Helper()
	master := filepath.Join(e.dataDir, a.MasterFile)
	data, err := os.ReadFile(master)
	if err != nil {
		e.t.Fatal(err)
	}
	data[len(data)/2] ^= 0x01
	if err := os.WriteFile(master, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	e.audit()
	got := e.get(a.ID)
	if got.MasterDamage == "" {
		e.t.Fatalf("the audit did not find the flipped byte in %s", a.ID)
	}
	return got
}

// A master whose link errored for damage is served again once a rebuild puts a new,
// whole master in place: a fresh link, master.ready sent, no damage left. Without
// access, the damage is only cleared.
func TestRebuildClearsMasterDamage(t *testing.T) {
	env := newEnv(t)
	input := bigClip(t)
	linked := env.readyAt(input, "1080p")
	if _, err := env.svc.SetMasterAccess(env.ctx(), linked.ID, AccessTemporary); err != nil {
		t.Fatal(err)
	}
	linked = env.waitMaster(linked.ID, MasterReady)
	plain := env.readyAt(input, "1080p")

	damaged := env.flipAndAudit(linked)
	if damaged.MasterStatus != MasterErrored || !strings.Contains(damaged.MasterError, "damaged") {
		t.Fatalf("after the audit: master %s %q, want errored as damaged", damaged.MasterStatus, damaged.MasterError)
	}
	env.flipAndAudit(plain)
	readyEvents := count(env.eventTypes(linked.ID), "video.asset.master.ready")

	got := env.rebuild(linked.ID, "2160p")
	if got.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", got.Rebuild.Error)
	}
	if got.MasterStatus != MasterReady || got.MasterError != "" || got.MasterDamage != "" || !got.LinkActive(env.clock.Now()) {
		t.Errorf("after the rebuild: master %s %q damage %q link until %v; want ready with a link, no damage",
			got.MasterStatus, got.MasterError, got.MasterDamage, got.LinkExpiresAt)
	}
	if n := count(env.eventTypes(linked.ID), "video.asset.master.ready"); n != readyEvents+1 {
		t.Errorf("%d master.ready events, want %d", n, readyEvents+1)
	}
	m, err := env.svc.ResolveMaster(env.ctx(), got.ID, got.LinkGeneration)
	if err != nil || m.SHA256 != got.MasterSHA256 {
		t.Fatalf("the new link: %+v %v, want the new master", m, err)
	}
	if size, sum := fileSHA256(t, m.Path); size != got.MasterSize || sum != got.MasterSHA256 {
		t.Errorf("the linked file is %d bytes %s, want the new master's %d bytes %s", size, sum, got.MasterSize, got.MasterSHA256)
	}
	if _, damaged := env.audit(); len(damaged) != 1 || damaged[0].AssetID != plain.ID {
		t.Errorf("audit after the rebuild found %+v, want only the master not rebuilt", damaged)
	}

	other := env.rebuild(plain.ID, "2160p")
	if other.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", other.Rebuild.Error)
	}
	if other.MasterDamage != "" || other.MasterAccess != AccessNone || other.MasterStatus != "" {
		t.Errorf("without access, after the rebuild: damage %q access %s status %q; want no damage and still no access",
			other.MasterDamage, other.MasterAccess, other.MasterStatus)
	}
}
