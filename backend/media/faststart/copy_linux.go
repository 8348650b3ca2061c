package faststart

import (
	"errors"
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

// openOutput creates path for writing, with direct I/O where the filesystem takes it
// (tmpfs, for one, does not); it reports which.
func openOutput(path string) (*os.File, bool, error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	f, err := os.OpenFile(path, flags|unix.O_DIRECT, 0o666)
	if errors.Is(err, unix.EINVAL) {
		f, err = os.OpenFile(path, flags, 0o666)
		return f, false, err
	}
	return f, err == nil, err
}

// directRefused reports whether a direct write failed because the filesystem does not
// take it as it is (alignment), not for want of room or a disk error.
func directRefused(err error) bool { return errors.Is(err, unix.EINVAL) }

// dropDirect turns direct I/O off on f.
func dropDirect(f *os.File) error {
	fl, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	_, err = unix.FcntlInt(f.Fd(), unix.F_SETFL, fl&^unix.O_DIRECT)
	return err
}
