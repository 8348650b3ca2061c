package jobs

import (
	"context"
	"maps"
	"sync/atomic"
	"testing"
)

// Four builds for one worker: the first runs, the three waiting say how many
// come before each (the running one included); other kinds do not count.
func TestAheadCountsRunningAndEarlierQueued(t *testing.T) {
	q := newTestQueue(t, false)
	release := make(chan struct{})
	var started atomic.Int32
	q.Register("build", Handler{Run: func(context.Context, Job) error {
		started.Add(1)
		<-release
		return nil
	}})
	q.enqueue("build", "a")
	q.enqueue("other", "z") // no worker, another lane
	q.enqueue("build", "b")
	q.enqueue("build", "c")
	q.enqueue("build", "d")
	q.run()
	eventually(t, "the first build to start", func() bool { return started.Load() == 1 })

	got, err := q.Ahead(context.Background(), "build")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"b": 1, "c": 2, "d": 3}
	if !maps.Equal(got, want) {
		t.Errorf("ahead = %v, want %v (a runs, so it has no place in the queue)", got, want)
	}
	both, err := q.Ahead(context.Background(), "build", "other")
	if err != nil {
		t.Fatal(err)
	}
	if both["z"] != 0 || both["d"] != 3 {
		t.Errorf("ahead over two kinds = %v, want z first in its own lane and d still 3", both)
	}
	close(release)
	eventually(t, "the queue to empty", func() bool { return len(q.rows("build")) == 0 })
	if got, _ := q.Ahead(context.Background(), "build"); len(got) != 0 {
		t.Errorf("ahead with nothing queued = %v, want empty", got)
	}
}
