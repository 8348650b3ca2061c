package webhooks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"reelvault/backend/store"
)

// TestEventType is the type of the event SendTest sends. Mux has no test
// event; receivers written for Mux ignore types they do not know, so a
// type outside video.* is safe: object is {"type": "webhook", "id": the
// endpoint's id} and data carries a message, the webhook id and address.
const TestEventType = testEventType

// ResendDelivery sends a delivery again now, whatever its state, with a new
// 24 hour retry window. A delivery in flight is sent again once its current
// attempt is recorded.
func (s *Service) ResendDelivery(ctx context.Context, id string) (Delivery, error) {
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var endpointID string
		var enabled bool
		err := tx.QueryRowContext(ctx, `SELECT w.id, w.enabled FROM webhook_deliveries d
			JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = ?`, id).Scan(&endpointID, &enabled)
		if isNoRows(err) {
			return ErrDeliveryNotFound
		}
		if err != nil {
			return err
		}
		if !enabled {
			return ErrDisabled
		}
		if _, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET resend_requested = 1 WHERE id = ? AND state = 'delivering'`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending', next_attempt_us = ?, first_attempt_us = NULL
			WHERE id = ? AND state != 'delivering'`, s.now().UnixMicro(), id)
		return err
	})
	if err != nil {
		return Delivery{}, wrapUnlessTyped("resend delivery", err)
	}
	s.log.Info("delivery resent by hand", "delivery", id)
	s.wake()
	return s.Delivery(ctx, id)
}

// ResendEvent sends an event again now to every enabled endpoint, also to
// those added after it happened; a test event only to its own endpoint.
func (s *Service) ResendEvent(ctx context.Context, eventID string) ([]Delivery, error) {
	now := s.now().UnixMicro()
	var seq int64
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var typ, objectID string
		err := tx.QueryRowContext(ctx, `SELECT seq, type, object_id FROM events WHERE id = ?`, eventID).Scan(&seq, &typ, &objectID)
		if isNoRows(err) {
			return ErrEventNotFound
		}
		if err != nil {
			return err
		}
		if typ != testEventType {
			endpoints, err := enabledEndpoints(ctx, tx)
			if err != nil {
				return err
			}
			for _, ep := range endpoints {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO webhook_deliveries
					(id, event_seq, endpoint_id, object_id, state, created_us, next_attempt_us) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
					uuid.NewString(), seq, ep.id, objectID, now, now); err != nil {
					return err
				}
			}
		}
		if _, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET resend_requested = 1
			WHERE event_seq = ? AND state = 'delivering'`, seq); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending', next_attempt_us = ?, first_attempt_us = NULL
			WHERE event_seq = ? AND state != 'delivering'
			  AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)`, now, seq)
		return err
	})
	if err != nil {
		return nil, wrapUnlessTyped("resend event", err)
	}
	s.log.Info("event resent by hand", "event", eventID)
	s.wake()
	return s.queryDeliveries(ctx, `d.event_seq = ? ORDER BY d.seq`, seq)
}

// SendTest sends a test event to one endpoint, through the same delivery
// path (signature, retries, attempt log) as real events.
func (s *Service) SendTest(ctx context.Context, endpointID string) (Delivery, error) {
	deliveryID := uuid.NewString()
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		ep, err := getEndpoint(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		if !ep.Enabled {
			return ErrDisabled
		}
		now := s.now()
		ev, err := tx.AppendEvent(ctx, now, testEventType, "webhook", ep.ID, map[string]string{
			"message":    "This is a test event from Reelvault.",
			"webhook_id": ep.ID,
			"address":    ep.Address,
		})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
			(id, event_seq, endpoint_id, object_id, state, created_us, next_attempt_us) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
			deliveryID, ev.Seq, ep.ID, ep.ID, now.UnixMicro(), now.UnixMicro())
		return err
	})
	if err != nil {
		return Delivery{}, wrapUnlessTyped(fmt.Sprintf("send test event to %s", endpointID), err)
	}
	s.log.Info("test event queued", "webhook", endpointID, "delivery", deliveryID)
	s.wake()
	return s.Delivery(ctx, deliveryID)
}
