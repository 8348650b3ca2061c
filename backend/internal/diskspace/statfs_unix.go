//go:build linux || darwin || freebsd

package diskspace

import "syscall"

// Available is the free space on path's filesystem that an unprivileged
// writer may use (blocks available, not blocks free: root's reserve is not
// ours), and the filesystem's size.
func Available(path string) (free, size int64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize), nil
}
