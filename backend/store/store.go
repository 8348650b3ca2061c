// Package store opens the archive's SQLite database, applies the embedded
// migrations and runs transactions. Each domain package owns the SQL of its
// own tables; store owns the connection, the schema history and the event
// outbox that every state change writes into.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	_ "github.com/mattn/go-sqlite3"
)

// DB is the archive's database handle.
type DB struct {
	*sql.DB
	log *slog.Logger

	mu        sync.Mutex
	listeners []func()

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
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sqlDB, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(8)
	db := &DB{DB: sqlDB, log: log.With("component", "store")}
	if err := db.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// OnEvents registers fn to be called (without blocking the committer for
// long: fn must only signal) after every commit that appended events.
func (db *DB) OnEvents(fn func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.listeners = append(db.listeners, fn)
}

func (db *DB) notifyEvents() {
	db.mu.Lock()
	ls := append([]func(){}, db.listeners...)
	db.mu.Unlock()
	for _, fn := range ls {
		fn()
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
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	sqlTx, err := db.BeginTx(ctx, nil)
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
