package archive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/fixity"
)

func (e *testEnv) audit() (checked int, damaged []fixity.Result) {
	e.t.Helper()
	var last time.Time
	a := fixity.NewAuditor(fixity.AuditConfig{
		Masters:  e.svc.FixityMasters,
		Record:   e.svc.RecordFixity,
		LastRun:  func(context.Context) (time.Time, error) { return last, nil },
		SaveRun:  func(_ context.Context, at time.Time) error { last = at; return nil },
		Throttle: fixity.Throttle{Share: 1},
		Log:      e.svc.log,
	})
	checked, damaged, err := a.AuditNow(e.ctx())
	if err != nil {
		e.t.Fatalf("audit: %v", err)
	}
	return checked, damaged
}

// One flipped byte in a master is found by the audit: the asset says so,
// its link stops, a Reelvault event is sent once; putting the file back
// clears the finding.
func TestFixityAuditFindsAFlippedByte(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessTemporary)
	intact := env.readyAsset(AccessNone)
	master := filepath.Join(env.dataDir, a.MasterFile)
	original, err := os.ReadFile(master)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), original...)
	flipped[len(flipped)/2] ^= 0x01
	os.WriteFile(master, flipped, 0o644)

	checked, damaged := env.audit()
	if checked != 2 || len(damaged) != 1 || damaged[0].AssetID != a.ID {
		t.Fatalf("audit checked %d, damaged %+v; want 2 checked, %s damaged", checked, damaged, a.ID)
	}
	got := env.get(a.ID)
	if !strings.Contains(got.MasterDamage, "bytes changed") || got.MasterCheckedAt.IsZero() {
		t.Errorf("asset damage %q checked %v", got.MasterDamage, got.MasterCheckedAt)
	}
	if got.MasterStatus != MasterErrored || !strings.Contains(got.MasterError, "damaged") {
		t.Errorf("master %s %q, want errored saying it is damaged", got.MasterStatus, got.MasterError)
	}
	if _, err := env.svc.ResolveMaster(env.ctx(), a.ID, a.LinkGeneration); err == nil {
		t.Error("the link to the damaged master still resolves")
	}
	if ok := env.get(intact.ID); ok.MasterDamage != "" || ok.MasterCheckedAt.IsZero() {
		t.Errorf("the intact master: damage %q, checked %v", ok.MasterDamage, ok.MasterCheckedAt)
	}
	env.audit() // found again: no second event
	if n := count(env.eventTypes(a.ID), EventMasterDamaged); n != 1 {
		t.Errorf("%d %s events, want 1", n, EventMasterDamaged)
	}
	if n := count(env.eventTypes(a.ID), "video.asset.master.errored"); n != 1 {
		t.Errorf("%d master.errored events, want 1", n)
	}
	// Asking for access again while damaged errors the master with the reason.
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessNone); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessTemporary); err != nil {
		t.Fatal(err)
	}
	if m := env.waitMaster(a.ID, MasterErrored); !strings.Contains(m.MasterError, "damaged") {
		t.Errorf("master access on a damaged master: %q", m.MasterError)
	}

	os.WriteFile(master, original, 0o644) // restored from a backup
	if _, damaged := env.audit(); len(damaged) != 0 {
		t.Fatalf("after the file was put back: %+v", damaged)
	}
	if got := env.get(a.ID); got.MasterDamage != "" {
		t.Errorf("damage %q after the file was put back", got.MasterDamage)
	}
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}
