//go:build !unix

package testmedia

import "os/exec"

// inOwnGroup: without process groups, cancel kills ffmpeg itself.
func inOwnGroup(*exec.Cmd) {}
