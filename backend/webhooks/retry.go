package webhooks

import (
	"math/rand/v2"
	"time"
)

// RetryPolicy says when a failed attempt is tried again: First after the
// first failure, then Factor times longer each time up to Max, each delay
// moved by up to ±Jitter (a fraction) so that many deliveries failing at once
// do not all come back at the same instant. Attempts stop Window after the
// first one; the delivery is then failed.
type RetryPolicy struct {
	First  time.Duration
	Factor float64
	Max    time.Duration
	Window time.Duration
	Jitter float64
}

// DefaultRetry retries a first time within 10 s (5 s ± 20 %), then after
// about 15 s, 45 s, 2 min, 7 min, 20 min, then every hour for 24 hours.
var DefaultRetry = RetryPolicy{First: 5 * time.Second, Factor: 3, Max: time.Hour, Window: 24 * time.Hour, Jitter: 0.2}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetry
	if p.First > 0 {
		d.First = p.First
	}
	if p.Factor >= 1 {
		d.Factor = p.Factor
	}
	if p.Max > 0 {
		d.Max = p.Max
	}
	if p.Window > 0 {
		d.Window = p.Window
	}
	if p.Jitter > 0 && p.Jitter < 1 {
		d.Jitter = p.Jitter
	}
	return d
}

// baseDelay is the wait after the n-th finished attempt (n >= 1), without jitter.
func (p RetryPolicy) baseDelay(n int) time.Duration {
	d := float64(p.First)
	for i := 1; i < n && d < float64(p.Max); i++ {
		d *= p.Factor
	}
	return min(time.Duration(d), p.Max)
}

// next says when to try again after the n-th finished attempt failed at now,
// or ok=false when the window that opened at first is over.
func (p RetryPolicy) next(n int, first, now time.Time) (at time.Time, ok bool) {
	deadline := first.Add(p.Window)
	if !now.Before(deadline) {
		return time.Time{}, false
	}
	d := p.baseDelay(n)
	d = time.Duration(float64(d) * (1 + p.Jitter*(2*rand.Float64()-1)))
	at = now.Add(d)
	if at.After(deadline) {
		at = deadline // one last try as the window closes
	}
	return at, true
}

// maxAttempts is how many attempts the window holds (Mux reports it on
// every attempt as max_attempts).
func (p RetryPolicy) maxAttempts() int {
	n, t := 1, time.Duration(0)
	for {
		t += p.baseDelay(n)
		if t >= p.Window {
			return n + 1 // the last try as the window closes
		}
		n++
	}
}
