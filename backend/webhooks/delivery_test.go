package webhooks

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The life of one asset, from creation to master access switched off, as
// the archive writes it.
var assetLifecycle = []string{
	"video.asset.created",
	"video.asset.ready",
	"video.asset.master.preparing",
	"video.asset.master.ready",
	"video.asset.updated",
	"video.asset.master.deleted",
}

func TestEventsOfOneAssetArriveInOrderInMuxEnvelope(t *testing.T) {
	db := openDB(t, "")
	// A receiver that takes a random while to answer: with 4 POSTs in flight
	// per endpoint, only the ordering rule keeps one asset's events in order.
	rc := newReceiver(t, func(int, *http.Request) int {
		time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond) // slow on purpose: answers come back out of order
		return http.StatusOK
	})
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, rc)

	type sent struct {
		id, typ, object string
		data            map[string]any
	}
	var all []sent
	for i, typ := range assetLifecycle {
		for _, asset := range []string{"assetA", "assetB", "assetC"} {
			data := map[string]any{"id": asset, "status": "ready", "created_at": 1764018000 + i, "title": "<Cut & Paste>"}
			ev := appendEvent(t, db, typ, asset, data)
			all = append(all, sent{ev.ID, typ, asset, data})
		}
	}
	posts := rc.waitPosts(len(all), 10*time.Second)
	rc.checkSignatures()

	byID := map[string]sent{}
	for _, ev := range all {
		byID[ev.id] = ev
	}
	order := map[string][]string{}
	isoMicro := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)
	envID := ""
	for _, p := range posts {
		env := p.envelope
		want, ok := byID[env.ID]
		if !ok {
			t.Fatalf("received unknown event %s", env.ID)
		}
		order[env.Object.ID] = append(order[env.Object.ID], env.Type)
		if env.Type != want.typ || env.Object.Type != "asset" || env.Object.ID != want.object {
			t.Errorf("event %s: type %s object %+v, want %s asset %s", env.ID, env.Type, env.Object, want.typ, want.object)
		}
		if !isoMicro.MatchString(env.CreatedAt) {
			t.Errorf("created_at %q is not ISO 8601 UTC with microseconds", env.CreatedAt)
		}
		if env.Environment.Name != "Reelvault" || env.Environment.ID == "" || (envID != "" && env.Environment.ID != envID) {
			t.Errorf("environment = %+v, want a stable id named Reelvault", env.Environment)
		}
		envID = env.Environment.ID
		var data map[string]any
		json.Unmarshal(env.Data, &data)
		if data["title"] != "<Cut & Paste>" || data["created_at"] != float64(want.data["created_at"].(int)) {
			t.Errorf("data = %s, want what the archive wrote", env.Data)
		}
		if len(env.Attempts) != 0 {
			t.Errorf("first attempt lists %d earlier attempts", len(env.Attempts))
		}
		if ct := p.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		// Fields Mux sends as null must be there, as null.
		var raw map[string]json.RawMessage
		json.Unmarshal(p.body, &raw)
		for _, k := range []string{"request_id", "accessor", "accessor_source"} {
			if v, ok := raw[k]; !ok || string(v) != "null" {
				t.Errorf("%s = %s (present %v), want null", k, v, ok)
			}
		}
		if string(raw["attempts"]) != "[]" {
			t.Errorf("attempts = %s, want []", raw["attempts"])
		}
	}
	for _, asset := range []string{"assetA", "assetB", "assetC"} {
		if strings.Join(order[asset], " ") != strings.Join(assetLifecycle, " ") {
			t.Errorf("%s events arrived as %v, want %v", asset, order[asset], assetLifecycle)
		}
	}
	waitUntil(t, 5*time.Second, "every delivery recorded as delivered", func() bool {
		return deliveryStates(t, db)["delivered"] == len(all)
	})
	ds, err := s.Deliveries(context.Background(), ep.ID, Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != len(all) || ds[0].EventID != all[len(all)-1].id {
		t.Fatalf("delivery log has %d entries starting with %s, want %d newest first", len(ds), ds[0].EventID, len(all))
	}
	a := ds[0].Attempts
	if len(a) != 1 || a[0].StatusCode == nil || *a[0].StatusCode != 200 || !strings.HasPrefix(a[0].ResponseBody, "answer 200") ||
		a[0].ResponseHeaders["x-receiver"] != "test" {
		t.Errorf("attempt log = %+v, want one 200 with the answer's body and headers", a)
	}
}

func TestReceiverFailingTwiceGetsThirdAttemptListingTheFirstTwo(t *testing.T) {
	db := openDB(t, "")
	rc := newReceiver(t, func(n int, _ *http.Request) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	s := startService(t, db, fastConfig(t))
	ep := addEndpoint(t, s, rc)
	ev := appendEvent(t, db, "video.asset.ready", "asset1", map[string]any{"id": "asset1"})

	posts := rc.waitPosts(3, 10*time.Second)
	rc.checkSignatures()
	for _, p := range posts {
		if p.envelope.ID != ev.ID {
			t.Fatalf("POST of event %s, want %s", p.envelope.ID, ev.ID)
		}
	}
	third := posts[2].envelope
	if len(third.Attempts) != 2 {
		t.Fatalf("third POST lists %d earlier attempts, want 2", len(third.Attempts))
	}
	for _, a := range third.Attempts {
		if a.ResponseStatusCode == nil || *a.ResponseStatusCode != 500 || a.WebhookID != ep.ID || a.Address != ep.Address ||
			a.MaxAttempts < 2 || a.ResponseBody == nil || !strings.Contains(*a.ResponseBody, "answer 500") || a.ID == "" {
			t.Errorf("earlier attempt = %+v, want Mux's shape for a 500", a)
		}
	}
	// Retries come back after the (shortened) delay, not at once.
	if gap := posts[1].at.Sub(posts[0].at); gap < 40*time.Millisecond {
		t.Errorf("first retry after %s, want the retry delay (~50 ms)", gap)
	}
	d := waitDelivered(t, s, ep.ID, ev.ID)
	if d.AttemptCount != 3 || len(d.Attempts) != 3 {
		t.Fatalf("delivery = %+v, want 3 attempts recorded", d)
	}
	for i, want := range []int{500, 500, 200} {
		if got := d.Attempts[i].StatusCode; got == nil || *got != want {
			t.Errorf("attempt %d status %v, want %d", i+1, got, want)
		}
	}
	if d.Attempts[0].Error == "" || d.Attempts[2].Error != "" {
		t.Errorf("errors = %q / %q, want one on the 500, none on the 200", d.Attempts[0].Error, d.Attempts[2].Error)
	}
}

// waitDelivered waits for the event's delivery to ep to be delivered.
func waitDelivered(t *testing.T, s *Service, endpointID, eventID string) Delivery {
	t.Helper()
	var found Delivery
	waitUntil(t, 10*time.Second, "delivery of "+eventID, func() bool {
		ds, err := s.Deliveries(context.Background(), endpointID, Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.EventID == eventID && d.State == "delivered" {
				found = d
				return true
			}
		}
		return false
	})
	return found
}

func TestHangingReceiverTimesOutAndIsRetried(t *testing.T) {
	db := openDB(t, "")
	var calls atomic.Int32
	rc := newReceiver(t, func(_ int, r *http.Request) int {
		if calls.Add(1) == 1 {
			<-r.Context().Done() // hang until the sender gives up
		}
		return http.StatusOK
	})
	cfg := fastConfig(t)
	cfg.AttemptTimeout = 300 * time.Millisecond
	s := startService(t, db, cfg)
	ep := addEndpoint(t, s, rc)
	ev := appendEvent(t, db, "video.asset.created", "asset1", map[string]any{"id": "asset1"})

	d := waitDelivered(t, s, ep.ID, ev.ID)
	if len(d.Attempts) != 2 {
		t.Fatalf("%d attempts, want 2 (timeout, then 200)", len(d.Attempts))
	}
	first := d.Attempts[0]
	if first.StatusCode != nil || !strings.Contains(first.Error, "no answer within 300ms") {
		t.Errorf("first attempt = %+v, want no status and a timeout error", first)
	}
	if first.DurationMS < 290 || first.DurationMS > 2000 {
		t.Errorf("timed-out attempt took %d ms, want about 300", first.DurationMS)
	}
	if s.timeout != 300*time.Millisecond {
		t.Fatal("the injected timeout was not used")
	}
	if def, _ := New(db, Config{}); def.timeout != 5*time.Second {
		t.Errorf("default attempt timeout = %s, want 5s", def.timeout)
	}
}

func TestRefusedConnectionIsRetriedUntilTheReceiverComesUp(t *testing.T) {
	db := openDB(t, "")
	// Take a free port and close it: connecting is refused until we listen.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	s := startService(t, db, fastConfig(t))
	ep, err := s.Create(context.Background(), "http://"+addr+"/hook")
	if err != nil {
		t.Fatal(err)
	}
	ev := appendEvent(t, db, "video.asset.created", "asset1", map[string]any{"id": "asset1"})
	waitUntil(t, 5*time.Second, "two refused attempts", func() bool {
		ds, _ := s.Deliveries(context.Background(), ep.ID, Page{})
		return len(ds) == 1 && len(ds[0].Attempts) >= 2
	})
	ds, _ := s.Deliveries(context.Background(), ep.ID, Page{})
	if a := ds[0].Attempts[0]; a.StatusCode != nil || !strings.Contains(a.Error, "refused") {
		t.Errorf("attempt = %+v, want a refused connection", a)
	}
	if ds[0].State != "pending" || ds[0].NextAttemptAt == nil {
		t.Errorf("delivery = %s next %v, want pending with a next attempt", ds[0].State, ds[0].NextAttemptAt)
	}

	// The receiver comes up on that port.
	rc := newReceiver(t, nil)
	rc.setSecret(ep.SigningSecret)
	l2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s was taken meanwhile: %v", addr, err)
	}
	go http.Serve(l2, rc.srv.Config.Handler)
	t.Cleanup(func() { l2.Close() })

	d := waitDelivered(t, s, ep.ID, ev.ID)
	rc.checkSignatures()
	if posts := rc.posts(); len(posts) != 1 || len(posts[0].envelope.Attempts) != len(d.Attempts)-1 {
		t.Errorf("receiver got %d POSTs; the last should list the %d refused attempts", len(posts), len(d.Attempts)-1)
	}
}

func TestDisabledEndpointReceivesNothing(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	on, off := newReceiver(t, nil), newReceiver(t, nil)
	s := startService(t, db, fastConfig(t))
	addEndpoint(t, s, on)
	epOff := addEndpoint(t, s, off)
	disabled := false
	if _, err := s.Update(ctx, epOff.ID, EndpointPatch{Enabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		appendEvent(t, db, "video.asset.created", "asset"+string(rune('A'+i)), map[string]any{})
	}
	on.waitPosts(5, 5*time.Second)
	settle(t, s)
	if n := len(off.posts()); n != 0 {
		t.Fatalf("disabled endpoint received %d events", n)
	}
	if ds, _ := s.Deliveries(ctx, epOff.ID, Page{}); len(ds) != 0 {
		t.Fatalf("disabled endpoint has %d deliveries, want none", len(ds))
	}
	if _, err := s.SendTest(ctx, epOff.ID); err != ErrDisabled {
		t.Errorf("test event to a disabled endpoint: %v, want ErrDisabled", err)
	}

	// Enabled again, it gets what happens from then on, not what it missed.
	enabled := true
	if _, err := s.Update(ctx, epOff.ID, EndpointPatch{Enabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	later := appendEvent(t, db, "video.asset.ready", "assetA", map[string]any{})
	off.waitPosts(1, 5*time.Second)
	settle(t, s)
	if posts := off.posts(); len(posts) != 1 || posts[0].envelope.ID != later.ID {
		t.Fatalf("re-enabled endpoint got %d POSTs, want only the later event", len(posts))
	}
}

func TestSlowEndpointDoesNotDelayAFastOne(t *testing.T) {
	db := openDB(t, "")
	release := make(chan struct{})
	slow := newReceiver(t, func(_ int, r *http.Request) int {
		select { // hold every POST until the test ends
		case <-release:
		case <-r.Context().Done():
		}
		return http.StatusOK
	})
	t.Cleanup(func() { close(release) })
	fast := newReceiver(t, nil)
	cfg := fastConfig(t)
	cfg.AttemptTimeout = 30 * time.Second
	s := startService(t, db, cfg)
	addEndpoint(t, s, slow)
	addEndpoint(t, s, fast)

	start := time.Now()
	const n = 40
	for i := range n {
		appendEvent(t, db, "video.asset.created", "asset"+strings.Repeat("x", i), map[string]any{})
	}
	fast.waitPosts(n, 5*time.Second)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("fast endpoint got %d events in %s while the slow one hung", n, took)
	}
	if got := len(slow.posts()); got > s.perEndpoint {
		t.Errorf("slow endpoint has %d POSTs in flight, want at most %d", got, s.perEndpoint)
	}
	fast.checkSignatures()
}

func TestDeliveryFailsAfterTheRetryWindow(t *testing.T) {
	db := openDB(t, "")
	rc := newReceiver(t, func(int, *http.Request) int { return http.StatusServiceUnavailable })
	cfg := fastConfig(t)
	cfg.Retry.Window = 400 * time.Millisecond
	s := startService(t, db, cfg)
	ep := addEndpoint(t, s, rc)
	appendEvent(t, db, "video.asset.errored", "asset1", map[string]any{})
	var d Delivery
	waitUntil(t, 5*time.Second, "the delivery to fail", func() bool {
		ds, _ := s.Deliveries(context.Background(), ep.ID, Page{})
		if len(ds) == 1 && ds[0].State == "failed" {
			d = ds[0]
			return true
		}
		return false
	})
	if d.AttemptCount < 3 || len(d.Attempts) != d.AttemptCount || d.NextAttemptAt != nil {
		t.Errorf("failed delivery = %+v, want several attempts, all recorded, none planned", d)
	}
	if span := d.LastAttemptAt.Sub(*d.FirstAttemptAt); span < 350*time.Millisecond || span > 1500*time.Millisecond {
		t.Errorf("attempts spanned %s, want the 400 ms window", span)
	}
	settle(t, s)
	if n := len(rc.posts()); n != d.AttemptCount {
		t.Errorf("%d POSTs for a delivery that failed after %d attempts: a failed delivery is still being attempted", n, d.AttemptCount)
	}
	if states := deliveryStates(t, db); states["pending"]+states["delivering"] != 0 {
		t.Errorf("delivery states %v after the failure: nothing more should be planned", states)
	}
}
