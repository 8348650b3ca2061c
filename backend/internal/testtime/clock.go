package testtime

import (
	"sync/atomic"
	"time"
)

// Clock is a clock a test moves forward by hand; its Now is safe to call
// from any goroutine. A Fixed clock stands still between Advances; a
// Running one follows the wall clock plus what was added, for code that
// also needs time to pass on its own (timeouts, tickers).
type Clock struct {
	fixed  bool
	base   time.Time
	offset atomic.Int64 // nanoseconds added by Advance
}

// Fixed is a clock that reads start until it is advanced.
func Fixed(start time.Time) *Clock { return &Clock{fixed: true, base: start} }

// Running is a clock that reads the wall clock plus what was advanced.
func Running() *Clock { return &Clock{} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	add := time.Duration(c.offset.Load())
	if c.fixed {
		return c.base.Add(add)
	}
	return time.Now().Add(add)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }
