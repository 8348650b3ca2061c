//go:build !linux

package ingest

// networkFS is not detected off Linux: folders are watched with events and
// the periodic rescan catches what a network share does not report.
func networkFS(path string) (bool, string) { return false, "" }
