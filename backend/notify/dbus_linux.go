package notify

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

// DBus sends notices to the org.freedesktop.Notifications service of a session bus (GNOME,
// KDE, XFCE, dunst and mako all serve it). The connection is made on first use and made again
// after a failure.
type DBus struct {
	// Address is the bus to use; "" is the user's session bus (DBUS_SESSION_BUS_ADDRESS).
	Address string

	mu   sync.Mutex
	conn *dbus.Conn
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
	var conn *dbus.Conn
	var err error
	if d.Address == "" {
		conn, err = dbus.ConnectSessionBus(dbus.WithContext(ctx))
	} else {
		conn, err = dbus.Connect(d.Address, dbus.WithContext(ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("no session bus for notifications: %w", err)
	}
	d.conn = conn
	return conn, nil
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
	hints := map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant("reelvault")}
	call := conn.Object(busName, objectPath).CallWithContext(ctx, busName+".Notify", 0,
		AppName, uint32(0), "reelvault", n.Title, n.Body, []string{}, hints, int32(-1))
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
