package testmedia

import (
	"os/exec"
	"testing"
)

// Tool names as looked up on PATH (the same defaults as package media).
const (
	FFmpeg  = "ffmpeg"
	FFprobe = "ffprobe"
)

// RequireFFmpeg skips the test when ffmpeg or ffprobe is not installed: a test
// on real media may be skipped for that reason only.
func RequireFFmpeg(t testing.TB) {
	t.Helper()
	for _, bin := range []string{FFmpeg, FFprobe} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed: %v", bin, err)
		}
	}
}
