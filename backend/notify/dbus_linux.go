package notify

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/godbus/dbus/v5"
)

// DBus sends notices to the org.freedesktop.Notifications service of a session bus (GNOME,
// KDE, XFCE, dunst and mako all serve it). The connection is made on first use and made again
// after a failure.
type DBus struct {
	// Address is the bus to use; "" is the user's session bus (DBUS_SESSION_BUS_ADDRESS).
	Address string

	mu      sync.Mutex
	conn    *dbus.Conn
	onClick func()
	sent    []uint32 // the ids of the last notices sent, whose clicks count
	markup  map[*dbus.Conn]bool
}

// readsMarkup asks the daemon once per connection whether it reads markup in a notice's body
// (the "body-markup" capability); a daemon that does not answer is taken to read it, so
// the body is escaped rather than shown as markup.
func (d *DBus) readsMarkup(ctx context.Context, conn *dbus.Conn) bool {
	d.mu.Lock()
	known, ok := d.markup[conn]
	d.mu.Unlock()
	if ok {
		return known
	}
	var caps []string
	err := conn.Object(busName, objectPath).CallWithContext(ctx, busName+".GetCapabilities", 0).Store(&caps)
	reads := err != nil || slices.Contains(caps, "body-markup")
	d.mu.Lock()
	if d.markup == nil {
		d.markup = map[*dbus.Conn]bool{}
	}
	clear(d.markup) // only the current connection's answer matters
	d.markup[conn] = reads
	d.mu.Unlock()
	return reads
}

// maxClickable bounds the notices whose clicks are still listened for.
const maxClickable = 64

// OnClick calls f when one of the notices sent from now on is clicked (the daemon's "default"
// action); f must not block.
func (d *DBus) OnClick(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.onClick = f
}

// System is the notifier of this OS: the session bus.
func System() Notifier { return &DBus{} }

const (
	busName    = "org.freedesktop.Notifications"
	objectPath = "/org/freedesktop/Notifications"
)

func (d *DBus) connect(ctx context.Context) (*dbus.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && d.conn.Connected() {
		return d.conn, nil
	}
	// The connection outlives this call (godbus closes a connection when its context ends), so
	// ctx bounds only the wait for it: a bus that never answers is left to finish on its own.
	type dialed struct {
		conn *dbus.Conn
		err  error
	}
	got := make(chan dialed, 1)
	go func() {
		var c dialed
		addr := d.Address
		if addr == "" {
			addr, c.err = sessionBusAddress()
		}
		if c.err == nil {
			c.conn, c.err = dbus.Connect(addr)
		}
		got <- c
	}()
	var conn *dbus.Conn
	var err error
	select {
	case c := <-got:
		conn, err = c.conn, c.err
	case <-ctx.Done():
		go func() {
			if c := <-got; c.conn != nil {
				c.conn.Close()
			}
		}()
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("no session bus for notifications: %w", err)
	}
	d.conn = conn
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(objectPath),
		dbus.WithMatchInterface(busName), dbus.WithMatchMember("ActionInvoked")); err == nil {
		clicks := make(chan *dbus.Signal, 16)
		conn.Signal(clicks)
		go d.watchClicks(clicks) // ends when the connection closes (godbus closes the channel)
	}
	return conn, nil
}

// watchClicks calls onClick for a click on one of this notifier's own notices.
func (d *DBus) watchClicks(clicks <-chan *dbus.Signal) {
	for sig := range clicks {
		if sig.Name != busName+".ActionInvoked" || len(sig.Body) != 2 {
			continue
		}
		id, _ := sig.Body[0].(uint32)
		key, _ := sig.Body[1].(string)
		d.mu.Lock()
		f, ours := d.onClick, slices.Contains(d.sent, id)
		d.mu.Unlock()
		if key == "default" && ours && f != nil {
			f()
		}
	}
}

// sessionBusAddress is the user's session bus: DBUS_SESSION_BUS_ADDRESS, or the systemd user
// bus in XDG_RUNTIME_DIR. Never dbus-launch's autolaunch (godbus' fallback), which would start a
// bus daemon of our own that nobody shows notifications from.
func sessionBusAddress() (string, error) {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" {
		return addr, nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return "unix:path=" + filepath.Join(dir, "bus"), nil
		}
	}
	return "", fmt.Errorf("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
}

// Notify calls Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout).
func (d *DBus) Notify(ctx context.Context, n Notice) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	conn, err := d.connect(ctx)
	if err != nil {
		return err
	}
	n = n.tidy()
	if d.readsMarkup(ctx, conn) {
		// A daemon that reads markup in the body would show an error message's "<a href=…>"
		// as a link; the body is our words and the user's titles, never markup.
		n.Body = html.EscapeString(n.Body)
	}
	hints := map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant("reelvault")}
	actions := []string{}
	d.mu.Lock()
	if d.onClick != nil {
		actions = []string{"default", "Show Reelvault"} // "default": a click on the notice itself
	}
	d.mu.Unlock()
	call := conn.Object(busName, objectPath).CallWithContext(ctx, busName+".Notify", 0,
		AppName, uint32(0), "reelvault", n.Title, n.Body, actions, hints, int32(-1))
	var id uint32
	if call.Err == nil {
		if err := call.Store(&id); err == nil {
			d.mu.Lock()
			d.sent = append(d.sent, id)
			if len(d.sent) > maxClickable {
				d.sent = d.sent[len(d.sent)-maxClickable:]
			}
			d.mu.Unlock()
		}
	}
	if call.Err != nil {
		d.mu.Lock()
		if d.conn == conn {
			conn.Close()
			d.conn = nil
		}
		d.mu.Unlock()
		return fmt.Errorf("desktop notification: %w", call.Err)
	}
	return nil
}

// Close ends the connection, if any.
func (d *DBus) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}
