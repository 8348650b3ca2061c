// Package store opens the archive's SQLite database, applies the embedded
// migrations and runs transactions. Each domain package owns the SQL of its
// own tables; store owns the connection, the schema history and the event
// outbox that every state change writes into.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"

	_ "github.com/mattn/go-sqlite3"
)

// DB is the archive's database handle. It holds two pools over one file:
// writes go only through Tx and ExecContext, which queue on writeMu; reads go
// through QueryContext and QueryRowContext on a pool whose connections are
// query_only, so a write slipped into a "read" fails instead of jumping the
// queue.
type DB struct {
	write *sql.DB
	read  *sql.DB
	log   *slog.Logger

	mu        sync.Mutex
	listeners []listener
	nextID    int

	// writeMu queues this process's writers in Go: colliding on SQLite's
	// write lock instead would park them in its busy handler, which sleeps
	// in steps of milliseconds.
	writeMu sync.Mutex
}

// Open opens (creating if needed) the database file at path and migrates it.
//
// WAL lets readers (the API, link serving) run while one writer commits;
// BEGIN IMMEDIATE (_txlock) takes the write lock up front so two writers never
// deadlock upgrading a read lock; synchronous=NORMAL is the usual WAL setting:
// a killed process loses nothing committed, a power cut at most the last
// commits, and the file stays consistent either way.
func Open(ctx context.Context, path string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	file := "file:" + (&url.URL{Path: path}).EscapedPath() + "?"
	w := url.Values{}
	w.Set("_journal_mode", "WAL")
	w.Set("_synchronous", "NORMAL")
	w.Set("_busy_timeout", "10000")
	w.Set("_foreign_keys", "on")
	w.Set("_txlock", "immediate")
	writePool, err := sql.Open("sqlite3", file+w.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Writers take turns on writeMu, so one connection serves them all; the
	// others let a Stmt be prepared while a transaction holds the first, and
	// a Backup read the database meanwhile.
	writePool.SetMaxOpenConns(3)
	db := &DB{write: writePool, log: log.With("component", "store")}
	if err := writePool.PingContext(ctx); err != nil {
		writePool.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		writePool.Close()
		return nil, err
	}
	// The read pool opens after the migrations, on a file already in WAL mode.
	r := url.Values{}
	r.Set("_busy_timeout", "10000")
	r.Set("_foreign_keys", "on")
	r.Set("_query_only", "true")
	readPool, err := sql.Open("sqlite3", file+r.Encode())
	if err != nil {
		writePool.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	readPool.SetMaxOpenConns(8)
	if err := readPool.PingContext(ctx); err != nil {
		readPool.Close()
		writePool.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.read = readPool
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// QueryContext runs a read-only query.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a read-only query that returns at most one row.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, query, args...)
}

// ExecContext runs one write statement in its own turn on the write lock:
// the single-statement form of Tx. Do not call it from inside a Tx's fn
// (use the tx): the lock is not reentrant.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	return db.write.ExecContext(ctx, query, args...)
}

// OnEvents registers fn to be called (without blocking the committer for
// long: fn must only signal) after every commit that appended events. The
// returned func removes it; calling that more than once is harmless.
func (db *DB) OnEvents(fn func()) (remove func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	id := db.nextID
	db.nextID++
	db.listeners = append(db.listeners, listener{id, fn})
	return func() {
		db.mu.Lock()
		defer db.mu.Unlock()
		db.listeners = slices.DeleteFunc(db.listeners, func(l listener) bool { return l.id == id })
	}
}

type listener struct {
	id int
	fn func()
}

func (db *DB) notifyEvents() {
	db.mu.Lock()
	ls := slices.Clone(db.listeners)
	db.mu.Unlock()
	for _, l := range ls {
		l.fn()
	}
}

// Tx is one write transaction. Events appended through it are committed
// atomically with the state change that caused them (transactional outbox).
type Tx struct {
	*sql.Tx
	events int
	after  []func()
}

// AfterCommit runs fn once the transaction has committed (never on rollback):
// for waking workers and removing files only once the database agrees.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// Tx runs fn in a transaction, committing if it returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.tx(ctx, false, fn)
}

// DurableTx is Tx whose commit is on disk before it returns, even through a
// power cut: for the commits that record a finished master or upload, which
// the app reports to the user (and a webhook) as done. Other commits keep
// synchronous=NORMAL, which a power cut may roll back to the last checkpoint.
func (db *DB) DurableTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.tx(ctx, true, fn)
}

func (db *DB) tx(ctx context.Context, durable bool, fn func(tx *Tx) error) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer conn.Close()
	if durable {
		// A connection's own setting, outside a transaction: the commit below
		// then syncs the WAL before it returns.
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
			return fmt.Errorf("begin transaction: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = NORMAL`)
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{Tx: sqlTx}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback() // fn failed or panicked: nothing of it stays
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	if tx.events > 0 {
		db.notifyEvents()
	}
	for _, fn := range tx.after {
		fn()
	}
	return nil
}

// Snapshot runs fn's reads in one read transaction: they all see the database as
// one commit left it. A row and the rows beside it in other tables (an asset and
// its rebuild) read one after the other could otherwise straddle a commit that
// changed both, and describe a state that never was.
func (db *DB) Snapshot(ctx context.Context, fn func(q Queryer) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() // a read transaction has nothing to commit
	return fn(tx)
}
