package archive

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/links"
)

// readyAsset creates an asset from the small clip and waits for its master.
func (e *testEnv) readyAsset(access string) Asset {
	e.t.Helper()
	a := e.create(CreateParams{Input: smallClip(e.t), AssetSettings: AssetSettings{MasterAccess: access}})
	a = e.waitStatus(a.ID, StatusReady, time.Minute)
	if access == AccessTemporary {
		a = e.waitMaster(a.ID, MasterReady)
	}
	return a
}

// checkLink verifies the view's url is a genuine link to this asset's
// current generation that the archive would serve now.
func (e *testEnv) checkLink(a Asset, url string) {
	e.t.Helper()
	req := httptest.NewRequest("GET", url, nil)
	claims, err := e.signer.Verify(req, e.clock.Now())
	if err != nil {
		e.t.Fatalf("link %s does not verify: %v", url, err)
	}
	if claims.AssetID != a.ID || claims.Generation != a.LinkGeneration {
		e.t.Errorf("link claims %+v, want asset %s generation %d", claims, a.ID, a.LinkGeneration)
	}
	m, err := e.svc.ResolveMaster(e.ctx(), a.ID, claims.Generation)
	if err != nil {
		e.t.Fatalf("ResolveMaster: %v", err)
	}
	if m.Path != filepath.Join(e.dataDir, a.MasterFile) || m.Size != a.MasterSize || m.SHA256 != a.MasterSHA256 {
		e.t.Errorf("ResolveMaster gave %+v, want the recorded master", m)
	}
}

func TestMasterAccessAtCreation(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessTemporary)

	want := []string{"video.asset.created", "video.asset.master.preparing", "video.asset.ready", "video.asset.master.ready"}
	if got := env.eventTypes(a.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if a.MasterStatus != MasterReady || !a.LinkActive(env.clock.Now()) {
		t.Fatalf("master %s, link out %v: want ready with a link", a.MasterStatus, a.LinkActive(env.clock.Now()))
	}
	env.checkLink(a, env.masterURL(a))
	wantExpiry := env.clock.Now().Add(time.Hour)
	if d := a.LinkExpiresAt.Sub(wantExpiry); d > 0 || d < -5*time.Second {
		t.Errorf("link expires at %v, want about now + link TTL (%v)", a.LinkExpiresAt, wantExpiry)
	}
}

func TestMasterAccessThroughPut(t *testing.T) {
	env := openEnv(t, t.TempDir())
	a := env.create(CreateParams{Input: smallClip(t)})
	// Workers not started yet: the asset is certainly still preparing.
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessTemporary); !errors.Is(err, ErrNotReady) {
		t.Fatalf("PUT temporary on a preparing asset: %v, want ErrNotReady", err)
	}
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, "forever"); !isValidation(err, "master_access") {
		t.Errorf("PUT forever: %v, want a ValidationError on master_access", err)
	}
	if _, err := env.svc.SetMasterAccess(env.ctx(), "nosuchasset", AccessTemporary); !errors.Is(err, ErrNotFound) {
		t.Errorf("PUT on an unknown id: %v, want ErrNotFound", err)
	}
	env.start()
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.MasterAccess != AccessNone {
		t.Fatalf("master_access %q, want none", a.MasterAccess)
	}

	a, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessTemporary)
	if err != nil {
		t.Fatalf("PUT temporary: %v", err)
	}
	if a.MasterAccess != AccessTemporary || a.MasterStatus != MasterPreparing || a.LinkActive(env.clock.Now()) {
		t.Errorf("PUT answered access %q master %q, want temporary and preparing without a link", a.MasterAccess, a.MasterStatus)
	}
	a = env.waitMaster(a.ID, MasterReady)
	env.checkLink(a, env.masterURL(a))
	// Asking again while a link is out changes nothing.
	before := len(env.events(a.ID))
	if again, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessTemporary); err != nil || again.LinkGeneration != a.LinkGeneration {
		t.Errorf("second PUT temporary: %v, generation %d -> %d", err, a.LinkGeneration, again.LinkGeneration)
	}

	gen := a.LinkGeneration
	a, err = env.svc.SetMasterAccess(env.ctx(), a.ID, AccessNone)
	if err != nil {
		t.Fatalf("PUT none: %v", err)
	}
	if a.MasterAccess != AccessNone || a.LinkActive(env.clock.Now()) {
		t.Errorf("after none: master_access %q, link out %v", a.MasterAccess, a.LinkActive(env.clock.Now()))
	}
	if a.LinkGeneration <= gen {
		t.Errorf("link generation %d after revoking, want more than %d", a.LinkGeneration, gen)
	}
	if _, err := env.svc.ResolveMaster(env.ctx(), a.ID, gen); !errors.Is(err, links.ErrRevoked) {
		t.Errorf("old link after none: %v, want ErrRevoked", err)
	}
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessNone); err != nil {
		t.Errorf("second PUT none: %v", err)
	}
	types := env.eventTypes(a.ID)
	want := []string{"video.asset.master.preparing", "video.asset.master.ready", "video.asset.master.deleted"}
	if got := types[len(types)-3:]; !reflect.DeepEqual(got, want) || len(types) != before+1 {
		t.Errorf("events %v: want them to end with %v, one master.deleted only", types, want)
	}
}

func TestLinkExpiry(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessTemporary)
	gen := a.LinkGeneration

	env.clock.Advance(time.Hour + time.Second)
	// Before the sweep the link is no longer active (the API already shows
	// access none: wire's TestAssetMasterAccess).
	if env.get(a.ID).LinkActive(env.clock.Now()) {
		t.Errorf("expired, not swept: the link is still active")
	}
	if _, err := env.svc.ResolveMaster(env.ctx(), a.ID, gen); !errors.Is(err, links.ErrRevoked) {
		t.Errorf("expired link resolves: %v", err)
	}
	if types := env.eventTypes(a.ID); indexOf(types, "video.asset.master.deleted") >= 0 {
		t.Errorf("master.deleted sent before the sweep: %v", types)
	}

	n, err := env.svc.ExpireLinks(env.ctx())
	if err != nil || n != 1 {
		t.Fatalf("ExpireLinks = %d, %v; want 1 expired", n, err)
	}
	a = env.get(a.ID)
	if a.MasterAccess != AccessNone || a.MasterStatus != "" || !a.LinkExpiresAt.IsZero() {
		t.Errorf("after the sweep: access %q status %q expires %v", a.MasterAccess, a.MasterStatus, a.LinkExpiresAt)
	}
	if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.master.deleted" {
		t.Errorf("events %v, want master.deleted last", types)
	}
	if n, _ := env.svc.ExpireLinks(env.ctx()); n != 0 {
		t.Errorf("a second sweep expired %d more", n)
	}
	// Access can be asked for again; the new link is a new generation.
	if _, err := env.svc.SetMasterAccess(env.ctx(), a.ID, AccessTemporary); err != nil {
		t.Fatal(err)
	}
	a = env.waitMaster(a.ID, MasterReady)
	if a.LinkGeneration <= gen || !a.LinkExpiresAt.After(env.clock.Now()) {
		t.Errorf("renewed link: generation %d (was %d), expires %v", a.LinkGeneration, gen, a.LinkExpiresAt)
	}
}

// The service's own loop sweeps expired links without being asked.
func TestRunSweepsExpiredLinks(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessTemporary)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); env.svc.Run(ctx) }()
	defer func() { cancel(); <-done }()
	env.clock.Advance(2 * time.Hour)
	a = env.waitFor(a.ID, "swept", 5*time.Second, func(a Asset) bool { return a.MasterAccess == AccessNone })
	if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.master.deleted" {
		t.Errorf("events %v, want master.deleted last", types)
	}
}

func TestMissingOrDamagedMasterIsNotServed(t *testing.T) {
	env := newEnv(t)
	missing := env.readyAsset(AccessNone)
	damaged := env.readyAsset(AccessNone)
	if err := os.Remove(filepath.Join(env.dataDir, missing.MasterFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(env.dataDir, damaged.MasterFile), damaged.MasterSize/2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a    Asset
		word string
	}{{missing, "missing"}, {damaged, "damaged"}} {
		if _, err := env.svc.SetMasterAccess(env.ctx(), c.a.ID, AccessTemporary); err != nil {
			t.Fatalf("PUT temporary: %v", err)
		}
		a := env.waitFor(c.a.ID, "master settled", 30*time.Second, func(a Asset) bool { return a.MasterStatus != MasterPreparing })
		if a.MasterStatus != MasterErrored || a.LinkActive(env.clock.Now()) {
			t.Errorf("%s master: %s, link out %v: want errored without a link", c.word, a.MasterStatus, a.LinkActive(env.clock.Now()))
		}
		if !strings.Contains(a.MasterError, c.word) {
			t.Errorf("%s master: reason %q does not say %q", c.word, a.MasterError, c.word)
		}
		if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.master.errored" {
			t.Errorf("events %v, want master.errored last", types)
		}
	}
}

func TestMasterDamagedRevokesLink(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessTemporary)
	gen := a.LinkGeneration
	env.svc.MasterDamaged(env.ctx(), a.ID, "The disk reported an error while reading the master.")
	a = env.get(a.ID)
	if a.MasterStatus != MasterErrored || !strings.Contains(a.MasterError, "disk reported") || a.LinkGeneration <= gen {
		t.Errorf("after MasterDamaged: status %q error %q generation %d (was %d)", a.MasterStatus, a.MasterError, a.LinkGeneration, gen)
	}
	if _, err := env.svc.ResolveMaster(env.ctx(), a.ID, gen); !errors.Is(err, links.ErrRevoked) {
		t.Errorf("link still resolves after damage: %v", err)
	}
	if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.master.errored" {
		t.Errorf("events %v, want master.errored last", types)
	}
	// Reported twice (several downloads failing): one event.
	n := len(env.events(a.ID))
	env.svc.MasterDamaged(env.ctx(), a.ID, "again")
	if len(env.events(a.ID)) != n {
		t.Errorf("a second report sent another event")
	}
}

func isValidation(err error, field string) bool {
	var ve *fail.InvalidError
	return errors.As(err, &ve) && ve.Field == field
}
