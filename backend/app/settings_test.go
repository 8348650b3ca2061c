package app

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/httpapi"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/jobs"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

// newSettingsPage is the settings page over a real database, archive and
// share server on a free loopback port.
func newSettingsPage(t *testing.T) *settingsPage {
	t.Helper()
	dir := t.TempDir()
	log := testmedia.QuietLogger()
	db, err := store.Open(context.Background(), filepath.Join(dir, "reelvault.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	share := startShareServer(t, nil)
	assets := wire.NewAssets(share.Signer())
	arch, err := archive.New(db, jobs.New(db, log), archive.Config{DataDir: dir, AssetEvent: assets.Event, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return &settingsPage{db: db, archive: arch, assets: assets, share: share, cfg: Config{DataDir: dir}}
}

// A change is saved, then applied: the running archive issues links with
// the new lifetime and the database keeps it for the next start.
func TestSettingsSaveThenApply(t *testing.T) {
	s := newSettingsPage(t)
	ctx := context.Background()
	ttl := int64(600)
	v, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{LinkTTLSeconds: &ttl})
	if err != nil || v.LinkTTLSeconds != 600 {
		t.Fatalf("UpdateSettings: %+v %v", v, err)
	}
	if s.archive.LinkTTL() != 10*time.Minute {
		t.Errorf("the archive's link lifetime is %s, want 10m", s.archive.LinkTTL())
	}
	cfg := Config{LinkTTL: 24 * time.Hour, ShareListen: "127.0.0.1:8911"}
	if err := applySavedSettings(ctx, s.db, &cfg); err != nil || cfg.LinkTTL != 10*time.Minute || cfg.From.LinkTTL != Saved {
		t.Errorf("at the next start: %s from %s (%v), want 10m saved", cfg.LinkTTL, cfg.From.LinkTTL, err)
	}
	// A value given at start (flag or environment) wins over the saved one.
	cfg = Config{LinkTTL: time.Hour, From: Origins{LinkTTL: Flag}}
	if err := applySavedSettings(ctx, s.db, &cfg); err != nil || cfg.LinkTTL != time.Hour || cfg.From.LinkTTL != Flag {
		t.Errorf("with --link-ttl 1h: %s from %s (%v), want 1h from the flag", cfg.LinkTTL, cfg.From.LinkTTL, err)
	}
}

// A share address that cannot be bound is not kept: the listener stays
// where it was, and so does what the database says.
func TestSettingsShareMoveThatFailsIsNotSaved(t *testing.T) {
	s := newSettingsPage(t)
	ctx := context.Background()
	before := s.share.Addr()
	_, port, _ := net.SplitHostPort(before)
	// Another program on 127.0.0.2 at the same port: 0.0.0.0 cannot be bound.
	other, err := net.Listen("tcp", net.JoinHostPort("127.0.0.2", port))
	if err != nil {
		t.Skipf("cannot bind 127.0.0.2 here: %v", err)
	}
	defer other.Close()
	host := "0.0.0.0"
	_, err = s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareHost: &host})
	var invalid *fail.InvalidError
	if !errors.As(err, &invalid) || invalid.Field != "share_host" || !strings.Contains(err.Error(), "cannot share on") {
		t.Fatalf("moving onto a busy port: %v, want a share_host error", err)
	}
	if s.share.Addr() != before {
		t.Errorf("the share listener is on %s, want it still on %s", s.share.Addr(), before)
	}
	if v, ok, err := s.db.Setting(ctx, settingShareHost); ok || err != nil {
		t.Errorf("saved share host %q (%v) after a failed move, want none", v, err)
	}

	// With a host saved before, the failure puts that one back.
	if err := s.db.SetSetting(ctx, settingShareHost, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareHost: &host}); err == nil {
		t.Fatal("the second move onto a busy port succeeded")
	}
	if v, _, _ := s.db.Setting(ctx, settingShareHost); v != "127.0.0.1" {
		t.Errorf("saved share host %q after a failed move, want the earlier 127.0.0.1", v)
	}
}

// The notifications switch: refused where nothing notifies (serve) and where the command line
// fixed it; otherwise applied at once and kept for the next start.
func TestSettingsNotificationsSwitch(t *testing.T) {
	s := newSettingsPage(t)
	ctx := context.Background()
	off := false
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{Notifications: &off}); !errors.As(err, new(*fail.InvalidError)) {
		t.Fatalf("turning notifications off in serve: %v, want a refusal", err)
	}
	if v, _ := s.Settings(ctx); v.NotificationsAvailable || v.Notifications {
		t.Errorf("serve shows notifications available=%v on=%v", v.NotificationsAvailable, v.Notifications)
	}
	s.notices = &notices{}
	s.notices.enabled.Store(true)
	v, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{Notifications: &off})
	if err != nil || v.Notifications || !v.NotificationsAvailable || s.notices.enabled.Load() {
		t.Fatalf("turning notifications off: %+v %v", v, err)
	}
	cfg := Config{Notifications: true}
	if err := applySavedSettings(ctx, s.db, &cfg); err != nil || cfg.Notifications || cfg.From.Notifications != Saved {
		t.Errorf("at the next start notifications are %v from %s (%v), want off, saved", cfg.Notifications, cfg.From.Notifications, err)
	}
	s.cfg.From.Notifications = Environment
	on := true
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{Notifications: &on}); err == nil || s.notices.enabled.Load() {
		t.Errorf("a switch fixed by REELVAULT_NOTIFICATIONS moved: %v", err)
	}
}

// Links by name: saved, applied and kept; refused when fixed at start or when the computer has
// no name. On loopback (the only address tests bind) links stay on the address: the name is
// for others on the network (publicBase's test covers a LAN listener).
func TestSettingsShareBase(t *testing.T) {
	s := newSettingsPage(t)
	ctx := context.Background()
	bad := "mdns"
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareBase: &bad}); !errors.As(err, new(*fail.InvalidError)) {
		t.Errorf("share_base %q: %v, want a refusal", bad, err)
	}
	byName := "name"
	s.share.localName = ""
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareBase: &byName}); err == nil {
		t.Error("links by name were accepted on a computer without a name")
	}
	s.share.localName = "studio.local"
	before := s.share.Signer().Base()
	v, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareBase: &byName})
	if err != nil || v.ShareBase != "name" || v.ShareName != "studio.local" || !s.share.ByName() {
		t.Fatalf("links by name: %+v %v", v, err)
	}
	if got := s.share.Signer().Base(); got != before {
		t.Errorf("on loopback the base became %s, want it unchanged (%s)", got, before)
	}
	cfg := Config{}
	if err := applySavedSettings(ctx, s.db, &cfg); err != nil || !cfg.ShareByName || cfg.From.ShareBase != Saved {
		t.Errorf("at the next start: by name %v from %s (%v)", cfg.ShareByName, cfg.From.ShareBase, err)
	}
	s.cfg.From.ShareBase = Flag
	address := "address"
	if _, err := s.UpdateSettings(ctx, httpapi.SettingsPatch{ShareBase: &address}); err == nil || !s.share.ByName() {
		t.Errorf("a share base fixed by --share-base moved: %v", err)
	}
}
