// Package feed tells the UI what changes, as it happens: every event the
// archive records (from the outbox) and the progress of masters being
// built (which is not an event). The browser gets it as server-sent events;
// the desktop window as Wails events, since Wails' asset server cannot stream.
package feed

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

// Change is one notification.
type Change struct {
	Kind       string     `json:"kind"` // "event", "progress" or "health"
	Type       string     `json:"type,omitempty"`
	ObjectType string     `json:"object_type,omitempty"`
	ObjectID   string     `json:"object_id,omitempty"`
	Progress   []Progress `json:"progress,omitempty"`
	// Health is a live stream's (object_id) health, pushed about once a
	// second while an encoder publishes, and once not live when it leaves.
	Health *wire.LiveHealth `json:"health,omitempty"`
}

// Progress is how far one asset's master is.
type Progress struct {
	ID       string  `json:"id"`
	State    string  `json:"state"`
	Progress float64 `json:"progress"`
	// QueueAhead is how many builds come before this one while it waits in
	// the queue ("queued, 3 ahead"); absent once it runs.
	QueueAhead *int `json:"queue_ahead,omitempty"`
	// Rebuild is a ready asset's change of master size underway (or failed), as the
	// asset's own rebuild field shows it.
	Rebuild *wire.Rebuild `json:"rebuild,omitempty"`
	// Speed is how fast the running work goes (as the asset's speed); absent when not known.
	Speed *wire.Speed `json:"speed,omitempty"`
}

// Hub fans changes out to subscribers. It has no dependencies, so it can
// be made before the archive that reports to it (AssetChanged) and the
// Feed that publishes to it.
type Hub struct {
	mu   sync.Mutex
	subs map[chan Change]struct{}
}

// NewHub makes an empty hub.
func NewHub() *Hub { return &Hub{subs: map[chan Change]struct{}{}} }

// Subscribe returns a channel of changes and a function to stop. A
// subscriber too slow to keep up misses changes rather than slowing others:
// the UI refetches what it shows anyway.
func (h *Hub) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, subscriberQueue)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

func (h *Hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// AssetChanged tells subscribers an asset changed in a way no event
// records (its thumbnail was made).
func (h *Hub) AssetChanged(id string) {
	h.publish(Change{Kind: "event", Type: "reelvault.asset.changed", ObjectType: "asset", ObjectID: id})
}

// LiveHealth tells subscribers a live stream's health. It is sent only
// while a subscriber's queue is less than half full: health comes every
// second and the next reading replaces a missed one, so it must never
// crowd out the events a slow subscriber has yet to read.
func (h *Hub) LiveHealth(streamID string, v wire.LiveHealth) {
	h.send(Change{Kind: "health", Type: "reelvault.live.health", ObjectType: "live", ObjectID: streamID, Health: &v}, subscriberQueue/2)
}

// subscriberQueue is how many changes wait for a subscriber before it misses some.
const subscriberQueue = 64

func (h *Hub) publish(c Change) { h.send(c, subscriberQueue) }

// send gives c to every subscriber with fewer than room changes waiting;
// it never blocks.
func (h *Hub) send(c Change, room int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		if len(ch) >= room {
			continue
		}
		select {
		case ch <- c:
		default:
		}
	}
}

// Feed publishes the outbox's events and build progress to its Hub.
type Feed struct {
	*Hub
	db       *store.DB
	archive  *archive.Service
	log      *slog.Logger
	interval time.Duration
	wake     chan struct{}
	// started, when set (tests), is called once Run has read the outbox
	// position it sends events after: events committed from then on reach
	// subscribers.
	started func()
}

// New makes a feed publishing to hub (a new one if nil); Run must be
// running for it to send anything.
func New(db *store.DB, a *archive.Service, hub *Hub, log *slog.Logger) *Feed {
	if log == nil {
		log = slog.Default()
	}
	if hub == nil {
		hub = NewHub()
	}
	f := &Feed{Hub: hub, db: db, archive: a, log: log.With("component", "feed"), interval: 500 * time.Millisecond,
		wake: make(chan struct{}, 1)}
	return f
}

// signal wakes Run; it never blocks the committer that calls it.
func (f *Feed) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Run reads new outbox events as they are committed and polls progress
// while anyone listens, until ctx ends.
func (f *Feed) Run(ctx context.Context) error {
	// Listening starts before the position is read, so no commit falls between.
	defer f.db.OnEvents(f.signal)()
	seq, err := f.lastSeq(ctx)
	if err != nil {
		f.log.Error("read event position", "err", err)
	}
	if f.started != nil {
		f.started()
	}
	tick := time.NewTicker(f.interval)
	defer tick.Stop()
	var lastProgress []Progress
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-f.wake:
			seq = f.sendEvents(ctx, seq)
		case <-tick.C:
			seq = f.sendEvents(ctx, seq) // a safety net: events written without a wake-up
			if f.subscribers() == 0 {
				lastProgress = nil
				continue
			}
			p := f.progress(ctx)
			if !sameProgress(p, lastProgress) && len(p) > 0 {
				f.publish(Change{Kind: "progress", Progress: p})
			}
			lastProgress = p
		}
	}
}

func (f *Feed) lastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := f.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&seq)
	return seq, err
}

func (f *Feed) sendEvents(ctx context.Context, after int64) int64 {
	for {
		evs, err := f.db.EventsAfter(ctx, after, 200)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Warn("read events", "err", err)
			}
			return after
		}
		for _, ev := range evs {
			f.publish(Change{Kind: "event", Type: ev.Type, ObjectType: ev.ObjectType, ObjectID: ev.ObjectID})
			after = ev.Seq
		}
		if len(evs) < 200 {
			return after
		}
	}
}

func (f *Feed) progress(ctx context.Context) []Progress {
	assets, _, err := f.archive.List(ctx, archive.ListParams{Status: archive.StatusPreparing, Limit: 100})
	if err != nil {
		if ctx.Err() == nil {
			f.log.Warn("read progress", "err", err)
		}
		return nil
	}
	rebuilding, err := f.archive.Rebuilding(ctx)
	if err != nil && ctx.Err() == nil {
		f.log.Warn("read rebuilds", "err", err)
	}
	out := make([]Progress, 0, len(assets)+len(rebuilding))
	for _, a := range append(assets, rebuilding...) {
		p := wire.NewProgress(a)
		out = append(out, Progress{ID: a.ID, State: p.State, Progress: p.Progress, QueueAhead: a.QueueAhead, Rebuild: wire.NewRebuild(a),
			Speed: wire.NewSpeed(a)})
	}
	return out
}

func sameProgress(a, b []Progress) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.State != y.State || x.Progress != y.Progress || !sameAhead(x.QueueAhead, y.QueueAhead) ||
			!sameRebuild(x.Rebuild, y.Rebuild) || !sameSpeed(x.Speed, y.Speed) {
			return false
		}
	}
	return true
}

func sameRebuild(a, b *wire.Rebuild) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.MaxResolutionTier == b.MaxResolutionTier && a.State == b.State && a.Progress == b.Progress &&
		sameAhead(a.QueueAhead, b.QueueAhead) && a.Error == b.Error && a.Waiting == b.Waiting && sameSpeed(a.Speed, b.Speed)
}

func sameAhead(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func sameSpeed(a, b *wire.Speed) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
