package testmedia

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"testing"
)

// Tool names as looked up on PATH (the same defaults as package media).
const (
	FFmpeg  = "ffmpeg"
	FFprobe = "ffprobe"
)

// RequireFFmpeg fails the test when ffmpeg or ffprobe is not installed. It
// does not skip: a machine without them would pass every test on real media
// without running one, and `make test` installs them (make deps).
func RequireFFmpeg(t testing.TB) {
	t.Helper()
	for _, bin := range []string{FFmpeg, FFprobe} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is not installed (%v): this test runs the real tool; `make deps` or `apt-get install ffmpeg` installs it", bin, err)
		}
	}
}

// FileSHA256 is the lowercase hex SHA-256 of the file at path, as sha256sum prints it.
func FileSHA256(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
