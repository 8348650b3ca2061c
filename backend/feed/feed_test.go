package feed

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

// A real SQLite archive; no ffmpeg is needed: the assets stay preparing
// because the job queue is not running.
func newFeed(t *testing.T) (*Feed, *archive.Service, *store.DB) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "db.sqlite"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	signer, err := links.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	a, err := archive.New(db, jobs.New(db, log), archive.Config{DataDir: dir, AssetEvent: wire.NewAssets(signer).Event, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	f := New(db, a, nil, log)
	f.interval = 20 * time.Millisecond
	started := make(chan struct{})
	f.started = func() { close(started) }
	runCtx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go f.Run(runCtx)
	// Run sends the events committed after the position it reads first: an
	// event created before that would never be sent, so the tests start after.
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the feed did not start within 5 s")
	}
	return f, a, db
}

func next(t *testing.T, ch <-chan Change, kind string) Change {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case c := <-ch:
			if c.Kind == kind {
				return c
			}
		case <-deadline:
			t.Fatalf("no %s change within 5 s", kind)
		}
	}
}

func TestEventsReachSubscribers(t *testing.T) {
	f, a, _ := newFeed(t)
	ch, stop := f.Subscribe()
	defer stop()
	asset, err := a.Create(context.Background(), archive.CreateParams{Input: "/nonexistent/clip.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	c := next(t, ch, "event")
	if c.Type != "video.asset.created" || c.ObjectID != asset.ID || c.ObjectType != "asset" {
		t.Fatalf("got %+v, want video.asset.created of %s", c, asset.ID)
	}
}

func TestProgressOfPreparingAssets(t *testing.T) {
	f, a, db := newFeed(t)
	ch, stop := f.Subscribe()
	defer stop()
	asset, err := a.Create(context.Background(), archive.CreateParams{Input: "/nonexistent/clip.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), `UPDATE assets SET progress_state = 'transcoding', progress = 42 WHERE id = ?`, asset.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c := next(t, ch, "progress")
		if len(c.Progress) == 1 && c.Progress[0].ID == asset.ID && c.Progress[0].Progress == 42 {
			return
		}
	}
	t.Fatal("the progress of the preparing asset was never sent")
}

func TestUnsubscribedGetsNothing(t *testing.T) {
	f, a, _ := newFeed(t)
	ch, stop := f.Subscribe()
	stop()
	// A subscriber that stays: once it has the event, the feed has sent it
	// to everyone subscribed (publish hands a change to all in one go).
	still, stopStill := f.Subscribe()
	defer stopStill()
	asset, err := a.Create(context.Background(), archive.CreateParams{Input: "/nonexistent/clip.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	if c := next(t, still, "event"); c.ObjectID != asset.ID {
		t.Fatalf("the subscribed channel got %+v, want the event of %s", c, asset.ID)
	}
	select {
	case c := <-ch:
		t.Fatalf("an unsubscribed channel got %+v", c)
	default:
	}
}

// A subscriber that stops reading never holds up whoever reports health
// (each call returns at once), health fills at most half its queue, and
// the events that come after still find room in it.
func TestHealthNeverCrowdsOutEventsForASlowSubscriber(t *testing.T) {
	h := NewHub()
	slow, stop := h.Subscribe()
	defer stop()
	for i := range 10 * subscriberQueue { // ten minutes of one stream's health, never read
		h.LiveHealth("stream-1", wire.LiveHealth{Live: true, FrameRate: 30, BitrateBPS: int64(i)})
	}
	if n := len(slow); n != subscriberQueue/2 {
		t.Fatalf("%d health changes wait for the slow subscriber, want %d (half its queue)", n, subscriberQueue/2)
	}
	for range subscriberQueue / 2 {
		h.AssetChanged("asset-1")
	}
	events := 0
	for len(slow) > 0 {
		c := <-slow
		switch c.Kind {
		case "event":
			events++
		case "health":
			if c.Type != "reelvault.live.health" || c.ObjectType != "live" || c.ObjectID != "stream-1" || c.Health == nil || !c.Health.Live {
				t.Errorf("health change %+v", c)
			}
		}
	}
	if events != subscriberQueue/2 {
		t.Errorf("%d of %d events reached the slow subscriber behind the health", events, subscriberQueue/2)
	}
}
