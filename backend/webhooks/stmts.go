package webhooks

import (
	"context"
	"database/sql"
	"sync"

	"reelvault/backend/store"
)

// stmtCache keeps the delivery loop's statements prepared: the loop runs
// them thousands of times a second.
type stmtCache struct {
	db *store.DB
	mu sync.Mutex
	m  map[string]*store.Stmt
}

func (c *stmtCache) get(query string) *store.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if c.m == nil {
		c.m = map[string]*store.Stmt{}
	}
	st := c.db.Prepare(query)
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// query runs a cached statement in tx, or read-only on the database when tx is nil.
func (s *Service) query(ctx context.Context, tx *store.Tx, query string, args ...any) (*sql.Rows, error) {
	st := s.stmts.get(query)
	if tx == nil {
		return st.QueryContext(ctx, args...)
	}
	txSt, err := tx.Prepared(ctx, st)
	if err != nil {
		return nil, err
	}
	return txSt.QueryContext(ctx, args...)
}

// queryRow runs a cached single-row statement read-only on the database.
func (s *Service) queryRow(ctx context.Context, query string, args ...any) store.RowScanner {
	return s.stmts.get(query).QueryRowContext(ctx, args...)
}

// exec runs a cached statement in tx.
func (s *Service) exec(ctx context.Context, tx *store.Tx, query string, args ...any) (sql.Result, error) {
	st, err := tx.Prepared(ctx, s.stmts.get(query))
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}
