//go:build linux

// Package testbus runs a private D-Bus session bus for tests (dbus-daemon --session, Debian's
// dbus package) and, registered on it, a stand-in for the desktop's notification daemon that
// records what it is asked to show. The real daemons (GNOME Shell, KDE's plasmashell, dunst)
// need a graphical session, which this machine does not have; everything between Reelvault
// and the bus is real.
package testbus

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Start runs a session bus until the test ends and returns its address. It skips the test
// when dbus-daemon is not installed (make deps installs it).
func Start(t testing.TB) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus-daemon; make deps installs it)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	socket := "unix:path=" + filepath.Join(t.TempDir(), "bus")
	cmd := exec.CommandContext(ctx, daemon, "--session", "--nofork", "--nopidfile", "--address="+socket, "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon did not start within 10 s")
	}
	return ""
}

// Call is one Notify call as the notification daemon received it.
type Call struct {
	ID                           uint32
	AppName, Icon, Summary, Body string
	DesktopEntry                 string
	Actions                      []string
}

// Notifications is the stand-in notification daemon.
type Notifications struct {
	Calls        chan Call // every call, in order (buffered; a test reads them)
	capabilities []string

	conn *dbus.Conn
	mu   sync.Mutex
	next uint32
}

// ServeNotifications registers a notification daemon on the bus at addr for the rest of the
// test.
func ServeNotifications(t testing.TB, addr string) *Notifications {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	n := &Notifications{Calls: make(chan Call, 100), conn: conn}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v (reply %d)", err, reply)
	}
	return n
}

// Notify is the method of the Desktop Notifications Specification.
func (n *Notifications) Notify(appName string, replacesID uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	n.next++
	id := n.next
	n.mu.Unlock()
	c := Call{ID: id, AppName: appName, Icon: icon, Summary: summary, Body: body, Actions: actions}
	if v, ok := hints["desktop-entry"]; ok {
		c.DesktopEntry, _ = v.Value().(string)
	}
	n.Calls <- c
	return id, nil
}

// Click does what the desktop does when the user clicks notification id: it signals the
// "default" action.
func (n *Notifications) Click(t testing.TB, id uint32) {
	t.Helper()
	if err := n.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, "default"); err != nil {
		t.Fatal(err)
	}
}

// SetCapabilities sets what GetCapabilities adds to "actions" and "body"; GNOME, KDE, dunst
// and mako all say "body-markup".
func (n *Notifications) SetCapabilities(caps ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.capabilities = caps
}

// GetCapabilities answers the daemon's capabilities.
func (n *Notifications) GetCapabilities() ([]string, *dbus.Error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string{"actions", "body"}, n.capabilities...), nil
}

// GetServerInformation answers as a daemon does.
func (n *Notifications) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "reelvault-test", "reelvault", "1", "1.2", nil
}

// Wait returns the next call, or fails the test after timeout.
func (n *Notifications) Wait(t testing.TB, timeout time.Duration) Call {
	t.Helper()
	select {
	case c := <-n.Calls:
		return c
	case <-time.After(timeout):
		t.Fatalf("no notification within %s", timeout)
		return Call{}
	}
}
