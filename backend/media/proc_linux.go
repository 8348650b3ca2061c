//go:build linux

package media

import (
	"strconv"
	"syscall"
)

// dieWithParent has the kernel kill the tool if Reelvault itself dies
// (SIGKILL, crash): otherwise a transcode in its own process group would run
// on to the end for nothing, competing with the build that resumes at the
// next start. (Pdeathsig follows the thread that started the tool; Go keeps
// its threads alive, so in practice that is the process.)
func dieWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

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
