package store

import (
	"context"
	"database/sql"
	"sync"
)

// Stmt is a statement prepared on first use, for loops that run the same
// query thousands of times a second (preparing costs as much as running a
// small query). Outside a transaction it reads on the read pool; writes run
// it inside a Tx through Tx.Prepared, so they too take the write lock.
type Stmt struct {
	db    *DB
	query string

	mu    sync.Mutex
	read  *sql.Stmt
	write *sql.Stmt
}

// Prepare returns query as a Stmt; nothing is prepared until it is used.
func (db *DB) Prepare(query string) *Stmt { return &Stmt{db: db, query: query} }

func (s *Stmt) on(ctx context.Context, pool *sql.DB, slot **sql.Stmt) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *slot == nil {
		st, err := pool.PrepareContext(ctx, s.query)
		if err != nil {
			return nil, err
		}
		*slot = st
	}
	return *slot, nil
}

// QueryContext runs the statement read-only.
func (s *Stmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	st, err := s.on(ctx, s.db.read, &s.read)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs the statement read-only for at most one row. A
// failure to prepare surfaces from Scan.
func (s *Stmt) QueryRowContext(ctx context.Context, args ...any) RowScanner {
	st, err := s.on(ctx, s.db.read, &s.read)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// RowScanner is a single-row result: *sql.Row, or an error standing in for one.
type RowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// Close releases whatever was prepared.
func (s *Stmt) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for _, st := range []**sql.Stmt{&s.read, &s.write} {
		if *st != nil {
			if e := (*st).Close(); e != nil && err == nil {
				err = e
			}
			*st = nil
		}
	}
	return err
}

// Prepared returns s bound to this transaction.
func (tx *Tx) Prepared(ctx context.Context, s *Stmt) (*sql.Stmt, error) {
	st, err := s.on(ctx, s.db.write, &s.write)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}
