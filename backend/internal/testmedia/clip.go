package testmedia

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clipTimeout bounds one clip's encode: clips are seconds long, so a stuck
// ffmpeg fails the test instead of hanging it.
const clipTimeout = 2 * time.Minute

// Make runs ffmpeg with args (inputs and codecs) writing out, failing the test
// with ffmpeg's stderr if it does not succeed in time.
func Make(t testing.TB, out string, args ...string) {
	t.Helper()
	full := append([]string{"-hide_banner", "-nostdin", "-v", "error", "-y"}, args...)
	full = append(full, out)
	ctx, cancel := context.WithTimeout(context.Background(), clipTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, FFmpeg, full...)
	inOwnGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		t.Fatalf("making %s: %v\n%s", filepath.Base(out), err, stderr.Bytes())
	}
}

// TempClip makes a clip named name in a fresh t.TempDir(), failing the test
// when ffmpeg is missing.
func TempClip(t testing.TB, name string, args ...string) string {
	t.Helper()
	RequireFFmpeg(t)
	out := filepath.Join(t.TempDir(), name)
	Make(t, out, args...)
	return out
}

// ClipCache makes each named clip once per test binary and shares it between
// tests, which must treat it as read-only: encoding is the slow part of a suite.
// TestMain calls Remove when the tests are done.
type ClipCache struct {
	Prefix string // of the temporary folder's name

	once sync.Once
	mu   sync.Mutex
	dir  string
	err  error
}

// Clip returns the path of the clip name, making it from args the first time.
func (c *ClipCache) Clip(t testing.TB, name string, args ...string) string {
	t.Helper()
	RequireFFmpeg(t)
	c.once.Do(func() { c.dir, c.err = os.MkdirTemp("", c.Prefix) })
	if c.err != nil {
		t.Fatalf("clip folder: %v", c.err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := filepath.Join(c.dir, name)
	if _, err := os.Stat(out); err == nil {
		return out
	}
	Make(t, out, args...)
	return out
}

// Remove deletes the cached clips.
func (c *ClipCache) Remove() {
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// LavfiVideo is the input arguments of a moving test picture.
func LavfiVideo(size, rate, seconds string) []string {
	return []string{"-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate + ":duration=" + seconds}
}

// LavfiAudio is the input arguments of a 440 Hz tone at 48 kHz.
func LavfiAudio(seconds string) []string {
	return []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds}
}

// H264AAC is the output arguments of a fast H.264/AAC encode that ends with
// the shorter input.
func H264AAC() []string {
	return []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"}
}

// Join concatenates argument lists.
func Join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
