package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestResendDeliveryAndEvent(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	rc := newReceiver(t, nil)
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, rc)
	ev := appendEvent(t, db, "video.asset.master.ready", "asset1", map[string]any{"id": "asset1"})
	d := waitDelivered(t, s, ep.ID, ev.ID)

	again, err := s.ResendDelivery(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != d.ID {
		t.Fatalf("resend returned delivery %s, want %s", again.ID, d.ID)
	}
	posts := rc.waitPosts(2, 5*time.Second)
	if posts[1].envelope.ID != ev.ID || len(posts[1].envelope.Attempts) != 1 {
		t.Fatalf("resent POST: event %s with %d earlier attempts, want %s with 1", posts[1].envelope.ID, len(posts[1].envelope.Attempts), ev.ID)
	}
	waitUntil(t, 5*time.Second, "two attempts recorded", func() bool {
		got, _ := s.Delivery(ctx, d.ID)
		return got.State == "delivered" && got.AttemptCount == 2
	})

	// An endpoint added after the event gets it when the event is resent.
	late := newReceiver(t, nil)
	lateEP := addEndpoint(t, s, late)
	ds, err := s.ResendEvent(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("resend event made %d deliveries, want 2 (old and new endpoint)", len(ds))
	}
	late.waitPosts(1, 5*time.Second)
	rc.waitPosts(3, 5*time.Second)
	late.checkSignatures()
	rc.checkSignatures()
	waitDelivered(t, s, lateEP.ID, ev.ID)

	if _, err := s.ResendDelivery(ctx, "nope"); !errors.Is(err, ErrDeliveryNotFound) {
		t.Errorf("resend unknown delivery: %v", err)
	}
	if _, err := s.ResendEvent(ctx, "nope"); !errors.Is(err, ErrEventNotFound) {
		t.Errorf("resend unknown event: %v", err)
	}
}

func TestTestEventGoesToOneEndpointOnly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	target, other := newReceiver(t, nil), newReceiver(t, nil)
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, target)
	addEndpoint(t, s, other)

	d, err := s.SendTest(ctx, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.EventType != TestEventType || d.WebhookID != ep.ID {
		t.Fatalf("test delivery = %+v", d)
	}
	posts := target.waitPosts(1, 5*time.Second)
	target.checkSignatures()
	env := posts[0].envelope
	var data map[string]string
	json.Unmarshal(env.Data, &data)
	if env.Type != "webhook.test" || env.Object.Type != "webhook" || env.Object.ID != ep.ID || data["webhook_id"] != ep.ID || data["message"] == "" {
		t.Errorf("test event = %+v data %v", env, data)
	}
	// A real event after it proves the fan-out ran past the test event.
	real := appendEvent(t, db, "video.asset.created", "asset1", map[string]any{})
	other.waitPosts(1, 5*time.Second)
	settle(t, s)
	if otherPosts := other.posts(); len(otherPosts) != 1 || otherPosts[0].envelope.ID != real.ID {
		t.Fatalf("the other endpoint got %d POSTs, want only the real event", len(otherPosts))
	}
	waitDelivered(t, s, ep.ID, d.EventID)

	if _, err := s.SendTest(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("test event to an unknown endpoint: %v", err)
	}
}

func TestEventLogListsDeliveriesPerObject(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	a, b := newReceiver(t, nil), newReceiver(t, nil)
	s := startService(t, db, fastConfig(t))
	addEndpoint(t, s, a)
	addEndpoint(t, s, b)
	appendEvent(t, db, "video.asset.created", "asset1", map[string]any{})
	appendEvent(t, db, "video.asset.created", "asset2", map[string]any{})
	last := appendEvent(t, db, "video.asset.ready", "asset1", map[string]any{"status": "ready"})
	a.waitPosts(3, 5*time.Second)
	b.waitPosts(3, 5*time.Second)
	waitUntil(t, 5*time.Second, "all delivered", func() bool { return deliveryStates(t, db)["delivered"] == 6 })

	evs, err := s.Events(ctx, "asset1", Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].ID != last.ID || evs[0].Type != "video.asset.ready" {
		t.Fatalf("events of asset1 = %+v, want 2, newest first", evs)
	}
	for _, ev := range evs {
		if len(ev.Deliveries) != 2 {
			t.Errorf("event %s has %d deliveries, want one per endpoint", ev.ID, len(ev.Deliveries))
		}
		for _, d := range ev.Deliveries {
			if d.State != "delivered" || len(d.Attempts) != 1 {
				t.Errorf("delivery %+v, want delivered with its attempt", d)
			}
		}
	}
	all, _ := s.Events(ctx, "", Page{Limit: 2})
	if len(all) != 2 {
		t.Errorf("limit 2 gave %d events", len(all))
	}
}

func TestDeletingAnEndpointWithDeliveriesInFlight(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	hold := make(chan struct{})
	rc := newReceiver(t, func(int, *http.Request) int { <-hold; return http.StatusOK })
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, rc)
	appendEvent(t, db, "video.asset.created", "asset1", map[string]any{})
	rc.waitPosts(1, 5*time.Second)
	if err := s.Delete(ctx, ep.ID); err != nil {
		t.Fatal(err)
	}
	close(hold)
	settle(t, s) // the POST that was in flight is answered and recorded
	var n int
	db.QueryRowContext(context.Background(), `SELECT count(*) FROM webhook_deliveries`).Scan(&n)
	if n != 0 {
		t.Errorf("%d deliveries left after deleting their endpoint", n)
	}
	// The service still works for other endpoints.
	rc2 := newReceiver(t, nil)
	addEndpoint(t, s, rc2)
	appendEvent(t, db, "video.asset.ready", "asset1", map[string]any{})
	rc2.waitPosts(1, 5*time.Second)
}

// A resend asked for while the delivery's attempt is in flight must not be
// swallowed by that attempt's outcome: the event goes out once more.
func TestResendDuringAttemptIsNotLost(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	release := make(chan struct{})
	rc := newReceiver(t, func(n int, r *http.Request) int {
		if n == 1 {
			<-release // hold the first attempt in flight
		}
		return http.StatusOK
	})
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, rc)
	ev := appendEvent(t, db, "video.asset.ready", "asset1", map[string]any{"id": "asset1"})
	rc.waitPosts(1, 5*time.Second)

	var d Delivery
	waitUntil(t, 5*time.Second, "the delivery in flight", func() bool {
		ds, _ := s.Deliveries(ctx, ep.ID, Page{})
		if len(ds) == 1 && ds[0].State == "delivering" {
			d = ds[0]
			return true
		}
		return false
	})
	if _, err := s.ResendDelivery(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	close(release)
	posts := rc.waitPosts(2, 5*time.Second)
	if posts[1].envelope.ID != ev.ID {
		t.Fatalf("second POST is event %s, want the resent %s", posts[1].envelope.ID, ev.ID)
	}
	waitUntil(t, 5*time.Second, "both attempts recorded", func() bool {
		got, _ := s.Delivery(ctx, d.ID)
		return got.State == "delivered" && got.AttemptCount == 2
	})
}
