package kit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Proc is an external process with a deadline. It runs in its own process
// group, which is killed whole when the deadline passes (or on Kill), and
// the kernel kills it if the benchmark itself dies, so nothing outlives a run.
type Proc struct {
	Cmd     *exec.Cmd
	timeout time.Duration
	ctx     context.Context
	cancel  context.CancelFunc
}

// Command prepares name args with timeout; its stderr goes to ours unless
// the caller sets Cmd.Stderr before Start.
func Command(timeout time.Duration, name string, args ...string) *Proc {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error {
		// Negative pid: the group. Fall back to the process if the group is gone.
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	// A child that inherited an output pipe must not hold Wait forever.
	cmd.WaitDelay = 5 * time.Second
	return &Proc{Cmd: cmd, timeout: timeout, ctx: ctx, cancel: cancel}
}

// Start starts the process, or the program exits.
func (p *Proc) Start() *Proc {
	if err := p.Cmd.Start(); err != nil {
		p.cancel()
		Must(fmt.Errorf("%s: %w", p.Cmd.Path, err))
	}
	return p
}

// Wait waits for the process to end and releases its deadline.
func (p *Proc) Wait() error {
	err := p.Cmd.Wait()
	timedOut := p.ctx.Err() == context.DeadlineExceeded
	p.cancel()
	switch {
	case err != nil && timedOut:
		return fmt.Errorf("%s took longer than %s and was killed", p.Cmd.Path, p.timeout)
	case err != nil:
		return fmt.Errorf("%s: %w", p.Cmd.Path, err)
	}
	return nil
}

// Kill kills the process group and waits for the process.
func (p *Proc) Kill() {
	p.cancel()
	p.Cmd.Wait()
}

// Run runs name args to the end within timeout, or the program exits.
func Run(timeout time.Duration, name string, args ...string) {
	Must(Command(timeout, name, args...).Start().Wait())
}

// FFmpeg runs ffmpeg quietly (-v error), overwriting its output, within timeout.
func FFmpeg(timeout time.Duration, args ...string) {
	Run(timeout, "ffmpeg", append([]string{"-v", "error", "-y"}, args...)...)
}
