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
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The server under test may write (its database, a part file) between the
	// free-space reading and the allocation: ENOSPC then means "measure again".
	for try := 1; ; try++ {
		n := Free(t, dir) - leave
		if n <= 0 {
			return path
		}
		err := syscall.Fallocate(int(f.Fd()), 0, 0, n)
		if err == nil {
			return path
		}
		if err != syscall.ENOSPC || try == 5 {
			t.Fatalf("fill %s with %d bytes: %v", dir, n, err)
		}
		if err := f.Truncate(0); err != nil {
			t.Fatal(err)
		}
	}
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
