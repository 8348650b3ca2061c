package webhooks

import (
	"context"
	"time"
)

// Prune deletes deliveries that succeeded before `before`, with their
// attempt log. Failed and pending deliveries stay until they are delivered
// (by a retry or a resend): they are what the user may still act on.
func (s *Service) Prune(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_deliveries
		WHERE state = 'delivered' AND coalesce(last_attempt_us, created_us) < ?`, before.UnixMicro())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
