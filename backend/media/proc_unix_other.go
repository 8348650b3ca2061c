//go:build unix && !linux

package media

import "syscall"

// dieWithParent: only Linux can have a child killed with its parent.
func dieWithParent(*syscall.SysProcAttr) {}

// withMemLimit: other Unixes (macOS) do not enforce RLIMIT_AS reliably and refuse to set
// it, so the tool runs unbounded there; its input is still bounded by the picture-size
// and duration checks made before it starts.
func withMemLimit(bin string, args []string, limit int64) (string, []string) { return bin, args }
