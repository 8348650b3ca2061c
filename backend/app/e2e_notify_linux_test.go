package app

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testbus"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/notify"
)

// The desktop notifies over a real D-Bus session bus (dbus-daemon --session): a master added
// with "Open with" is announced by its title when ready, one that fails says why, a share link's
// first download is announced; an asset a script added through the API is not. The notification
// daemon is a stand-in registered on that bus (testbus): the desktop's own (GNOME Shell, KDE,
// dunst) cannot run here without a graphical session.
func TestDesktopNotificationsOverDBus(t *testing.T) {
	requireTools(t)
	bus := testbus.Start(t)
	daemon := testbus.ServeNotifications(t, bus)
	notifier := &notify.DBus{Address: bus}
	defer notifier.Close()

	cfg := testConfig(t)
	cfg.Listen, cfg.Notifications = freePort(t), true
	log, _ := testmedia.BufferLogger(t) // shown if the test fails
	a, ctx := runApp(t, cfg, Options{Log: log, Notifier: notifier})
	token, err := loadOrCreateToken(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	api := apiClient{t: t, base: "http://" + cfg.Listen, id: token.ID, secret: token.Secret}
	clipArgs := testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.H264AAC())

	// A script's asset first: it must be ready before the person's, whose notice then shows
	// that the script's was never sent (notices go out in the order of the events).
	scripted := testmedia.TempClip(t, "Scripted batch.mp4", clipArgs...)
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+scripted+`"}`)
	scriptID := api.asset(status, body).ID
	testtime.Until(t, time.Minute, "the script's asset is ready", func() bool { return api.get(scriptID).Status == "ready" })

	opened := testmedia.TempClip(t, "Harbour interview.mp4", clipArgs...)
	if err := a.IngestFiles(ctx, []string{opened}); err != nil {
		t.Fatal(err)
	}
	c := daemon.Wait(t, time.Minute)
	if c.Summary != "Master ready: Harbour interview" || c.AppName != "Reelvault" {
		t.Fatalf("first notification %+v, want the opened file's master ready (and none for the script's asset)", c)
	}
	if c.Body == "" {
		t.Error("the ready notice says nothing about the master")
	}

	broken := filepath.Join(t.TempDir(), "Corrupt take.mp4")
	if err := os.WriteFile(broken, []byte("not a video at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := a.IngestFiles(ctx, []string{broken}); err != nil {
		t.Fatal(err)
	}
	if c := daemon.Wait(t, time.Minute); c.Summary != "Master failed: Corrupt take" || c.Body == "" {
		t.Errorf("a failed master's notice: %+v", c)
	}

	// A share link's first complete download.
	status, body = api.do("POST", "/reelvault/v1/share-links", `{"asset_ids":["`+scriptID+`"],"label":"for the colourist"}`)
	var link struct {
		Data struct{ Files []struct{ URL string } }
	}
	if err := json.Unmarshal(body, &link); status != http.StatusCreated || err != nil || len(link.Data.Files) != 1 {
		t.Fatalf("create share link: %d %s", status, body)
	}
	res, err := http.Get(link.Data.Files[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if c := daemon.Wait(t, time.Minute); c.Summary != "Link downloaded: Scripted batch" || c.Body != `The link "for the colourist" was downloaded for the first time.` {
		t.Errorf("the download's notice: %+v", c)
	}
	select {
	case c := <-daemon.Calls:
		t.Errorf("an extra notification: %+v", c)
	default:
	}
}
