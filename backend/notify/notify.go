// Package notify shows desktop notifications: D-Bus org.freedesktop.Notifications on Linux,
// a toast on Windows, Notification Center on macOS. Only the desktop window uses it; each call
// is bounded by its context, and a notification that cannot be shown is only logged by the caller.
package notify

import (
	"context"
	"time"
)

// Notice is one notification: a short title and a line of detail.
type Notice struct {
	Title string
	Body  string
}

// Notifier shows notices on this computer's desktop.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// Clickable is a Notifier whose notices can be clicked: the window then comes to the front.
type Clickable interface {
	OnClick(func())
}

// Timeout bounds one notification: the desktop answers at once or not at all.
const Timeout = 5 * time.Second

// AppName is how notifications name their sender.
const AppName = "Reelvault"

// clip bounds what a notice shows: a title or an error message can be long, and the desktop
// shows a line or two.
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}

// tidy is n as it is shown: bounded, with no control characters.
func (n Notice) tidy() Notice {
	clean := func(s string) string {
		out := []rune{}
		for _, c := range s {
			if c < 0x20 || c == 0x7f {
				c = ' '
			}
			out = append(out, c)
		}
		return string(out)
	}
	return Notice{Title: clip(clean(n.Title), 120), Body: clip(clean(n.Body), 400)}
}
