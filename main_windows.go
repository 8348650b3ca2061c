//go:build windows

package main

import (
	"os"
	"syscall"
)

// Wails links Windows binaries as GUI programs (-H windowsgui), which get no console: typed
// into cmd or PowerShell, `reelvault serve` or `reelvault version` would print nothing. A
// command-line run attaches to the console it was started from, when there is one and its
// output is not already redirected (a pipe or a file keeps working as it is).
func init() {
	if len(os.Args) < 2 {
		return // the window, started from the Start menu or Explorer
	}
	if h, err := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != syscall.InvalidHandle {
		return
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // no console to attach to (Explorer's "Open with")
	}
	if con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = con, con
	}
}
