//go:build !linux

package faststart

import "os"

// adviseSequential is a Linux hint; elsewhere the read-ahead is left to the system.
func adviseSequential(*os.File) {}

// cloneFile reports false: reflinks are tried on Linux only, and the file is copied.
func cloneFile(dst, src *os.File) bool { return false }
