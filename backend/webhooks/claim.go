package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"reelvault/backend/store"
)

// claimed is a delivery taken for one attempt, with what the POST needs.
type claimed struct {
	seq          int64
	id           string
	attempts     int   // finished before this one
	firstAttempt int64 // µs; 0 before the first attempt
	event        store.Event
	endpointID   string
	address      string
	secret       string
}

// candidateWindow bounds how many due deliveries of one endpoint a claim
// looks through, so a large backlog costs the same as a small one. The scan
// stops as soon as enough claimable ones are found, which is at once unless
// long chains of one object's events (held back behind their first) fill
// the front of the queue.
const candidateWindow = 1024

// findDue lists the due deliveries that have a free slot (per endpoint and
// overall) and whose object has no earlier event to the same endpoint still
// waiting for its first attempt. It reads in tx, or on the database when tx
// is nil.
func (s *Service) findDue(ctx context.Context, tx *store.Tx) ([]claimed, error) {
	endpoints, err := s.enabledEndpointIDs(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UnixMicro()
	var found []claimed
	for _, id := range endpoints {
		n := min(s.perEndpoint-s.inFlight[id], s.maxInFlight-s.total-len(found))
		if n <= 0 {
			continue
		}
		due, err := s.dueFor(ctx, tx, id, now, n)
		if err != nil {
			return nil, err
		}
		found = append(found, due...)
	}
	return found, nil
}

// markDelivering claims the deliveries found in tx. Only the loop claims,
// so they are still pending unless their endpoint was deleted meanwhile.
func (s *Service) markDelivering(ctx context.Context, tx *store.Tx, found []claimed) ([]claimed, error) {
	taken := make([]claimed, 0, len(found))
	for _, c := range found {
		res, err := s.exec(ctx, tx, `UPDATE webhook_deliveries SET state = 'delivering' WHERE seq = ? AND state = 'pending'`, c.seq)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			taken = append(taken, c)
		}
	}
	return taken, nil
}

// enabledEndpointIDs is the loop's cached list of enabled endpoints,
// reloaded after any endpoint changed (a read per turn saved).
func (s *Service) enabledEndpointIDs(ctx context.Context) ([]string, error) {
	if !s.endpointsStale.Swap(false) {
		return s.endpointIDs, nil
	}
	ids, err := s.loadEnabledEndpointIDs(ctx)
	if err != nil {
		s.endpointsStale.Store(true)
		return nil, err
	}
	s.endpointIDs = ids
	return ids, nil
}

func (s *Service) loadEnabledEndpointIDs(ctx context.Context) ([]string, error) {
	return store.QueryStrings(ctx, s.db, `SELECT id FROM webhook_endpoints WHERE enabled = 1 ORDER BY created_us`)
}

// dueFor lists up to limit deliveries of one endpoint that may be attempted
// now, oldest due first.
func (s *Service) dueFor(ctx context.Context, tx *store.Tx, endpointID string, now int64, limit int) ([]claimed, error) {
	rows, err := s.query(ctx, tx, `
		SELECT d.seq, d.id, d.attempts, coalesce(d.first_attempt_us, 0),
		       e.seq, e.id, e.type, e.object_type, e.object_id, e.created_at_us, e.data,
		       w.id, w.address, w.signing_secret
		FROM (SELECT * FROM webhook_deliveries
		      WHERE endpoint_id = ? AND state = 'pending' AND next_attempt_us <= ?
		      ORDER BY next_attempt_us, event_seq LIMIT ?) d
		JOIN events e ON e.seq = d.event_seq
		JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled = 1
		WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries p
		                  WHERE p.endpoint_id = d.endpoint_id AND p.object_id = d.object_id
		                    AND p.event_seq < d.event_seq AND p.attempts = 0)
		ORDER BY d.next_attempt_us, d.event_seq
		LIMIT ?`, endpointID, now, candidateWindow, limit)
	if err != nil {
		return nil, fmt.Errorf("due deliveries of %s: %w", endpointID, err)
	}
	defer rows.Close()
	var out []claimed
	for rows.Next() {
		var c claimed
		var createdUS int64
		var data string
		if err := rows.Scan(&c.seq, &c.id, &c.attempts, &c.firstAttempt,
			&c.event.Seq, &c.event.ID, &c.event.Type, &c.event.ObjectType, &c.event.ObjectID, &createdUS, &data,
			&c.endpointID, &c.address, &c.secret); err != nil {
			return nil, err
		}
		c.event.CreatedAt = time.UnixMicro(createdUS).UTC()
		c.event.Data = json.RawMessage(data)
		out = append(out, c)
	}
	return out, rows.Err()
}
