//go:build !unix

package media

import "os/exec"

// startInOwnGroup: without Unix process groups, cancellation kills ffmpeg itself
// (exec.CommandContext's default), which is all ffmpeg needs for file-to-file work.
func startInOwnGroup(cmd *exec.Cmd) {}
