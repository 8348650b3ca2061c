package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"sync"
	"time"
)

// stderrTailBytes bounds how much of a tool's stderr is kept: enough for the last error
// lines, small enough that a chatty decoder cannot grow memory.
const stderrTailBytes = 16 << 10

// toolRun describes one invocation of ffmpeg or ffprobe.
type toolRun struct {
	bin     string
	args    []string
	timeout time.Duration
	stdout  io.Writer // nil discards
	// memLimit bounds the tool's address space in bytes (0: unbounded), so a hostile or
	// huge file makes ffmpeg fail with "cannot allocate memory" instead of taking the
	// machine's memory.
	memLimit int64
}

// Memory bounds. x264 and x265 reserve address space per thread, so a build's bound grows
// with the machine's cores: a 2160p 4:2:2 10-bit x265 encode needs under 2 GiB of address
// space on 2 cores (measured), and fails cleanly at 1 GiB.
var (
	probeMemLimit int64 = 2 << 30 // ffprobe decodes one frame for HDR metadata
	buildMemLimit       = int64(2<<30) + int64(runtime.NumCPU())*(256<<20)
)

// toolResult is what a finished run leaves behind for error mapping.
type toolResult struct {
	stderr   string
	timedOut bool  // our own timeout fired (not the caller's context)
	canceled error // the caller's context error, when that is why it stopped
	err      error // exec error (non-zero exit, failure to start), nil on success
}

// run starts the tool in its own process group and waits for it. The caller's ctx cancels
// it; r.timeout bounds it regardless. On either, the whole group is killed.
func run(ctx context.Context, r toolRun) toolResult {
	// Checked before starting: under a memory limit the tool runs through a shell, whose
	// "not found" would otherwise read like ffmpeg's own failure.
	if _, err := exec.LookPath(r.bin); err != nil {
		return toolResult{err: err}
	}
	runCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()

	bin, args := withMemLimit(r.bin, r.args, r.memLimit)
	cmd := exec.CommandContext(runCtx, bin, args...)
	stderr := &tailBuffer{max: stderrTailBytes}
	cmd.Stderr = stderr
	cmd.Stdout = r.stdout
	startInOwnGroup(cmd)
	// Wait returns at most this long after the kill even if a grandchild still holds a pipe.
	cmd.WaitDelay = 2 * time.Second

	started := time.Now()
	err := cmd.Run()
	res := toolResult{stderr: stderr.String(), err: err}
	if err != nil {
		switch {
		case ctx.Err() != nil:
			res.canceled = ctx.Err()
		case errors.Is(runCtx.Err(), context.DeadlineExceeded):
			res.timedOut = true
		}
	}
	log().Debug("tool finished", "bin", r.bin, "elapsed", time.Since(started).Round(time.Millisecond),
		"err", err)
	return res
}

// failure turns a failed run into an error: the caller's cancellation stays recognisable
// with errors.Is(err, context.Canceled); everything else becomes a human *Error.
func (res toolResult) failure(tool string, timeout time.Duration, classify func(stderr string) *Error) error {
	if res.canceled != nil {
		return fmt.Errorf("media: %s stopped: %w", tool, res.canceled)
	}
	if res.err != nil && isMissing(res.err) {
		return missingTool(tool)
	}
	if res.timedOut {
		return &Error{Kind: KindTimeout,
			Message: fmt.Sprintf("%s took longer than %s and was stopped", tool, timeout.Round(time.Second)),
			Detail:  res.stderr}
	}
	e := classify(res.stderr)
	if e.Detail == "" {
		e.Detail = res.stderr
	}
	if e.Detail == "" && res.err != nil {
		e.Detail = res.err.Error()
	}
	return e
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// fileURL prefixes a local path with ffmpeg's file: protocol so a name containing a colon
// ("take:2.mov") or starting with a dash is never read as a protocol or an option.
func fileURL(path string) string { return "file:" + path }

// RunFFmpeg runs ffmpeg with args for other packages' plain jobs (joining
// recordings, say) with this package's care: its own process group, killed
// with it on cancel or after timeout, and the last line of its stderr in the
// error.
func RunFFmpeg(ctx context.Context, timeout time.Duration, args ...string) error {
	res := run(ctx, toolRun{bin: ffmpegBin(), timeout: timeout, memLimit: buildMemLimit,
		args: append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}, args...)})
	switch {
	case res.err == nil:
		return nil
	case res.canceled != nil:
		return fmt.Errorf("ffmpeg stopped: %w (%s)", res.canceled, lastLine(res.stderr))
	case res.timedOut:
		return fmt.Errorf("ffmpeg took longer than %s and was stopped (%s)", timeout.Round(time.Second), lastLine(res.stderr))
	}
	return fmt.Errorf("ffmpeg: %v: %s", res.err, lastLine(res.stderr))
}
