package store

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openTest(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, quiet())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsAppliedOnce(t *testing.T) {
	// A space, "?", "#" and "%20" in the path: the file name must survive the DSN.
	dir := filepath.Join(t.TempDir(), "my data?#%20")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "reelvault.db")
	first := openTest(t, path)
	if err := first.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}

	db := openTest(t, path) // would fail on "table settings already exists" if re-applied
	files, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	var n, distinct int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*), count(DISTINCT name) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != len(files) || distinct != len(files) {
		t.Errorf("schema_migrations has %d rows (%d distinct) for %d migrations", n, distinct, len(files))
	}
	if v, ok, err := db.Setting(context.Background(), "k"); v != "v" || !ok || err != nil {
		t.Errorf("data lost across reopen: %q %v %v", v, ok, err)
	}
	var mode string
	if err := db.QueryRowContext(context.Background(), `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	var fk int
	if err := db.QueryRowContext(context.Background(), `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d (%v), want on", fk, err)
	}
}

func TestOutboxRollsBackWithTheChange(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	var notified, afterCommit atomic.Int32
	db.OnEvents(func() { notified.Add(1) })

	boom := errors.New("change failed")
	err := db.Tx(ctx, func(tx *Tx) error {
		tx.AfterCommit(func() { afterCommit.Add(1) })
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings VALUES ('changed', 'yes')`); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, time.Now(), "video.asset.created", "asset", "a1", map[string]string{"id": "a1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v, want the fn's error", err)
	}
	evs, err := db.EventsAfter(ctx, 0, 100)
	if err != nil || len(evs) != 0 {
		t.Errorf("events after rollback: %v %v, want none", evs, err)
	}
	if _, ok, _ := db.Setting(ctx, "changed"); ok {
		t.Errorf("the change itself survived the rollback")
	}
	if notified.Load() != 0 || afterCommit.Load() != 0 {
		t.Errorf("rollback notified %d listeners and ran %d after-commit funcs", notified.Load(), afterCommit.Load())
	}
}

func TestOnEventsFiresAfterCommit(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	var calls atomic.Int32
	var visible atomic.Int32
	db.OnEvents(func() {
		calls.Add(1)
		// A listener wakes a reader on another connection: the events must be there.
		evs, err := db.EventsAfter(context.Background(), 0, 100)
		if err == nil {
			visible.Store(int32(len(evs)))
		}
	})
	var order []string
	var first Event
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		first, err = tx.AppendEvent(ctx, time.UnixMicro(1700000000123456), "video.asset.created", "asset", "a1", map[string]any{"id": "a1", "n": 1})
		if err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, time.Now(), "video.asset.ready", "asset", "a1", map[string]any{"id": "a1"}); err != nil {
			return err
		}
		tx.AfterCommit(func() { order = append(order, "after-commit") })
		if calls.Load() != 0 {
			t.Errorf("listener called before commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 || visible.Load() != 2 {
		t.Errorf("listener called %d times, saw %d events; want once, seeing both", calls.Load(), visible.Load())
	}
	if len(order) != 1 {
		t.Errorf("after-commit funcs ran %d times", len(order))
	}
	// A transaction without events does not wake anyone.
	if err := db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings VALUES ('a', 'b')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("listener called for a transaction without events")
	}

	evs, err := db.EventsAfter(ctx, 0, 100)
	if err != nil || len(evs) != 2 {
		t.Fatalf("EventsAfter = %d, %v", len(evs), err)
	}
	if evs[0].Seq != first.Seq || evs[0].ID != first.ID || evs[1].Seq <= evs[0].Seq || evs[1].Type != "video.asset.ready" {
		t.Errorf("events %+v: want both, in order, with their seq", evs)
	}
	if !evs[0].CreatedAt.Equal(time.UnixMicro(1700000000123456)) || string(evs[0].Data) != `{"id":"a1","n":1}` {
		t.Errorf("event read back as %v %s", evs[0].CreatedAt, evs[0].Data)
	}
	if later, _ := db.EventsAfter(ctx, evs[0].Seq, 100); len(later) != 1 || later[0].ID != evs[1].ID {
		t.Errorf("EventsAfter(first seq) = %+v, want the second only", later)
	}
	got, err := db.EventByID(ctx, first.ID)
	if err != nil || got.Type != "video.asset.created" || got.ObjectID != "a1" || got.ObjectType != "asset" {
		t.Errorf("EventByID = %+v, %v", got, err)
	}
	if _, err := db.EventByID(ctx, "nope"); err == nil {
		t.Errorf("EventByID of an unknown id: no error")
	}
}

func TestSettingsRoundtrip(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	if v, ok, err := db.Setting(ctx, "token"); v != "" || ok || err != nil {
		t.Errorf("unset: %q %v %v", v, ok, err)
	}
	for _, want := range []string{"first", "", "second value with ünïcode"} {
		if err := db.SetSetting(ctx, "token", want); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := db.Setting(ctx, "token"); v != want || !ok || err != nil {
			t.Errorf("after set %q: %q %v %v", want, v, ok, err)
		}
	}
}

// Two writers at once wait for each other instead of failing with "database is locked".
func TestConcurrentWritersDoNotFail(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func() {
			var err error
			for i := 0; i < 25 && err == nil; i++ {
				err = db.Tx(ctx, func(tx *Tx) error {
					var n int
					if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
						return err
					}
					_, err := tx.AppendEvent(ctx, time.Now(), "t", "o", "x", n)
					return err
				})
			}
			errs <- err
		}()
	}
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			t.Errorf("writer: %v", err)
		}
	}
	// Each transaction read the count and wrote count as data: with serialized
	// writers every data value is distinct.
	var n, distinct int
	db.QueryRowContext(context.Background(), `SELECT count(*), count(DISTINCT data) FROM events`).Scan(&n, &distinct)
	if n != 200 || distinct != 200 {
		t.Errorf("%d events, %d distinct counts: writers overlapped", n, distinct)
	}
}

func TestTxRollsBackWhenFnPanics(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := context.Background()
	func() {
		defer func() { recover() }()
		db.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v')`); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	if _, ok, _ := db.Setting(ctx, "k"); ok {
		t.Fatal("the write of a panicking transaction was kept")
	}
	// The write lock must have been released: another transaction works.
	if err := db.Tx(ctx, func(tx *Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestOnEventsRemoveStopsCalls(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	var kept, removed atomic.Int32
	db.OnEvents(func() { kept.Add(1) })
	remove := db.OnEvents(func() { removed.Add(1) })
	appendOne := func() {
		t.Helper()
		if err := db.Tx(ctx, func(tx *Tx) error {
			_, err := tx.AppendEvent(ctx, time.Now(), "t", "o", "x", nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	appendOne()
	remove()
	remove() // a second call is harmless
	appendOne()
	if kept.Load() != 2 || removed.Load() != 1 {
		t.Errorf("kept listener called %d times (want 2), removed one %d (want 1)", kept.Load(), removed.Load())
	}
}

// A write slipped into a read method fails instead of bypassing the write lock.
func TestReadMethodsCannotWrite(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	var key string
	err := db.QueryRowContext(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v') RETURNING key`).Scan(&key)
	if err == nil {
		t.Fatal("an INSERT through QueryRowContext succeeded")
	}
	rows, err := db.QueryContext(ctx, `DELETE FROM settings RETURNING key`)
	if err == nil {
		rows.Next()
		err = rows.Err()
		rows.Close()
	}
	if err == nil {
		t.Fatal("a DELETE through QueryContext succeeded")
	}
	if st := db.Prepare(`INSERT INTO settings (key, value) VALUES ('k', 'v') RETURNING key`); st.QueryRowContext(ctx).Scan(&key) == nil {
		t.Fatal("an INSERT through a Stmt outside a Tx succeeded")
	}
	if _, ok, _ := db.Setting(ctx, "k"); ok {
		t.Fatal("the write went through")
	}
	// The write helper does write.
	if _, err := db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v')`); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := db.Setting(ctx, "k"); v != "v" {
		t.Fatalf("ExecContext did not write: %q", v)
	}
}

// A DurableTx commits with synchronous=FULL (the WAL is synced before it
// returns); every other transaction keeps NORMAL, also after one.
func TestDurableTxSyncsOnlyItsOwnCommit(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "d.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	level := func(run func(context.Context, func(*Tx) error) error) int {
		var n int
		if err := run(context.Background(), func(tx *Tx) error {
			return tx.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const normal, full = 1, 2
	if got := level(db.Tx); got != normal {
		t.Errorf("Tx runs with synchronous=%d, want NORMAL", got)
	}
	if got := level(db.DurableTx); got != full {
		t.Errorf("DurableTx runs with synchronous=%d, want FULL", got)
	}
	for i := 0; i < 4; i++ { // whichever pooled connection comes next
		if got := level(db.Tx); got != normal {
			t.Fatalf("a Tx after a DurableTx runs with synchronous=%d, want NORMAL", got)
		}
	}
}

// BenchmarkCommit measures what a durable commit costs against a normal one
// on this machine's disk (go test -bench Commit ./backend/store).
func BenchmarkCommit(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.ExecContext(context.Background(), `CREATE TABLE t (v INTEGER)`)
	for _, c := range []struct {
		name string
		run  func(context.Context, func(*Tx) error) error
	}{{"normal", db.Tx}, {"durable", db.DurableTx}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := c.run(context.Background(), func(tx *Tx) error {
					_, err := tx.ExecContext(context.Background(), `INSERT INTO t VALUES (?)`, i)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Reads in one Snapshot see one commit: a transaction that changes two rows while the
// snapshot reads them is seen whole or not at all, never half.
func TestSnapshotReadsOneCommit(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "db"))
	ctx := context.Background()
	for _, k := range []string{"a", "b"} {
		if err := db.SetSetting(ctx, k, "old"); err != nil {
			t.Fatal(err)
		}
	}
	read := func(q Queryer, key string) string {
		var v string
		if err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	var a, b string
	err := db.Snapshot(ctx, func(q Queryer) error {
		a = read(q, "a")
		// Both rows change between the snapshot's two reads.
		if err := db.Tx(ctx, func(tx *Tx) error {
			for _, k := range []string{"a", "b"} {
				if _, err := tx.ExecContext(ctx, `UPDATE settings SET value = 'new' WHERE key = ?`, k); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		b = read(q, "b")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a != "old" || b != "old" {
		t.Fatalf("the snapshot read a=%q b=%q, want both from before the change", a, b)
	}
	if v, _, _ := db.Setting(ctx, "b"); v != "new" {
		t.Fatalf("after the snapshot b = %q, want the change", v)
	}
	// A snapshot cannot write.
	if err := db.Snapshot(ctx, func(q Queryer) error {
		_, err := q.ExecContext(ctx, `UPDATE settings SET value = 'x'`)
		return err
	}); err == nil {
		t.Fatal("a write inside a Snapshot succeeded")
	}
}
