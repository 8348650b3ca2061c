// Package jobs is a durable work queue kept in SQLite. A job is enqueued in
// the same transaction as the change that needs it, claimed with a lease by
// a worker of its kind, retried with growing delays, and put back in the
// queue when the process died while running it.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"reelvault/backend/store"
)

// Job is one unit of work: Kind names the handler, Ref what it works on.
type Job struct {
	ID       int64
	Kind     string
	Ref      string
	Attempts int // including the current one
}

// Handler does one job. Returning an error retries it later, unless the
// error is Permanent or the attempts are used up; then GiveUp is called.
type Handler struct {
	Run         func(ctx context.Context, job Job) error
	GiveUp      func(ctx context.Context, job Job, err error)
	Workers     int           // goroutines for this kind (default 1)
	MaxAttempts int           // default 5
	Timeout     time.Duration // per attempt; default 6 h
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks an error that retrying cannot fix.
func Permanent(err error) error { return permanentError{err} }

type laterError struct {
	after time.Duration
	err   error
}

func (l laterError) Error() string { return l.err.Error() }
func (l laterError) Unwrap() error { return l.err }

// Later asks for the job to run again after d without counting this
// attempt: the job found it cannot proceed yet (the disk is full) and will
// check again, however long that takes.
func Later(d time.Duration, err error) error { return laterError{d, err} }

// Queue runs the registered handlers.
type Queue struct {
	db    *store.DB
	log   *slog.Logger
	now   func() time.Time
	lease time.Duration
	poll  time.Duration
	// foundNone, when set (tests), is called each time a worker of kind
	// looked for a due job and found none: what it left is not due.
	foundNone func(kind string)
	// newTicker paces the heartbeat; tests replace it with a channel they feed.
	newTicker func(d time.Duration) (c <-chan time.Time, stop func())
	mu        sync.Mutex
	handlers  map[string]*kindState
	// running holds the jobs this process is running: their leases are
	// never taken over here, however late a heartbeat is, so a job never
	// runs twice at once (two builds on one .part file). The value is the
	// lease the claim took.
	runningMu sync.Mutex
	running   map[int64]time.Time
}

// errLeaseLost cancels an attempt whose lease ran out or passed to another
// claimer: it no longer owns the job, so it must stop.
var errLeaseLost = errors.New("job lease lost")

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

type kindState struct {
	Handler
	wake chan struct{}
}

// New makes a queue over db.
func New(db *store.DB, log *slog.Logger) *Queue {
	if log == nil {
		log = slog.Default()
	}
	return &Queue{db: db, log: log.With("component", "jobs"), now: time.Now,
		lease: time.Minute, poll: 2 * time.Second, newTicker: realTicker,
		handlers: map[string]*kindState{}, running: map[int64]time.Time{}}
}

// Register sets the handler of a kind. Call before Run.
func (q *Queue) Register(kind string, h Handler) {
	if h.Workers <= 0 {
		h.Workers = 1
	}
	if h.MaxAttempts <= 0 {
		h.MaxAttempts = 5
	}
	if h.Timeout <= 0 {
		h.Timeout = 6 * time.Hour
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handlers[kind] = &kindState{Handler: h, wake: make(chan struct{}, 1)}
}

// Enqueue adds a job in tx, unless the same kind and ref is already queued.
// Its workers are woken when tx commits.
func (q *Queue) Enqueue(ctx context.Context, tx *store.Tx, kind, ref string, delay time.Duration) error {
	now := q.now().UnixMilli()
	var queued int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE kind = ? AND ref = ? AND state = 'queued'`,
		kind, ref).Scan(&queued); err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	if queued > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, ref, state, run_after_ms, created_ms, updated_ms)
		VALUES (?, ?, 'queued', ?, ?, ?)`, kind, ref, now+delay.Milliseconds(), now, now); err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	tx.AfterCommit(func() { q.Wake(kind) })
	return nil
}

// Wake nudges the workers of kind to look for work now.
func (q *Queue) Wake(kind string) {
	q.mu.Lock()
	ks := q.handlers[kind]
	q.mu.Unlock()
	if ks == nil {
		return
	}
	select {
	case ks.wake <- struct{}{}:
	default:
	}
}

// Hurry makes the queued jobs of kind that wait for a later run due now (what they waited
// for is there) and wakes their workers.
func (q *Queue) Hurry(ctx context.Context, kind string) error {
	now := q.now().UnixMilli()
	if _, err := q.db.ExecContext(ctx, `UPDATE jobs SET run_after_ms = ?, updated_ms = ?
		WHERE kind = ? AND state = 'queued' AND run_after_ms > ?`, now, now, kind, now); err != nil {
		return fmt.Errorf("hurry %s: %w", kind, err)
	}
	q.Wake(kind)
	return nil
}

// Recover puts back jobs that were running when the process died. Only one
// process uses a data folder, so at start every running job is orphaned.
func (q *Queue) Recover(ctx context.Context) error {
	res, err := q.db.ExecContext(ctx, `UPDATE jobs SET state = 'queued', lease_ms = NULL, updated_ms = ? WHERE state = 'running'`,
		q.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("recover jobs: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		q.log.Info("resuming interrupted jobs", "count", n)
	}
	return nil
}

// Run works until ctx is cancelled, then waits for running jobs to stop.
// Like every component's Run, it returns nil when ctx ends and an error
// only when it cannot go on.
func (q *Queue) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	q.mu.Lock()
	for kind, ks := range q.handlers {
		for i := 0; i < ks.Workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q.work(ctx, kind, ks)
			}()
		}
	}
	q.mu.Unlock()
	wg.Wait()
	return nil
}

func (q *Queue) work(ctx context.Context, kind string, ks *kindState) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ks.wake:
		case <-timer.C:
		}
		for ctx.Err() == nil {
			job, ok, err := q.claim(ctx, kind)
			if err != nil {
				if ctx.Err() == nil {
					q.log.Error("claim job", "kind", kind, "err", err)
				}
				break
			}
			if !ok {
				if q.foundNone != nil {
					q.foundNone(kind)
				}
				break
			}
			q.runOne(ctx, ks, job)
		}
		timer.Reset(q.poll)
	}
}

func (q *Queue) claim(ctx context.Context, kind string) (Job, bool, error) {
	claimed := q.now()
	now, leaseUntil := claimed.UnixMilli(), claimed.Add(q.lease)
	job := Job{Kind: kind}
	err := q.db.Tx(ctx, func(tx *store.Tx) error {
		// The running set is read and extended inside the transaction: claims
		// take turns on the write lock, so no two see the same set.
		q.runningMu.Lock()
		defer q.runningMu.Unlock()
		args := []any{leaseUntil.UnixMilli(), now, kind, now, now}
		ownRunning := ""
		if len(q.running) > 0 {
			ownRunning = " AND id NOT IN (?" + strings.Repeat(", ?", len(q.running)-1) + ")"
			for id := range q.running {
				args = append(args, id)
			}
		}
		err := tx.QueryRowContext(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_ms = ?, updated_ms = ?
		WHERE id = (SELECT id FROM jobs WHERE kind = ? AND
			((state = 'queued' AND run_after_ms <= ?) OR (state = 'running' AND lease_ms < ?`+ownRunning+`))
			ORDER BY id LIMIT 1)
		RETURNING id, ref, attempts`, args...).Scan(&job.ID, &job.Ref, &job.Attempts)
		if err == nil {
			q.running[job.ID] = leaseUntil
		}
		return err
	})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Job{}, false, nil
		}
		return Job{}, false, err
	}
	return job, true, nil
}

func (q *Queue) runOne(ctx context.Context, ks *kindState, job Job) {
	defer func() {
		q.runningMu.Lock()
		delete(q.running, job.ID)
		q.runningMu.Unlock()
	}()
	log := q.log.With("job", job.ID, "kind", job.Kind, "ref", job.Ref, "attempt", job.Attempts)
	timed, cancel := context.WithTimeout(ctx, ks.Timeout)
	runCtx, lose := context.WithCancelCause(timed)
	stopBeat := q.heartbeat(runCtx, job, lose)
	start := time.Now()
	err := ks.Run(runCtx, job)
	stopBeat()
	if cause := context.Cause(runCtx); errors.Is(cause, errLeaseLost) {
		err = fmt.Errorf("%w: %v", cause, err)
	}
	lose(nil)
	cancel()
	if ctx.Err() != nil {
		// Shutting down: leave the job running; Recover picks it up next start.
		log.Info("job interrupted by shutdown")
		return
	}
	// A fresh context: the outcome must be recorded even if the attempt timed out.
	bg, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	now := q.now().UnixMilli()
	if err == nil {
		log.Debug("job done", "took", time.Since(start))
		if _, err := q.db.ExecContext(bg, `DELETE FROM jobs WHERE id = ?`, job.ID); err != nil {
			log.Error("record job done", "err", err)
		}
		return
	}
	var later laterError
	if errors.As(err, &later) {
		log.Info("job waits", "reason", err, "recheck_in", later.after)
		if _, dbErr := q.db.ExecContext(bg, `UPDATE jobs SET state = 'queued', lease_ms = NULL, attempts = attempts - 1, last_error = ?, run_after_ms = ?, updated_ms = ? WHERE id = ?`,
			err.Error(), now+later.after.Milliseconds(), now, job.ID); dbErr != nil {
			log.Error("record job wait", "err", dbErr)
		}
		return
	}
	var perm permanentError
	if !errors.As(err, &perm) && job.Attempts < ks.MaxAttempts {
		delay := backoff(job.Attempts)
		log.Warn("job failed, will retry", "err", err, "in", delay)
		if _, dbErr := q.db.ExecContext(bg, `UPDATE jobs SET state = 'queued', lease_ms = NULL, last_error = ?, run_after_ms = ?, updated_ms = ? WHERE id = ?`,
			err.Error(), now+delay.Milliseconds(), now, job.ID); dbErr != nil {
			log.Error("record job retry", "err", dbErr)
		}
		return
	}
	log.Error("job failed", "err", err)
	if _, dbErr := q.db.ExecContext(bg, `UPDATE jobs SET state = 'failed', lease_ms = NULL, last_error = ?, updated_ms = ? WHERE id = ?`,
		err.Error(), now, job.ID); dbErr != nil {
		log.Error("record job failure", "err", dbErr)
	}
	if ks.GiveUp != nil {
		ks.GiveUp(bg, job, err)
	}
}

// heartbeat extends the job's lease while it runs, so a long transcode is
// never mistaken for an orphan. It calls lose, which cancels the attempt,
// when the job is no longer provably this attempt's: the row passed to
// another claimer, or renewals failed until the lease ran out. A late beat
// that still finds the job unclaimed (the computer slept) renews it: no
// worker of this process takes over a job it runs.
func (q *Queue) heartbeat(ctx context.Context, job Job, lose context.CancelCauseFunc) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	q.runningMu.Lock()
	leaseUntil := q.running[job.ID] // as claim set it
	q.runningMu.Unlock()
	go func() {
		defer close(done)
		tick, stopTick := q.newTicker(q.lease / 3)
		defer stopTick()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
			now := q.now()
			res, err := q.db.ExecContext(ctx, `UPDATE jobs SET lease_ms = ? WHERE id = ? AND state = 'running' AND attempts = ?`,
				now.Add(q.lease).UnixMilli(), job.ID, job.Attempts)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if !now.Before(leaseUntil) {
					q.log.Error("job heartbeat failed until its lease ran out; stopping the job", "job", job.ID, "kind", job.Kind, "err", err)
					lose(fmt.Errorf("%w: it ran out at %s and could not be renewed: %v", errLeaseLost, leaseUntil.UTC().Format(time.RFC3339), err))
					return
				}
				q.log.Warn("job heartbeat failed; retrying while the lease lasts", "job", job.ID, "kind", job.Kind, "err", err)
				continue
			}
			if n, _ := res.RowsAffected(); n == 0 {
				q.log.Error("job lease passed to another claimer; stopping the job", "job", job.ID, "kind", job.Kind)
				lose(fmt.Errorf("%w: the job is no longer this attempt's", errLeaseLost))
				return
			}
			leaseUntil = now.Add(q.lease)
		}
	}()
	return func() { cancel(); <-done }
}

func backoff(attempt int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempt && d < 10*time.Minute; i++ {
		d *= 5
	}
	return d
}
