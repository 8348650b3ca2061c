// Package diskspace answers one question before work writes to disk: is
// there room for what it needs, plus a reserve kept free so the database can
// still commit (and a cancel or delete can be recorded) on a nearly full disk?
package diskspace

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"
)

// Checker compares what a piece of work needs with what the disk has free.
type Checker struct {
	// Reserve is kept free on top of every need: Bytes, or Share of the
	// filesystem's size (0.05 is 5%).
	Reserve Reserve
	// Free reports the bytes an unprivileged writer may use on the
	// filesystem holding path, and its size (default: Available, from statfs).
	Free func(path string) (free, size int64, err error)
}

// Reserve is the space kept free: a number of bytes or a share of the disk.
type Reserve struct {
	Bytes int64
	Share float64
}

// ParseReserve reads "2GB", "500MB", "1.5GiB", "123456" (bytes) or "5%".
func ParseReserve(s string) (Reserve, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q: give a size such as 2GB or 500MB, or a share of the disk such as 5%%", s)
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		if err != nil || !(f >= 0 && f < 100) {
			return Reserve{}, bad
		}
		return Reserve{Share: f / 100}, nil
	}
	units := []struct {
		suffix string
		n      float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"B", 1}}
	num, mult := strings.ToUpper(s), 1.0
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.n
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f >= 0 && f*mult < 1<<60) {
		return Reserve{}, bad
	}
	return Reserve{Bytes: int64(f * mult)}, nil
}

// String writes the reserve as ParseReserve reads it.
func (r Reserve) String() string {
	if r.Share > 0 {
		return strconv.FormatFloat(r.Share*100, 'f', -1, 64) + "%"
	}
	return Human(r.Bytes)
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
// statfs, a folder not made yet) passes: the write itself reports a full
// disk then.
func (c *Checker) Check(path string, need int64) error {
	if c == nil {
		return nil
	}
	free := c.Free
	if free == nil {
		free = Available
	}
	n, size, err := free(path)
	if err != nil {
		return nil // not known (no statfs here, or no such folder yet): the write itself reports a full disk
	}
	if need < 0 {
		need = 0
	}
	reserve := c.Reserve.Bytes + int64(c.Reserve.Share*float64(size))
	if n < need+reserve {
		return &Short{Need: need, Free: n, Reserve: reserve}
	}
	return nil
}

// IsShort reports whether err is a *Short, or a write that found the disk
// full (ENOSPC, or a tool's message saying so).
func IsShort(err error) bool {
	var s *Short
	return errors.As(err, &s) || errors.Is(err, syscall.ENOSPC)
}

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
