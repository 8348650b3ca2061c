//go:build !linux

package faststart

import "os"

// adviseSequential is a Linux hint; elsewhere the read-ahead is left to the system.
func adviseSequential(*os.File) {}

// cloneFile reports false: reflinks are tried on Linux only, and the file is copied.
func cloneFile(dst, src *os.File) bool { return false }

// openOutput creates path for writing; direct I/O is tried on Linux only.
func openOutput(path string) (*os.File, bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	return f, false, err
}

func directRefused(error) bool { return false }

func dropDirect(*os.File) error { return nil }
