package live

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"

	"reelvault/backend/media"
)

// runFFmpeg runs ffmpeg in its own process group with a timeout; on
// cancellation or timeout the whole group is killed. The error carries the
// end of ffmpeg's stderr.
func runFFmpeg(ctx context.Context, timeout time.Duration, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, media.FFmpegPath, append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}, args...)...)
	stderr := &tail{max: 8 << 10}
	cmd.Stderr = stderr
	startInOwnGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("ffmpeg stopped: %w (%s)", ctx.Err(), stderr.lastLine())
		}
		return fmt.Errorf("ffmpeg: %v: %s", err, stderr.lastLine())
	}
	return nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	if len(lines) == 0 || lines[len(lines)-1] == "" {
		return "no message"
	}
	return lines[len(lines)-1]
}
