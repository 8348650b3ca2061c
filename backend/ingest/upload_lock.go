package ingest

import (
	"context"
	"sync"
)

// uploadLocks serialises everything that touches one upload's bytes. A
// newcomer preempts the holder instead of queueing behind it: when a client
// retries a chunk after its connection died, the server side of the old
// request may still be blocked reading a socket nobody writes to any more,
// and the retry (or a cancel) must not wait for that to time out.
type uploadLocks struct {
	mu sync.Mutex
	m  map[string]*uploadLock
}

type uploadLock struct {
	held    chan struct{} // holds a token while someone owns the lock
	preempt func()        // asks the current owner to stop; nil if it cannot be asked
	refs    int
}

// acquire takes the lock of upload id, asking the current owner to stop.
// preempt is how a later newcomer will ask this owner to stop (nil: it
// cannot be interrupted and finishes quickly anyway).
func (l *uploadLocks) acquire(ctx context.Context, id string, preempt func()) (func(), error) {
	l.mu.Lock()
	lk := l.m[id]
	if lk == nil {
		lk = &uploadLock{held: make(chan struct{}, 1)}
		l.m[id] = lk
	}
	lk.refs++
	if lk.preempt != nil {
		lk.preempt()
	}
	l.mu.Unlock()

	select {
	case lk.held <- struct{}{}:
	case <-ctx.Done():
		l.unref(id, lk)
		return nil, ctx.Err()
	}
	l.mu.Lock()
	lk.preempt = preempt
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		lk.preempt = nil
		l.mu.Unlock()
		<-lk.held
		l.unref(id, lk)
	}, nil
}

// tryAcquire takes the lock only if nobody holds it.
func (l *uploadLocks) tryAcquire(id string) (func(), bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lk := l.m[id]
	if lk == nil {
		lk = &uploadLock{held: make(chan struct{}, 1)}
		l.m[id] = lk
	}
	select {
	case lk.held <- struct{}{}:
	default:
		return nil, false
	}
	lk.refs++
	return func() {
		<-lk.held
		l.unref(id, lk)
	}, true
}

func (l *uploadLocks) unref(id string, lk *uploadLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lk.refs--
	if lk.refs == 0 && l.m[id] == lk {
		delete(l.m, id)
	}
}
