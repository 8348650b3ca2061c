package partfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// StartWriteback asks the kernel to begin writing bytes [off, off+n) of f to
// disk now, without waiting for it: a file written in a stream then reaches
// its Commit or Finish with little left to flush, so the final fsync is short
// (the disk works while the bytes still arrive). It promises nothing about
// durability; only the fsync does. Errors are ignored: the fsync reports them.
func StartWriteback(f *os.File, off, n int64) {
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			_ = unix.SyncFileRange(int(fd), off, n, unix.SYNC_FILE_RANGE_WRITE)
		})
	}
}
