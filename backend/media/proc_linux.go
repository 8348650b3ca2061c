//go:build linux

package media

import "syscall"

// dieWithParent has the kernel kill the tool if Reelvault itself dies
// (SIGKILL, crash): otherwise a transcode in its own process group would run
// on to the end for nothing, competing with the build that resumes at the
// next start. (Pdeathsig follows the thread that started the tool; Go keeps
// its threads alive, so in practice that is the process.)
func dieWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
