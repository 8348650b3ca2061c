package webhooks

import (
	"context"
	"database/sql"
	"sync"

	"reelvault/backend/store"
)

// stmtCache keeps the delivery loop's statements prepared (database/sql
// then prepares each once per connection): the loop runs them thousands of
// times a second, and preparing costs as much as running a small query.
type stmtCache struct {
	db *store.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// query runs a cached statement in tx, or on the database when tx is nil.
func (s *Service) query(ctx context.Context, tx *store.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx != nil {
		st = tx.StmtContext(ctx, st)
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a cached single-row statement on the database.
func (s *Service) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	st, err := s.stmts.get(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// exec runs a cached statement in tx.
func (s *Service) exec(ctx context.Context, tx *store.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}
