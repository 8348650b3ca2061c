//go:build unix

package testmedia

import (
	"os/exec"
	"syscall"
)

// inOwnGroup runs the tool in its own process group and kills the whole group
// on cancel, so nothing ffmpeg spawned outlives a timed-out test.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
