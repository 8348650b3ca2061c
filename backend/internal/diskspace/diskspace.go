// Package diskspace answers one question before work writes to disk: is
// there room for what it needs, plus a reserve kept free so the database can
// still commit (and a cancel or delete can be recorded) on a nearly full disk?
package diskspace

import (
	"errors"
	"fmt"
	"syscall"
)

// Checker compares what a piece of work needs with what the disk has free.
type Checker struct {
	// Reserve is kept free on top of every need (bytes).
	Reserve int64
	// Free reports the bytes an unprivileged writer may use on the
	// filesystem holding path (default: Available, from statfs).
	Free func(path string) (int64, error)
}

// Short is work that must wait: the disk lacks Missing bytes.
type Short struct {
	Need, Free, Reserve int64
}

func (s *Short) Missing() int64 { return s.Need + s.Reserve - s.Free }

func (s *Short) Error() string {
	return fmt.Sprintf("waiting for %s of free space", Human(s.Missing()))
}

// Check returns a *Short when path's filesystem has less than need plus the
// reserve free. A filesystem whose free space cannot be read (an OS without
// statfs) passes: the write itself reports a full disk then.
func (c *Checker) Check(path string, need int64) error {
	if c == nil {
		return nil
	}
	free := c.Free
	if free == nil {
		free = Available
	}
	n, err := free(path)
	if errors.Is(err, errUnsupported) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("free space: %w", err)
	}
	if need < 0 {
		need = 0
	}
	if n < need+c.Reserve {
		return &Short{Need: need, Free: n, Reserve: c.Reserve}
	}
	return nil
}

// IsShort reports whether err is a *Short, or a write that found the disk
// full (ENOSPC, or a tool's message saying so).
func IsShort(err error) bool {
	var s *Short
	return errors.As(err, &s) || errors.Is(err, syscall.ENOSPC)
}

var errUnsupported = errors.New("free space is not known on this system")

// Human writes a byte count the way a status line shows it ("12 GB", "640 MB").
func Human(n int64) string {
	const unit = 1000
	switch {
	case n >= unit*unit*unit:
		return fmt.Sprintf("%.0f GB", float64(n)/(unit*unit*unit))
	case n >= unit*unit:
		return fmt.Sprintf("%.0f MB", float64(n)/(unit*unit))
	case n >= unit:
		return fmt.Sprintf("%.0f KB", float64(n)/unit)
	}
	return fmt.Sprintf("%d bytes", n)
}
