package notify

import (
	"context"
	"fmt"
	"os/exec"
)

// Osascript shows a notification with AppleScript's `display notification`. The title and
// body are passed as arguments of the script, never as script text.
type Osascript struct{}

// System is the notifier of this OS: Notification Center through osascript.
func System() Notifier { return Osascript{} }

func (Osascript) Notify(ctx context.Context, n Notice) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	n = n.tidy()
	cmd := exec.CommandContext(ctx, "/usr/bin/osascript",
		"-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)", "-e", "end run",
		n.Title, n.Body)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("notification: %w: %s", err, clip(string(out), 300))
	}
	return nil
}
