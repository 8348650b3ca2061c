package webhooks

import (
	"context"
	"errors"
	"sync"
	"time"

	"reelvault/backend/store"
)

// finished is a worker's attempt, waiting to be recorded by the loop.
type finished struct {
	c claimed
	o outcome
}

// Run fans out events and delivers them until ctx is cancelled, then waits
// for the POSTs in flight to stop (those cut short are sent again at the
// next start).
//
// One goroutine, this loop, does every write of the delivery machinery:
// each turn records the finished attempts, fans out new events and claims
// what is due in a single transaction, then hands the claimed deliveries to
// workers that only do HTTP. Few, batched transactions keep SQLite's write
// lock free for the archive, and a slow POST never holds a database lock.
func (s *Service) Run(ctx context.Context) error {
	if s.env.ID == "" {
		return errors.New("webhooks: Run before Recover")
	}
	// Listening starts before the cursor is read, so no commit falls between.
	defer s.db.OnEvents(s.wake)()
	cursor, err := s.loadCursor(ctx)
	if err != nil {
		return err
	}
	s.log.Info("webhook delivery started", "cursor", cursor, "environment", s.env.ID)
	defer s.stmts.close()
	var workers sync.WaitGroup
	var unrecorded []finished
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			s.log.Info("webhook delivery stopping")
			workers.Wait()
			s.recordAtStop(append(unrecorded, s.drainResults()...))
			return nil
		case <-s.wakeCh:
		case <-timer.C:
		}
		results := append(unrecorded, s.drainResults()...)
		// Recorded in the same transaction as the claim, so their slots
		// count as free for it.
		for _, f := range results {
			s.release(f.c.endpointID)
		}
		batch, next, err := s.turn(ctx, cursor, results)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("webhook delivery turn failed; retrying", "err", err)
			}
			for _, f := range results {
				s.hold(f.c.endpointID)
			}
			unrecorded = results // recorded next turn
			timer.Reset(100 * time.Millisecond)
			continue
		}
		unrecorded, cursor = nil, next
		for _, c := range batch {
			s.hold(c.endpointID)
			workers.Add(1)
			go func() {
				defer workers.Done()
				s.deliver(ctx, c)
			}()
		}
		if s.settled != nil && s.total == 0 {
			s.settled(cursor)
		}
		timer.Reset(s.untilNextDue(ctx))
	}
}

func (s *Service) drainResults() []finished {
	var out []finished
	for {
		select {
		case f := <-s.results:
			out = append(out, f)
		default:
			return out
		}
	}
}

func (s *Service) hold(endpointID string) {
	s.inFlight[endpointID]++
	s.total++
}

func (s *Service) release(endpointID string) {
	s.inFlight[endpointID]--
	if s.inFlight[endpointID] <= 0 {
		delete(s.inFlight, endpointID)
	}
	s.total--
}

// turn records results, fans out events after cursor and claims what is
// due. A transaction is opened only when there is something to write.
func (s *Service) turn(ctx context.Context, cursor int64, results []finished) ([]claimed, int64, error) {
	last, err := s.lastEventSeq(ctx)
	if err != nil {
		return nil, cursor, err
	}
	if len(results) == 0 && last <= cursor {
		found, err := s.findDue(ctx, nil)
		if err != nil || len(found) == 0 {
			return nil, cursor, err
		}
	}
	var batch []claimed
	var logs []func()
	next := cursor
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		batch, logs, next = nil, nil, cursor
		for _, f := range results {
			logFn, err := s.record(ctx, tx, f.c, f.o)
			if err != nil {
				return err
			}
			logs = append(logs, logFn)
		}
		if last > cursor {
			if next, err = s.fanOut(ctx, tx, cursor); err != nil {
				return err
			}
		}
		found, err := s.findDue(ctx, tx)
		if err != nil {
			return err
		}
		batch, err = s.markDelivering(ctx, tx, found)
		return err
	})
	if err != nil {
		return nil, cursor, err
	}
	for _, logFn := range logs {
		logFn()
	}
	if next < last {
		s.wake() // more events than one batch: go on at once
	}
	return batch, next, nil
}

// recordAtStop records the attempts that finished before the stop and puts
// back those the stop cut short, so they are sent at the next start.
func (s *Service) recordAtStop(results []finished) {
	if len(results) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		for _, f := range results {
			if f.o.interrupted {
				if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending' WHERE seq = ? AND state = 'delivering'`, f.c.seq); err != nil {
					return err
				}
				continue
			}
			if _, err := s.record(ctx, tx, f.c, f.o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Left as delivering: recoverInFlight sends them again at the next start.
		s.log.Warn("record attempts at stop", "err", err)
	}
}
