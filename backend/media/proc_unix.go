//go:build unix

package media

import (
	"os/exec"
	"strconv"
	"syscall"
)

// withMemLimit runs the tool through /bin/sh, which sets RLIMIT_AS (ulimit -v, in KiB)
// and then execs it: the limit is in place before the tool's first instruction, which
// Go's os/exec cannot do itself (it has no rlimit hook between fork and exec), and exec
// keeps the pid, so process-group kills and Pdeathsig still reach the tool.
func withMemLimit(bin string, args []string, limit int64) (string, []string) {
	if limit <= 0 {
		return bin, args
	}
	return "/bin/sh", append([]string{"-c", `ulimit -v "$0" && exec "$@"`, strconv.FormatInt(limit>>10, 10), bin}, args...)
}

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
