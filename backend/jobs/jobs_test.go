package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
	"reelvault/backend/store"
)

type testQueue struct {
	*Queue
	t     *testing.T
	db    *store.DB
	clock *testtime.Clock // moved by hand, so retry delays pass at once

	mu    sync.Mutex
	looks map[string]int // per kind: how often a worker found nothing due
}

// newTestQueue opens a real database in a temporary folder. The queue polls
// every 10 ms; with fake set, it reads time from a fake clock.
func newTestQueue(t *testing.T, fake bool) *testQueue {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "jobs.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q := New(db, log)
	q.poll = 10 * time.Millisecond
	tq := &testQueue{Queue: q, t: t, db: db, looks: map[string]int{}}
	q.foundNone = func(kind string) {
		tq.mu.Lock()
		defer tq.mu.Unlock()
		tq.looks[kind]++
	}
	if fake {
		tq.clock = testtime.Fixed(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
		q.now = tq.clock.Now
	}
	return tq
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// run starts the queue until the test ends; the returned func stops it early.
func (q *testQueue) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); q.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	q.t.Cleanup(stop)
	return stop
}

func (q *testQueue) enqueue(kind, ref string) {
	q.t.Helper()
	err := q.db.Tx(context.Background(), func(tx *store.Tx) error {
		return q.Enqueue(context.Background(), tx, kind, ref, 0)
	})
	if err != nil {
		q.t.Fatalf("enqueue: %v", err)
	}
}

type jobRow struct {
	state     string
	attempts  int
	lastError string
}

func (q *testQueue) rows(kind string) []jobRow {
	q.t.Helper()
	rs, err := q.db.QueryContext(context.Background(), `SELECT state, attempts, coalesce(last_error, '') FROM jobs WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		q.t.Fatal(err)
	}
	defer rs.Close()
	var out []jobRow
	for rs.Next() {
		var r jobRow
		if err := rs.Scan(&r.state, &r.attempts, &r.lastError); err != nil {
			q.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testtime.Until(t, 5*time.Second, what, cond)
}

// settled waits until a worker of kind has looked at the queue after this
// call and found nothing due: whatever the queue holds now will not run
// without a change (time passing, a new job).
func (q *testQueue) settled(kind string) {
	q.t.Helper()
	looks := func() int {
		q.mu.Lock()
		defer q.mu.Unlock()
		return q.looks[kind]
	}
	// Each worker may be in the middle of a look begun before this call;
	// one look more than there are workers is one begun after it.
	q.mu.Lock()
	workers := q.handlers[kind].Workers
	q.mu.Unlock()
	want := looks() + workers + 1
	q.Wake(kind)
	eventually(q.t, "the queue to find nothing due", func() bool {
		if looks() >= want {
			return true
		}
		q.Wake(kind)
		return false
	})
}

func TestRetryThenSuccess(t *testing.T) {
	q := newTestQueue(t, true)
	var runs atomic.Int32
	var gaveUp atomic.Int32
	q.Register("k", Handler{
		Run: func(ctx context.Context, job Job) error {
			if runs.Add(1) == 1 {
				return errors.New("disk busy")
			}
			if job.Attempts != 2 {
				t.Errorf("second run sees Attempts %d", job.Attempts)
			}
			return nil
		},
		GiveUp: func(context.Context, Job, error) { gaveUp.Add(1) },
	})
	q.run()
	q.enqueue("k", "a")
	eventually(t, "first attempt", func() bool { return runs.Load() == 1 })
	eventually(t, "retry recorded", func() bool {
		r := q.rows("k")
		return len(r) == 1 && r[0].state == "queued"
	})
	if r := q.rows("k")[0]; r.attempts != 1 || r.lastError != "disk busy" {
		t.Errorf("after a failure: %+v, want attempts 1 and the error kept", r)
	}
	q.settled("k")
	if n := runs.Load(); n != 1 {
		t.Fatalf("retried before its delay: %d runs", n)
	}
	q.clock.Advance(3 * time.Second)
	eventually(t, "retry", func() bool { return runs.Load() == 2 })
	eventually(t, "done job removed", func() bool { return len(q.rows("k")) == 0 })
	if gaveUp.Load() != 0 {
		t.Errorf("GiveUp called for a job that succeeded")
	}
}

func TestPermanentErrorGivesUpOnce(t *testing.T) {
	q := newTestQueue(t, true)
	var runs atomic.Int32
	var gaveUp []error
	var mu sync.Mutex
	cause := errors.New("not a video")
	q.Register("k", Handler{
		Run: func(context.Context, Job) error { runs.Add(1); return Permanent(cause) },
		GiveUp: func(_ context.Context, job Job, err error) {
			mu.Lock()
			defer mu.Unlock()
			gaveUp = append(gaveUp, err)
		},
	})
	q.run()
	q.enqueue("k", "a")
	eventually(t, "give up", func() bool { mu.Lock(); defer mu.Unlock(); return len(gaveUp) > 0 })
	q.clock.Advance(time.Hour)
	q.settled("k")
	if n := runs.Load(); n != 1 {
		t.Fatalf("ran again after a permanent error: %d runs", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(gaveUp) != 1 || !errors.Is(gaveUp[0], cause) {
		t.Errorf("GiveUp calls %v, want one with the cause", gaveUp)
	}
	if r := q.rows("k"); len(r) != 1 || r[0].state != "failed" || r[0].attempts != 1 {
		t.Errorf("job rows %+v, want one failed after 1 attempt", r)
	}
}

func TestAttemptsExhaustedGivesUp(t *testing.T) {
	q := newTestQueue(t, true)
	var runs, gaveUp atomic.Int32
	var lastErr atomic.Value
	q.Register("k", Handler{
		MaxAttempts: 3,
		Run: func(_ context.Context, job Job) error {
			runs.Add(1)
			return errors.New("try " + string(rune('0'+job.Attempts)))
		},
		GiveUp: func(_ context.Context, _ Job, err error) { gaveUp.Add(1); lastErr.Store(err.Error()) },
	})
	q.run()
	q.enqueue("k", "a")
	for i := 1; i < 3; i++ {
		eventually(t, "retry recorded", func() bool {
			r := q.rows("k")
			return len(r) == 1 && r[0].state == "queued" && r[0].attempts == i
		})
		// The delay grows: an hour covers every one of them.
		q.clock.Advance(time.Hour)
	}
	eventually(t, "give up", func() bool { return gaveUp.Load() == 1 })
	q.clock.Advance(time.Hour)
	q.settled("k")
	if runs.Load() != 3 || gaveUp.Load() != 1 {
		t.Fatalf("%d runs and %d give-ups, want 3 and 1: ran past MaxAttempts", runs.Load(), gaveUp.Load())
	}
	if lastErr.Load() != "try 3" {
		t.Errorf("GiveUp got %v, want the last attempt's error", lastErr.Load())
	}
	if r := q.rows("k"); len(r) != 1 || r[0].state != "failed" || r[0].attempts != 3 {
		t.Errorf("job rows %+v, want failed after 3 attempts", r)
	}
}

func TestBackoffGrows(t *testing.T) {
	prev := time.Duration(0)
	for attempt := 1; attempt <= 8; attempt++ {
		d := backoff(attempt)
		if d < prev || d <= 0 {
			t.Errorf("backoff(%d) = %v after %v", attempt, d, prev)
		}
		prev = d
	}
	if prev > time.Hour {
		t.Errorf("backoff reaches %v: a retry should come within the hour", prev)
	}
}

// A job left running by a process that died is put back and run again.
func TestRecoverRequeuesRunningJobs(t *testing.T) {
	q := newTestQueue(t, true)
	q.enqueue("k", "a")
	q.enqueue("k", "b")
	// Claim one as a worker of a process that then died.
	job, ok, err := q.claim(context.Background(), "k")
	if err != nil || !ok || job.Ref != "a" {
		t.Fatalf("claim = %+v %v %v", job, ok, err)
	}
	if err := q.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := q.rows("k"); r[0].state != "queued" || r[0].attempts != 1 {
		t.Errorf("after Recover: %+v, want queued, attempts kept", r)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	q.Register("k", Handler{Run: func(_ context.Context, job Job) error {
		mu.Lock()
		defer mu.Unlock()
		seen[job.Ref] = job.Attempts
		return nil
	}})
	q.run()
	eventually(t, "both jobs", func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 2 })
	if seen["a"] != 2 || seen["b"] != 1 {
		t.Errorf("attempts seen %v, want a:2 (resumed) b:1", seen)
	}
}

// Stopping the queue mid-job leaves the job for Recover rather than failing it.
func TestShutdownLeavesJobForRecover(t *testing.T) {
	q := newTestQueue(t, false)
	started := make(chan struct{})
	q.Register("k", Handler{Run: func(ctx context.Context, _ Job) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}})
	stop := q.run()
	q.enqueue("k", "a")
	<-started
	stop()
	if r := q.rows("k"); len(r) != 1 || r[0].state != "running" || r[0].lastError != "" {
		t.Errorf("after shutdown: %+v, want the job still running (for Recover), no error", r)
	}
}

func TestEnqueueDedupsQueuedJobs(t *testing.T) {
	q := newTestQueue(t, false)
	q.enqueue("k", "a")
	q.enqueue("k", "a")
	q.enqueue("k", "b")
	q.enqueue("other", "a")
	if n := len(q.rows("k")); n != 2 {
		t.Errorf("%d jobs of kind k, want 2 (a once, b)", n)
	}

	// A job asked for while the same one runs is queued again: the run in
	// progress may have read the state before the change that asked.
	release := make(chan struct{})
	var runs atomic.Int32
	q.Register("slow", Handler{Run: func(context.Context, Job) error {
		if runs.Add(1) == 1 {
			<-release
		}
		return nil
	}})
	q.run()
	q.enqueue("slow", "x")
	eventually(t, "running", func() bool { return runs.Load() == 1 })
	q.enqueue("slow", "x")
	q.enqueue("slow", "x")
	if r := q.rows("slow"); len(r) != 2 || r[0].state != "running" || r[1].state != "queued" {
		t.Errorf("rows %+v, want the running one and one queued", r)
	}
	close(release)
	eventually(t, "second run", func() bool { return runs.Load() == 2 })
	eventually(t, "queue empty", func() bool { return len(q.rows("slow")) == 0 })
}

func TestRolledBackEnqueueNeverRuns(t *testing.T) {
	q := newTestQueue(t, false)
	var runs atomic.Int32
	q.Register("k", Handler{Run: func(context.Context, Job) error { runs.Add(1); return nil }})
	q.run()
	boom := errors.New("the change failed")
	err := q.db.Tx(context.Background(), func(tx *store.Tx) error {
		if err := q.Enqueue(context.Background(), tx, "k", "a", 0); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	q.settled("k")
	if n := runs.Load(); n != 0 {
		t.Fatalf("a rolled-back job ran %d times", n)
	}
	if r := q.rows("k"); len(r) != 0 {
		t.Errorf("rows %+v after rollback", r)
	}
	// The same job committed does run: the test above could fail.
	q.enqueue("k", "a")
	eventually(t, "committed job", func() bool { return runs.Load() == 1 })
}

// The heartbeat keeps a long job's lease fresh: a second worker never takes it.
func TestLeaseHeartbeatPreventsDoubleClaim(t *testing.T) {
	q := newTestQueue(t, false)
	q.lease = 150 * time.Millisecond
	var runs, concurrent, maxConcurrent atomic.Int32
	q.Register("k", Handler{Workers: 3, Run: func(ctx context.Context, _ Job) error {
		runs.Add(1)
		n := concurrent.Add(1)
		if n > maxConcurrent.Load() {
			maxConcurrent.Store(n)
		}
		defer concurrent.Add(-1)
		select {
		case <-time.After(time.Second): // several leases long
		case <-ctx.Done():
		}
		return nil
	}})
	q.run()
	q.enqueue("k", "a")
	eventually(t, "job done", func() bool { return runs.Load() >= 1 && len(q.rows("k")) == 0 })
	if runs.Load() != 1 || maxConcurrent.Load() != 1 {
		t.Errorf("job ran %d times (%d at once), want once", runs.Load(), maxConcurrent.Load())
	}
}

// A lease that ran out without a heartbeat (a worker that hung or died) is
// taken over by another worker.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	q := newTestQueue(t, false)
	now := time.Now().UnixMilli()
	if _, err := q.db.ExecContext(context.Background(), `INSERT INTO jobs (kind, ref, state, attempts, run_after_ms, lease_ms, created_ms, updated_ms)
		VALUES ('k', 'a', 'running', 1, ?, ?, ?, ?)`, now, now-1000, now, now); err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int32
	q.Register("k", Handler{Run: func(_ context.Context, job Job) error { attempts.Store(int32(job.Attempts)); return nil }})
	q.run()
	eventually(t, "reclaimed", func() bool { return attempts.Load() == 2 })
}

// An attempt that overruns its timeout is cancelled and retried.
func TestAttemptTimeout(t *testing.T) {
	q := newTestQueue(t, true)
	q.Register("k", Handler{Timeout: 50 * time.Millisecond, Run: func(ctx context.Context, _ Job) error {
		<-ctx.Done()
		return ctx.Err()
	}})
	q.run()
	q.enqueue("k", "a")
	eventually(t, "retry recorded", func() bool {
		r := q.rows("k")
		return len(r) == 1 && r[0].state == "queued" && r[0].attempts == 1
	})
	if r := q.rows("k")[0]; !strings.Contains(r.lastError, "deadline") {
		t.Errorf("last_error %q, want the timeout", r.lastError)
	}
}

// manualTicks makes the heartbeat beat only when the test calls beat.
func (q *testQueue) manualTicks() chan<- time.Time {
	ch := make(chan time.Time)
	q.newTicker = func(time.Duration) (<-chan time.Time, func()) { return ch, func() {} }
	return ch
}

// beat hands the heartbeat of the job running under ctx one tick. It
// returns once the heartbeat took it, which means the beat before it has
// been fully handled, or false when the job's context ended first (its
// heartbeat stopped).
func beat(t *testing.T, ticks chan<- time.Time, ctx context.Context) bool {
	t.Helper()
	select {
	case ticks <- time.Time{}:
		return true
	case <-ctx.Done():
		return false
	case <-time.After(5 * time.Second):
		t.Fatal("the heartbeat took no tick for 5 s")
		return false
	}
}

// A job whose lease runs out in this process (its heartbeat stalled) is not
// started a second time by another worker of the same process: the two
// attempts would write the same .part file.
func TestNoLeaseTakeoverInProcess(t *testing.T) {
	q := newTestQueue(t, true)
	q.manualTicks() // never beats: the lease is left to run out
	var runs atomic.Int32
	started, release := make(chan struct{}, 4), make(chan struct{})
	q.Register("k", Handler{Workers: 2, Run: func(ctx context.Context, _ Job) error {
		runs.Add(1)
		started <- struct{}{}
		<-release
		return nil
	}})
	q.run()
	releaseAll := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseAll) // runs before the queue's stop, even when the test fails
	q.enqueue("k", "a")
	<-started
	q.clock.Advance(2 * q.lease) // the lease in the database has run out
	q.settled("k")               // the idle worker has looked since
	if n := runs.Load(); n != 1 {
		t.Fatalf("the job was started %d times while its first attempt ran, want once", n)
	}
	releaseAll()
	eventually(t, "job done", func() bool { return len(q.rows("k")) == 0 })
	if n := runs.Load(); n != 1 {
		t.Errorf("the job ran %d times, want once", n)
	}
}

// A heartbeat that comes late (the computer slept past the lease) but finds
// the job still this attempt's renews it: the job goes on.
func TestLateHeartbeatKeepsTheJob(t *testing.T) {
	q := newTestQueue(t, true)
	ticks := q.manualTicks()
	var runs atomic.Int32
	running := make(chan context.Context, 1)
	release := make(chan struct{})
	q.Register("k", Handler{Run: func(ctx context.Context, _ Job) error {
		runs.Add(1)
		running <- ctx
		select {
		case <-release:
		case <-ctx.Done():
		}
		return ctx.Err()
	}})
	q.run()
	q.enqueue("k", "a")
	ctx := <-running
	q.clock.Advance(3 * q.lease)
	// The second tick is taken only once the first beat was handled.
	first, second := beat(t, ticks, ctx), beat(t, ticks, ctx)
	if !first || !second || ctx.Err() != nil {
		t.Fatalf("a late heartbeat that renewed the lease cancelled the job: %v", context.Cause(ctx))
	}
	close(release)
	eventually(t, "job done", func() bool { return len(q.rows("k")) == 0 })
	if n := runs.Load(); n != 1 {
		t.Errorf("the job ran %d times, want once", n)
	}
}

// A job whose heartbeat fails until its lease runs out is cancelled, and
// retried later, instead of running on without owning its job.
func TestFailingHeartbeatCancelsTheJob(t *testing.T) {
	q := newTestQueue(t, true)
	ticks := q.manualTicks()
	var runs atomic.Int32
	running := make(chan context.Context, 1)
	stopped := make(chan error, 1)
	q.Register("k", Handler{Run: func(ctx context.Context, _ Job) error {
		if runs.Add(1) > 1 {
			return nil
		}
		running <- ctx
		<-ctx.Done()
		stopped <- context.Cause(ctx)
		return ctx.Err()
	}})
	q.run()
	q.enqueue("k", "a")
	ctx := <-running
	// A real database failure, for the heartbeat's renewal only: a running
	// job whose lease is moved.
	bg := context.Background()
	if _, err := q.db.ExecContext(bg, `CREATE TRIGGER heartbeat_fails BEFORE UPDATE OF lease_ms ON jobs
		WHEN OLD.state = 'running' AND NEW.state = 'running' AND NEW.lease_ms IS NOT NULL
		BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`); err != nil {
		t.Fatal(err)
	}

	// Failures within the lease are retried: the job goes on. (The second
	// tick is taken only once the first beat was handled.)
	q.clock.Advance(q.lease / 2)
	if first, second := beat(t, ticks, ctx), beat(t, ticks, ctx); !first || !second {
		t.Fatalf("a job was cancelled while its lease lasted: %v", context.Cause(ctx))
	}

	// Past the lease, a failed renewal stops it (the beat still in flight
	// may be the one that sees the lease run out).
	q.clock.Advance(q.lease)
	beat(t, ticks, ctx)
	wantLeaseLost(t, stopped, "the job ran on after its lease had run out unrenewed")
	eventually(t, "retry recorded", func() bool {
		r := q.rows("k")
		return len(r) == 1 && r[0].state == "queued" && strings.Contains(r[0].lastError, "disk trouble")
	})
	if _, err := q.db.ExecContext(bg, `DROP TRIGGER heartbeat_fails`); err != nil {
		t.Fatal(err)
	}
	q.clock.Advance(time.Minute) // past the retry delay
	q.Wake("k")
	eventually(t, "retried", func() bool { return runs.Load() == 2 && len(q.rows("k")) == 0 })
}

// A lease taken over by another claimer (another process, against the
// rules) stops this attempt at its next beat.
func TestLeaseTakenElsewhereCancelsTheJob(t *testing.T) {
	q := newTestQueue(t, true)
	ticks := q.manualTicks()
	running := make(chan context.Context, 1)
	stopped := make(chan error, 1)
	q.Register("k", Handler{Run: func(ctx context.Context, job Job) error {
		if job.Attempts > 1 {
			return nil
		}
		running <- ctx
		<-ctx.Done()
		stopped <- context.Cause(ctx)
		return ctx.Err()
	}})
	q.run()
	q.enqueue("k", "a")
	ctx := <-running
	// What another claimer's UPDATE does.
	if _, err := q.db.ExecContext(context.Background(), `UPDATE jobs SET attempts = attempts + 1 WHERE ref = 'a'`); err != nil {
		t.Fatal(err)
	}
	beat(t, ticks, ctx)
	wantLeaseLost(t, stopped, "the job ran on after another claimer took it")
}

// wantLeaseLost waits for the job to report why its context ended.
func wantLeaseLost(t *testing.T, stopped <-chan error, ifNot string) {
	t.Helper()
	select {
	case cause := <-stopped:
		if !errors.Is(cause, errLeaseLost) {
			t.Errorf("job cancelled by %v, want the lost lease", cause)
		}
	case <-time.After(5 * time.Second):
		t.Fatal(ifNot)
	}
}

// A job that must wait (the disk is full) runs again after its delay as
// often as it needs, without using up its attempts or being given up.
func TestLaterWaitsWithoutUsingAttempts(t *testing.T) {
	q := newTestQueue(t, true)
	var runs atomic.Int32
	var gaveUp atomic.Int32
	q.Register("k", Handler{
		MaxAttempts: 2,
		Run: func(context.Context, Job) error {
			if runs.Add(1) <= 5 {
				return Later(time.Minute, errors.New("waiting for 1 GB of free space"))
			}
			return nil
		},
		GiveUp: func(context.Context, Job, error) { gaveUp.Add(1) },
	})
	q.run()
	q.enqueue("k", "a")
	for i := 1; i <= 5; i++ {
		eventually(t, "the wait recorded", func() bool {
			r := q.rows("k")
			return runs.Load() == int32(i) && len(r) == 1 && r[0].state == "queued" && r[0].attempts == 0 &&
				r[0].lastError == "waiting for 1 GB of free space"
		})
		q.settled("k") // not due before its delay
		if runs.Load() != int32(i) {
			t.Fatalf("ran again before the minute passed")
		}
		q.clock.Advance(time.Minute)
	}
	eventually(t, "the job to finish", func() bool { return len(q.rows("k")) == 0 })
	if gaveUp.Load() != 0 || runs.Load() != 6 {
		t.Errorf("%d runs, %d give-ups; want 6 runs and none given up", runs.Load(), gaveUp.Load())
	}
}
