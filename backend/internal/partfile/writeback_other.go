//go:build !linux

package partfile

import "os"

// StartWriteback is a no-op where there is no sync_file_range: the final
// fsync writes everything.
func StartWriteback(f *os.File, off, n int64) {}
