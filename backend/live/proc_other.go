//go:build !unix

package live

import "os/exec"

// startInOwnGroup: without Unix process groups, cancellation kills ffmpeg
// itself (exec.CommandContext's default).
func startInOwnGroup(cmd *exec.Cmd) {}
