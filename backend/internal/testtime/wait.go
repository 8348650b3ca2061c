package testtime

import (
	"testing"
	"time"
)

// Poll checks cond until it holds or timeout passes, and reports whether it
// held. It looks often at first and backs off to every 100 ms, so a fast
// condition is seen at once and a slow one costs little.
func Poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	every := 2 * time.Millisecond
	for {
		if cond() {
			return true
		}
		next := time.NewTimer(every)
		select {
		case <-deadline.C:
			next.Stop()
			return cond()
		case <-next.C:
		}
		every = min(2*every, 100*time.Millisecond)
	}
}

// Until waits for cond, failing t if it does not hold within timeout.
func Until(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Poll(timeout, cond) {
		t.Fatalf("timed out after %s waiting for %s", timeout, what)
	}
}
