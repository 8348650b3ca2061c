package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testbus"
)

// A notice reaches the notification daemon of a real session bus, named, bounded and with no
// control characters. The daemon is a stand-in registered on the bus (testbus): the desktop's
// own cannot run without a graphical session.
func TestDBusNotifyReachesTheDaemon(t *testing.T) {
	addr := testbus.Start(t)
	daemon := testbus.ServeNotifications(t, addr)
	d := &DBus{Address: addr}
	defer d.Close()
	if err := d.Notify(context.Background(), Notice{Title: "Master ready: interview", Body: "line one\nline two"}); err != nil {
		t.Fatal(err)
	}
	c := daemon.Wait(t, 10*time.Second)
	if c.Summary != "Master ready: interview" || c.AppName != "Reelvault" || c.DesktopEntry != "reelvault" || c.Icon != "reelvault" {
		t.Errorf("the daemon got %+v", c)
	}
	if c.Body != "line one line two" {
		t.Errorf("body %q: control characters should be spaces", c.Body)
	}
	if err := d.Notify(context.Background(), Notice{Title: strings.Repeat("é", 500)}); err != nil {
		t.Fatal(err)
	}
	if c := daemon.Wait(t, 10*time.Second); len([]rune(c.Summary)) != 120 {
		t.Errorf("a 500-character title arrived with %d characters, want 120", len([]rune(c.Summary)))
	}
}

// Without a notification daemon on the bus the call fails within its timeout, and the next
// one, with a daemon there, works on a new connection.
func TestDBusNotifyFailsWithoutADaemonAndRecovers(t *testing.T) {
	addr := testbus.Start(t)
	d := &DBus{Address: addr}
	defer d.Close()
	start := time.Now()
	if err := d.Notify(context.Background(), Notice{Title: "nobody listens"}); err == nil {
		t.Fatal("a notice with no daemon on the bus did not fail")
	}
	if took := time.Since(start); took > Timeout+time.Second {
		t.Errorf("the failed notice took %s, more than its %s timeout", took, Timeout)
	}
	daemon := testbus.ServeNotifications(t, addr)
	if err := d.Notify(context.Background(), Notice{Title: "now someone does"}); err != nil {
		t.Fatal(err)
	}
	if c := daemon.Wait(t, 10*time.Second); c.Summary != "now someone does" {
		t.Errorf("got %+v", c)
	}
}

// No session bus at all: an error, not a hang.
func TestDBusNotifyWithoutABus(t *testing.T) {
	d := &DBus{Address: "unix:path=" + t.TempDir() + "/none"}
	if err := d.Notify(context.Background(), Notice{Title: "x"}); err == nil {
		t.Fatal("no error without a bus")
	}
}

// A click on a notice (the daemon's "default" action) calls OnClick; a click on someone else's
// notice does not.
func TestDBusClickCallsBack(t *testing.T) {
	addr := testbus.Start(t)
	daemon := testbus.ServeNotifications(t, addr)
	d := &DBus{Address: addr}
	defer d.Close()
	clicked := make(chan struct{}, 4)
	d.OnClick(func() { clicked <- struct{}{} })
	if err := d.Notify(context.Background(), Notice{Title: "Master ready: pier"}); err != nil {
		t.Fatal(err)
	}
	c := daemon.Wait(t, 10*time.Second)
	if len(c.Actions) != 2 || c.Actions[0] != "default" {
		t.Fatalf("the notice offers %q, want the default action", c.Actions)
	}
	daemon.Click(t, c.ID+1000) // another application's notice
	daemon.Click(t, c.ID)
	select {
	case <-clicked:
	case <-time.After(10 * time.Second):
		t.Fatal("a click on the notice did not call back")
	}
	// Signals arrive in order: had the other application's click counted, it would be here.
	select {
	case <-clicked:
		t.Error("a click on another application's notice called back")
	default:
	}
}

// The user's session bus is found from DBUS_SESSION_BUS_ADDRESS; without it (and without a
// systemd user bus), an error rather than a bus daemon started by dbus-launch.
func TestSessionBusAddress(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")
	if addr, err := sessionBusAddress(); err != nil || addr != "unix:path=/run/user/1000/bus" {
		t.Errorf("from the environment: %q %v", addr, err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if addr, err := sessionBusAddress(); err == nil {
		t.Errorf("no bus anywhere, yet %q", addr)
	}
	bus := testbus.Start(t)
	daemon := testbus.ServeNotifications(t, bus)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	d := System()
	if err := d.Notify(context.Background(), Notice{Title: "through the session bus"}); err != nil {
		t.Fatal(err)
	}
	if c := daemon.Wait(t, 10*time.Second); c.Summary != "through the session bus" {
		t.Errorf("got %+v", c)
	}
	d.(*DBus).Close()
}

// A daemon that reads markup in the body (GNOME, KDE, dunst, mako) gets the body escaped, so an
// error message holding "<a href=…>" is shown as text; one that reads plain text gets it as it is.
func TestDBusBodyIsEscapedWhereTheDaemonReadsMarkup(t *testing.T) {
	const body = `ffmpeg: <a href="http://x">open</a> & <img src=y>`
	for _, tc := range []struct {
		caps []string
		want string
	}{
		{[]string{"body-markup"}, `ffmpeg: &lt;a href=&#34;http://x&#34;&gt;open&lt;/a&gt; &amp; &lt;img src=y&gt;`},
		{nil, body},
	} {
		addr := testbus.Start(t)
		daemon := testbus.ServeNotifications(t, addr)
		daemon.SetCapabilities(tc.caps...)
		d := &DBus{Address: addr}
		if err := d.Notify(context.Background(), Notice{Title: "Master failed: x", Body: body}); err != nil {
			t.Fatal(err)
		}
		if c := daemon.Wait(t, 10*time.Second); c.Body != tc.want {
			t.Errorf("capabilities %v: body %q, want %q", tc.caps, c.Body, tc.want)
		}
		d.Close()
	}
}
