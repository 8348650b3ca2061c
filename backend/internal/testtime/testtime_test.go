package testtime

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestPollSeesAConditionThatComesTrue(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	if !Poll(5*time.Second, func() bool { return n.Load() == 3 }) {
		t.Fatal("the condition held, Poll said it did not")
	}
}

func TestPollGivesUpAtTheDeadline(t *testing.T) {
	start := time.Now()
	if Poll(30*time.Millisecond, func() bool { return false }) {
		t.Fatal("Poll reported a condition that never held")
	}
	if took := time.Since(start); took < 30*time.Millisecond || took > 2*time.Second {
		t.Errorf("gave up after %s, want about 30 ms", took)
	}
}

func TestClocks(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := Fixed(start)
	if !f.Now().Equal(start) {
		t.Errorf("fixed clock reads %s, want %s", f.Now(), start)
	}
	f.Advance(time.Hour)
	if want := start.Add(time.Hour); !f.Now().Equal(want) {
		t.Errorf("advanced fixed clock reads %s, want %s", f.Now(), want)
	}
	r := Running()
	r.Advance(24 * time.Hour)
	if d := time.Until(r.Now()); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("a running clock advanced a day is %s ahead", d)
	}
}
