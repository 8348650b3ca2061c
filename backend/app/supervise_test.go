package app

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// untilCancelled is a well-behaved component: it runs until asked to stop.
func untilCancelled(stopped *atomic.Bool) func(context.Context) error {
	return func(ctx context.Context) error {
		<-ctx.Done()
		stopped.Store(true)
		return nil
	}
}

func superviseWithin(t *testing.T, ctx context.Context, components []component, stopListeners func()) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- supervise(ctx, testmedia.QuietLogger(), components, stopListeners) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("supervise did not return")
		return nil
	}
}

// A component that fails, returns unasked or panics stops the whole app,
// with its name in the error, instead of leaving the others half-working.
func TestSupervisorStopsEverythingWhenOneFails(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(context.Context) error
		want string
	}{
		{"error", func(context.Context) error { return errors.New("database is locked") }, "webhook delivery: database is locked"},
		{"returns unasked", func(context.Context) error { return nil }, "webhook delivery: stopped without being asked to"},
		{"panic", func(context.Context) error { panic("nil map") }, "webhook delivery: panic: nil map"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var otherStopped, listenersStopped atomic.Bool
			err := superviseWithin(t, context.Background(), []component{
				{"change feed", untilCancelled(&otherStopped)},
				{"webhook delivery", c.run},
			}, func() { listenersStopped.Store(true) })
			if err == nil || err.Error() != c.want {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if !otherStopped.Load() || !listenersStopped.Load() {
				t.Errorf("other component stopped %v, listeners stopped %v; want both", otherStopped.Load(), listenersStopped.Load())
			}
		})
	}
}

// At shutdown the listeners drain first, while the workers they call into
// still run; then the workers stop. Errors while stopping are no failure.
func TestSupervisorStopsListenersBeforeWorkers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var workerStopped, workerRanDuringDrain atomic.Bool
	workers := []component{
		{"archive", untilCancelled(&workerStopped)},
		{"jobs", func(ctx context.Context) error { <-ctx.Done(); return errors.New("job interrupted") }},
	}
	cancel()
	err := superviseWithin(t, ctx, workers, func() { workerRanDuringDrain.Store(!workerStopped.Load()) })
	if err != nil { // the jobs component's error came while stopping
		t.Errorf("a requested stop returned %v", err)
	}
	if !workerRanDuringDrain.Load() || !workerStopped.Load() {
		t.Errorf("workers running while listeners drained: %v; stopped at the end: %v", workerRanDuringDrain.Load(), workerStopped.Load())
	}
}
