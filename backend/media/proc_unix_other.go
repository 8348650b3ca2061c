//go:build unix && !linux

package media

import "syscall"

// dieWithParent: only Linux can have a child killed with its parent.
func dieWithParent(*syscall.SysProcAttr) {}
