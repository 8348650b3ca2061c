package testdisk

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Tmpfs mounts a tmpfs of size ("64m") on a fresh folder until the test
// ends. Mounting needs root: elsewhere the test is skipped and says why,
// unless REELVAULT_TEST_MOUNT=required (as `make test-go` sets it, for CI,
// which runs as root), when it fails instead.
func Tmpfs(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0755", "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := "this test fills a small real filesystem and mounting one (a tmpfs, as root) is not permitted here: %v %s"
		if os.Getenv("REELVAULT_TEST_MOUNT") == "required" {
			t.Fatalf(msg, err, out)
		}
		t.Skipf(msg, err, out)
	}
	// Runs before t.TempDir's removal (cleanups run last first).
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// Fill takes all but leave bytes of dir's filesystem with a file (name in
// dir), allocated for real (fallocate), and returns its path: removing it
// gives the space back.
func Fill(t testing.TB, dir, name string, leave int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := free - leave; n > 0 {
		if err := syscall.Fallocate(int(f.Fd()), 0, 0, n); err != nil {
			t.Fatalf("fill %s with %d bytes: %v", dir, n, err)
		}
	}
	return path
}

// Free is the bytes left on dir's filesystem.
func Free(t testing.TB, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
