package webhooks

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
	"reelvault/backend/store"
)

// verifyMuxSignature is the receiver's side, written the way @mux/mux-node's
// webhooks.verifySignature does it (and independently of Sign): split the
// header on ",", then each part on "=", keep t and every v1, recompute the
// HMAC of "t.body", compare in constant time, refuse timestamps older than
// 300 s.
func verifyMuxSignature(header string, body []byte, secret string, now time.Time) error {
	if header == "" {
		return errors.New("Could not find a mux-signature header")
	}
	timestamp := int64(-1)
	var v1s []string
	for _, item := range strings.Split(header, ",") {
		kv := strings.Split(item, "=")
		if len(kv) != 2 {
			continue
		}
		switch kv[0] {
		case "t":
			n, err := strconv.ParseInt(kv[1], 10, 64)
			if err == nil {
				timestamp = n
			}
		case "v1":
			v1s = append(v1s, kv[1])
		}
	}
	if timestamp < 0 {
		return errors.New("Unable to extract timestamp and signatures from header")
	}
	if len(v1s) == 0 {
		return errors.New("No v1 signatures found")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.%s", timestamp, body)
	expected := hex.EncodeToString(mac.Sum(nil))
	match := false
	for _, sig := range v1s {
		if hmac.Equal([]byte(sig), []byte(expected)) {
			match = true
		}
	}
	if !match {
		return errors.New("No signatures found matching the expected signature for payload.")
	}
	if now.Unix()-timestamp > 300 {
		return errors.New("Webhook timestamp is too old")
	}
	return nil
}

// received is one POST as a receiver saw it.
type received struct {
	at        time.Time
	body      []byte
	header    http.Header
	envelope  testEnvelope
	signature error
}

// testEnvelope is the receiver's own reading of Mux's envelope.
type testEnvelope struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Object struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"object"`
	Environment struct {
		Name string `json:"name"`
		ID   string `json:"id"`
	} `json:"environment"`
	CreatedAt string          `json:"created_at"`
	Data      json.RawMessage `json:"data"`
	Attempts  []struct {
		ID                 string            `json:"id"`
		WebhookID          string            `json:"webhook_id"`
		Address            string            `json:"address"`
		CreatedAt          string            `json:"created_at"`
		MaxAttempts        int               `json:"max_attempts"`
		ResponseStatusCode *int              `json:"response_status_code"`
		ResponseHeaders    map[string]string `json:"response_headers"`
		ResponseBody       *string           `json:"response_body"`
	} `json:"attempts"`
}

// receiver is a real HTTP endpoint that checks every signature with its own
// code and answers what respond says (200 when nil).
type receiver struct {
	t       testing.TB
	srv     *httptest.Server
	secret  string
	respond func(n int, r *http.Request) int

	mu  sync.Mutex
	got []received
}

func newReceiver(t testing.TB, respond func(n int, r *http.Request) int) *receiver {
	rc := &receiver{t: t, respond: respond}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	got := received{at: time.Now(), body: body, header: r.Header.Clone()}
	rc.mu.Lock()
	secret := rc.secret
	rc.mu.Unlock()
	got.signature = verifyMuxSignature(r.Header.Get("Mux-Signature"), body, secret, time.Now())
	if err := json.Unmarshal(body, &got.envelope); err != nil {
		got.signature = fmt.Errorf("body is not JSON: %v", err)
	}
	rc.mu.Lock()
	rc.got = append(rc.got, got)
	n := len(rc.got)
	rc.mu.Unlock()
	status := http.StatusOK
	if rc.respond != nil {
		status = rc.respond(n, r)
	}
	w.Header().Set("X-Receiver", "test")
	w.WriteHeader(status)
	fmt.Fprintf(w, "answer %d to POST %d", status, n)
}

func (rc *receiver) url() string { return rc.srv.URL + "/hooks/mux" }

func (rc *receiver) setSecret(s string) {
	rc.mu.Lock()
	rc.secret = s
	rc.mu.Unlock()
}

func (rc *receiver) posts() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// waitPosts waits until the receiver got at least n POSTs.
func (rc *receiver) waitPosts(n int, within time.Duration) []received {
	rc.t.Helper()
	waitUntil(rc.t, within, fmt.Sprintf("%d POSTs to %s", n, rc.srv.URL), func() bool { return len(rc.posts()) >= n })
	return rc.posts()
}

// checkSignatures fails the test for any POST whose signature did not verify.
func (rc *receiver) checkSignatures() {
	rc.t.Helper()
	for i, p := range rc.posts() {
		if p.signature != nil {
			rc.t.Errorf("POST %d: signature check failed: %v", i+1, p.signature)
		}
	}
}

func waitUntil(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	testtime.Until(t, within, what, cond)
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func openDB(t testing.TB, path string) *store.DB {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "reelvault.db")
	}
	db, err := store.Open(context.Background(), path, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fastConfig keeps the real mechanics with a schedule short enough for tests.
func fastConfig(t testing.TB) Config {
	return Config{
		Log:            testLogger(t),
		AttemptTimeout: 2 * time.Second,
		Retry:          RetryPolicy{First: 50 * time.Millisecond, Factor: 2, Max: 200 * time.Millisecond, Window: time.Minute, Jitter: 0.1},
		PollInterval:   200 * time.Millisecond,
	}
}

// startService makes a service and runs it until the test ends.
func startService(t testing.TB, db *store.DB, cfg Config) *Service {
	t.Helper()
	s, err := New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := &loopWatch{}
	s.settled = w.report
	loopWatches.Store(s, w)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return s
}

// loopWatch counts the delivery loop's reports that it has settled.
type loopWatch struct {
	mu      sync.Mutex
	reports int
	cursor  int64
}

// loopWatches holds the loopWatch of every service startService started.
var loopWatches sync.Map // *Service -> *loopWatch

func (w *loopWatch) report(cursor int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reports++
	w.cursor = cursor
}

func (w *loopWatch) read() (int, int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reports, w.cursor
}

// settle waits until the delivery loop has caught up with everything that
// happened before the call: every event fanned out, every POST answered and
// recorded, nothing due. What a test checks after it is final until
// something new happens or a retry falls due.
func settle(t testing.TB, s *Service) {
	t.Helper()
	v, ok := loopWatches.Load(s)
	if !ok {
		t.Fatal("settle needs a service started by startService")
	}
	w := v.(*loopWatch)
	var last int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT coalesce(max(seq), 0) FROM events`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	// The loop is one goroutine: of two reports after this point, the
	// second comes from a turn that began after it.
	before, _ := w.read()
	waitUntil(t, 10*time.Second, "the delivery loop to settle", func() bool {
		n, cursor := w.read()
		if n >= before+2 && cursor >= last {
			return true
		}
		s.wake()
		return false
	})
}

// addEndpoint registers rc with s and tells rc its secret.
func addEndpoint(t testing.TB, s *Service, rc *receiver) Endpoint {
	t.Helper()
	ep, err := s.Create(context.Background(), rc.url())
	if err != nil {
		t.Fatal(err)
	}
	rc.setSecret(ep.SigningSecret)
	return ep
}

// appendEvent commits one event the way the archive does: in its own
// transaction, data already in webhook form.
func appendEvent(t testing.TB, db *store.DB, typ, objectID string, data any) store.Event {
	t.Helper()
	var ev store.Event
	err := db.Tx(context.Background(), func(tx *store.Tx) error {
		var err error
		ev, err = tx.AppendEvent(context.Background(), time.Now(), typ, "asset", objectID, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func deliveryStates(t testing.TB, db *store.DB) map[string]int {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT state, count(*) FROM webhook_deliveries GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		out[state] = n
	}
	return out
}
