//go:build !unix

package media

import "os/exec"

// startInOwnGroup: without Unix process groups, cancellation kills ffmpeg itself
// (exec.CommandContext's default), which is all ffmpeg needs for file-to-file work.
func startInOwnGroup(cmd *exec.Cmd) {}

// withMemLimit: without Unix rlimits the tool runs unbounded; its input is still bounded
// by the picture-size and duration checks made before it starts.
func withMemLimit(bin string, args []string, limit int64) (string, []string) { return bin, args }
