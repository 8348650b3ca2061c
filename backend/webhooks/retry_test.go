package webhooks

import (
	"testing"
	"time"
)

func TestDefaultRetryScheduleGrowsAndStopsAfter24Hours(t *testing.T) {
	p := DefaultRetry
	first := time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC)

	for range 100 { // jitter: every draw must keep the first retry within 10 s
		at, ok := p.next(1, first, first)
		if !ok || at.Sub(first) < 3*time.Second || at.Sub(first) > 10*time.Second {
			t.Fatalf("first retry at +%s (ok=%v), want within 10 s", at.Sub(first), ok)
		}
	}
	prev := time.Duration(0)
	for n := 1; n <= 8; n++ {
		d := p.baseDelay(n)
		if d < prev {
			t.Errorf("delay after attempt %d (%s) is shorter than the one before (%s)", n, d, prev)
		}
		prev = d
	}
	if p.baseDelay(50) != time.Hour {
		t.Errorf("delays must stop growing at 1 h, got %s", p.baseDelay(50))
	}
	// Close to the end of the window the last try is at the deadline.
	late := first.Add(24*time.Hour - time.Minute)
	at, ok := p.next(20, first, late)
	if !ok || !at.Equal(first.Add(24*time.Hour)) {
		t.Errorf("last retry at %s (ok=%v), want exactly the end of the window", at, ok)
	}
	if _, ok := p.next(21, first, first.Add(24*time.Hour)); ok {
		t.Error("an attempt failing once the window is over must not be retried")
	}
	if n := p.maxAttempts(); n < 25 || n > 35 {
		t.Errorf("max attempts in 24 h = %d, want about 30 (as Mux)", n)
	}
}
