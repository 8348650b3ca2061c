package webhooks

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// Pruning drops delivered events' records and their attempts once they are
// older than the retention; a failed delivery is kept, whatever its age.
func TestPruneKeepsFailedDeliveries(t *testing.T) {
	db := openDB(t, "")
	cfg := fastConfig(t)
	cfg.Retry.Window = 300 * time.Millisecond // give up quickly on the failing endpoint
	s := startService(t, db, cfg)
	good := newReceiver(t, func(int, *http.Request) int { return http.StatusOK })
	bad := newReceiver(t, func(int, *http.Request) int { return http.StatusInternalServerError })
	addEndpoint(t, s, good)
	addEndpoint(t, s, bad)
	appendEvent(t, db, "video.asset.ready", "asset-1", map[string]string{"id": "asset-1"})
	waitUntil(t, 10*time.Second, "one delivered and one failed", func() bool {
		st := deliveryStates(t, db)
		return st["delivered"] == 1 && st["failed"] == 1
	})
	settle(t, s)

	if n, err := s.Prune(context.Background(), time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("pruning what is older than an hour ago removed %d (%v), want nothing", n, err)
	}
	n, err := s.Prune(context.Background(), time.Now().Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("Prune removed %d deliveries (%v), want the delivered one", n, err)
	}
	if st := deliveryStates(t, db); st["delivered"] != 0 || st["failed"] != 1 {
		t.Errorf("after pruning: %v, want only the failed delivery", st)
	}
	var attempts, orphans int
	db.QueryRowContext(context.Background(), `SELECT count(*) FROM webhook_attempts`).Scan(&attempts)
	db.QueryRowContext(context.Background(), `SELECT count(*) FROM webhook_attempts WHERE delivery_seq NOT IN (SELECT seq FROM webhook_deliveries)`).Scan(&orphans)
	if attempts == 0 || orphans != 0 {
		t.Errorf("%d attempts kept, %d of them of pruned deliveries; want the failed delivery's only", attempts, orphans)
	}
}
