//go:build !linux

package testdisk

import "testing"

// Tmpfs skips: a tmpfs is Linux's.
func Tmpfs(t testing.TB, size string) string {
	t.Skip("this test fills a small real filesystem (a tmpfs), which only Linux has")
	return ""
}

func Fill(t testing.TB, dir, name string, leave int64) string { t.Fatal("Linux only"); return "" }
func Free(t testing.TB, dir string) int64                     { t.Fatal("Linux only"); return 0 }
