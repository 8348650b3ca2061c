//go:build unix

package media

import (
	"os/exec"
	"syscall"
)

// startInOwnGroup puts the tool in a new process group and makes cancellation kill the
// whole group, so helpers ffmpeg may spawn die with it.
func startInOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		// Negative pid: the group. Fall back to the process itself if the group is gone.
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
