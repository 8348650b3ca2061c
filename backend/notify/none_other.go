//go:build !linux && !windows && !darwin

package notify

// System is nil where Reelvault knows no notification service: nothing is shown.
func System() Notifier { return nil }
