package faststart

import (
	"os"

	"golang.org/x/sys/unix"
)

// adviseSequential tells the kernel the input is read once from start to end, so it
// reads ahead further.
func adviseSequential(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
}

// cloneFile shares src's blocks with dst (a reflink) where the filesystem can
// (Btrfs, XFS): no data is copied. It reports whether it did.
func cloneFile(dst, src *os.File) bool {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) == nil
}
