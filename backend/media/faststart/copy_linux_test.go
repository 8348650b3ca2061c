package faststart

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// A filesystem that opens a file for direct I/O but refuses a write as it is (here: a
// buffer off the alignment direct I/O needs) gets the same bytes through the page cache,
// and the rest of the copy goes that way.
func TestRefusedDirectWritesGoThroughThePageCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.part")
	f, direct, err := openOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !direct {
		t.Skip("this filesystem does not open files for direct I/O")
	}
	c := &copier{dst: f, h: sha256.New()}
	c.direct.Store(true)
	want := bytes.Repeat([]byte("reelvault"), 1000)
	buf := alignedBytes(2 * align * 4)[1:] // off alignment on purpose
	copy(buf, want)
	if _, err := c.write(&block{buf: buf, n: len(want)}); err != nil {
		t.Fatalf("write = %v, want the page cache to take it", err)
	}
	if c.direct.Load() {
		t.Error("direct I/O still on after a refused write")
	}
	fl, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil || fl&unix.O_DIRECT != 0 {
		t.Errorf("file flags %#x, %v: want O_DIRECT dropped", fl, err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Errorf("the file holds %d bytes, not what was written", len(got))
	}
}
