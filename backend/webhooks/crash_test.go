package webhooks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/store"
)

const crashChildEnv = "REELVAULT_WEBHOOKS_CRASH_CHILD_DB"

// TestMain lets the test binary play the serving process that the crash
// test kills: with crashChildEnv set it only runs the webhook service.
func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		runCrashChild(path)
		return
	}
	os.Exit(m.Run())
}

func runCrashChild(path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	s, err := New(db, Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AttemptTimeout: time.Minute, PollInterval: 100 * time.Millisecond})
	if err == nil {
		err = s.Recover(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	s.Run(ctx) // until SIGKILL
}

func TestSIGKILLWithDeliveriesPendingAndInFlightThenRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reelvault.db")
	db := openDB(t, path)
	var hang atomic.Bool
	hang.Store(true)
	rc := newReceiver(t, func(_ int, r *http.Request) int {
		if hang.Load() {
			<-r.Context().Done() // in flight until the sender dies
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	setup, err := New(db, fastConfig(t)) // endpoints only, not running
	if err != nil {
		t.Fatal(err)
	}
	addEndpoint(t, setup, rc)
	var want []string
	for i := range 10 {
		want = append(want, appendEvent(t, db, "video.asset.created", fmt.Sprintf("asset%d", i), map[string]any{}).ID)
	}

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), crashChildEnv+"="+path)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })

	rc.waitPosts(4, 10*time.Second) // the endpoint's 4 slots are taken and hang
	// Events committed by another process reach the child through its poll.
	for i := range 3 {
		want = append(want, appendEvent(t, db, "video.asset.ready", fmt.Sprintf("asset%d", i), map[string]any{}).ID)
	}
	waitUntil(t, 5*time.Second, "the child to fan out the late events", func() bool {
		var n int
		db.QueryRowContext(context.Background(), `SELECT count(*) FROM webhook_deliveries`).Scan(&n)
		return n == len(want)
	})
	states := deliveryStates(t, db)
	if states["delivering"] != 4 || states["pending"] != len(want)-4 {
		t.Fatalf("before the kill: %v, want 4 in flight and the rest pending", states)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	inFlight := len(rc.posts())

	// Restart: a fresh database handle and service on the same file.
	hang.Store(false)
	db2 := openDB(t, path)
	startService(t, db2, fastConfig(t))
	waitUntil(t, 10*time.Second, "every delivery delivered after the restart", func() bool {
		return deliveryStates(t, db2)["delivered"] == len(want)
	})
	rc.checkSignatures()
	seen := map[string]int{}
	for _, p := range rc.posts() {
		seen[p.envelope.ID]++
	}
	dups := 0
	for _, id := range want {
		if seen[id] == 0 {
			t.Errorf("event %s was never delivered", id)
		}
		dups += seen[id] - 1
	}
	if dups != inFlight {
		t.Errorf("%d events sent twice, want exactly the %d that were in flight at the kill", dups, inFlight)
	}
}
