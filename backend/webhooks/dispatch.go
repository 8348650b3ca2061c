package webhooks

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"reelvault/backend/store"
)

const (
	cursorKey     = "webhooks.cursor"
	fanOutBatch   = 500
	testEventType = "webhook.test"
)

func (s *Service) loadCursor(ctx context.Context) (int64, error) {
	v, ok, err := s.db.Setting(ctx, cursorKey)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("webhooks: bad cursor %q: %w", v, err)
	}
	return n, nil
}

type pendingEvent struct {
	seq      int64
	typ      string
	objectID string
}

// fanOut turns up to fanOutBatch events after cursor into one pending
// delivery per endpoint enabled now, and moves the cursor, all in tx: after
// a crash either both happened or neither did. It returns the new cursor.
func (s *Service) fanOut(ctx context.Context, tx *store.Tx, cursor int64) (int64, error) {
	rows, err := s.query(ctx, tx, `SELECT seq, type, object_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, cursor, fanOutBatch)
	if err != nil {
		return cursor, err
	}
	var events []pendingEvent
	for rows.Next() {
		var ev pendingEvent
		if err := rows.Scan(&ev.seq, &ev.typ, &ev.objectID); err != nil {
			rows.Close()
			return cursor, err
		}
		events = append(events, ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(events) == 0 {
		return cursor, err
	}
	endpoints, err := enabledEndpoints(ctx, tx)
	if err != nil {
		return cursor, err
	}
	now := s.now().UnixMicro()
	for _, ev := range events {
		if ev.typ == testEventType {
			continue // addressed to one endpoint by SendTest, never fanned out
		}
		for _, ep := range endpoints {
			if ev.seq <= ep.fromSeq {
				continue
			}
			if _, err := s.exec(ctx, tx, `INSERT OR IGNORE INTO webhook_deliveries
				(id, event_seq, endpoint_id, object_id, state, created_us, next_attempt_us) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
				uuid.NewString(), ev.seq, ep.id, ev.objectID, now, now); err != nil {
				return cursor, err
			}
		}
	}
	next := events[len(events)-1].seq
	_, err = s.exec(ctx, tx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, cursorKey, strconv.FormatInt(next, 10))
	return next, err
}

// lastEventSeq is the newest outbox event; a read, so that wake-ups finding
// nothing new take no write lock.
func (s *Service) lastEventSeq(ctx context.Context) (int64, error) {
	var last int64
	err := s.queryRow(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&last)
	return last, err
}

type endpointRef struct {
	id      string
	fromSeq int64
}

func enabledEndpoints(ctx context.Context, tx *store.Tx) ([]endpointRef, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, from_seq FROM webhook_endpoints WHERE enabled = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []endpointRef
	for rows.Next() {
		var ep endpointRef
		if err := rows.Scan(&ep.id, &ep.fromSeq); err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	return out, rows.Err()
}
