package webhooks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"reelvault/backend/store"
)

// Delivery is one event to one endpoint: its state and every attempt.
type Delivery struct {
	ID             string
	WebhookID      string
	EventID        string
	EventType      string
	Object         ObjectRef
	State          string // pending · delivering · delivered · failed
	AttemptCount   int
	CreatedAt      time.Time
	NextAttemptAt  *time.Time // while pending
	FirstAttemptAt *time.Time
	LastAttemptAt  *time.Time
	LastStatusCode *int
	LastError      string
	Attempts       []Attempt // oldest first
}

// Attempt is one POST of a delivery.
type Attempt struct {
	ID              string
	CreatedAt       time.Time
	StatusCode      *int // nil when no answer came
	ResponseHeaders map[string]string
	ResponseBody    string // the first KB
	DurationMS      int64
	Error           string
}

// EventLog is an outbox event with its deliveries.
type EventLog struct {
	ID         string
	Type       string
	Object     ObjectRef
	CreatedAt  time.Time
	Data       json.RawMessage
	Deliveries []Delivery
}

// Page selects a slice of a newest-first list, as Mux's limit and page.
type Page struct {
	Limit int // default 25, at most 100
	Page  int // from 1
}

// bounds applies the paging rule every list has (store.NormalizePage).
func (p Page) bounds() (limit, offset int, err error) {
	limit, page, err := store.NormalizePage(p.Limit, p.Page)
	return limit, (page - 1) * limit, err
}

// Deliveries lists an endpoint's deliveries, newest first, with attempts.
func (s *Service) Deliveries(ctx context.Context, endpointID string, page Page) ([]Delivery, error) {
	if _, err := s.Get(ctx, endpointID); err != nil {
		return nil, err
	}
	limit, offset, err := page.bounds()
	if err != nil {
		return nil, err
	}
	return s.queryDeliveries(ctx, `d.endpoint_id = ? ORDER BY d.seq DESC LIMIT ? OFFSET ?`, endpointID, limit, offset)
}

// Delivery returns one delivery with its attempts.
func (s *Service) Delivery(ctx context.Context, id string) (Delivery, error) {
	ds, err := s.queryDeliveries(ctx, `d.id = ?`, id)
	if err != nil {
		return Delivery{}, err
	}
	if len(ds) == 0 {
		return Delivery{}, ErrDeliveryNotFound
	}
	return ds[0], nil
}

// Events lists outbox events, newest first, each with its deliveries; only
// those of one object when objectID is set.
func (s *Service) Events(ctx context.Context, objectID string, page Page) ([]EventLog, error) {
	limit, offset, err := page.bounds()
	if err != nil {
		return nil, err
	}
	q := `SELECT seq, id, type, object_type, object_id, created_at_us, data FROM events`
	args := []any{}
	if objectID != "" {
		q += ` WHERE object_id = ?`
		args = append(args, objectID)
	}
	q += ` ORDER BY seq DESC LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	out := []EventLog{}
	var seqs []any
	for rows.Next() {
		var ev EventLog
		var seq, us int64
		var data string
		if err := rows.Scan(&seq, &ev.ID, &ev.Type, &ev.Object.Type, &ev.Object.ID, &us, &data); err != nil {
			return nil, err
		}
		ev.CreatedAt = time.UnixMicro(us).UTC()
		ev.Data = json.RawMessage(data)
		ev.Deliveries = []Delivery{}
		out = append(out, ev)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ds, err := s.queryDeliveries(ctx, `d.event_seq IN (`+placeholders(len(seqs))+`) ORDER BY d.seq`, seqs...)
	if err != nil {
		return nil, err
	}
	byEvent := map[string]int{}
	for i, ev := range out {
		byEvent[ev.ID] = i
	}
	for _, d := range ds {
		i := byEvent[d.EventID]
		out[i].Deliveries = append(out[i].Deliveries, d)
	}
	return out, nil
}

// queryDeliveries reads deliveries matching where (with their event) and
// attaches their attempts.
func (s *Service) queryDeliveries(ctx context.Context, where string, args ...any) ([]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.seq, d.id, d.endpoint_id, d.state, d.attempts, d.created_us,
			d.next_attempt_us, d.first_attempt_us, d.last_attempt_us, d.last_status, coalesce(d.last_error, ''),
			e.id, e.type, e.object_type, e.object_id
		FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	out := []Delivery{}
	var seqs []int64
	for rows.Next() {
		var d Delivery
		var seq, createdUS, nextUS int64
		var firstUS, lastUS, status sql.NullInt64
		if err := rows.Scan(&seq, &d.ID, &d.WebhookID, &d.State, &d.AttemptCount, &createdUS,
			&nextUS, &firstUS, &lastUS, &status, &d.LastError,
			&d.EventID, &d.EventType, &d.Object.Type, &d.Object.ID); err != nil {
			return nil, err
		}
		d.CreatedAt = time.UnixMicro(createdUS).UTC()
		if d.State == "pending" {
			d.NextAttemptAt = timePtr(nextUS)
		}
		if firstUS.Valid {
			d.FirstAttemptAt = timePtr(firstUS.Int64)
		}
		if lastUS.Valid {
			d.LastAttemptAt = timePtr(lastUS.Int64)
		}
		if status.Valid {
			code := int(status.Int64)
			d.LastStatusCode = &code
		}
		out = append(out, d)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	attempts, err := s.attemptsOf(ctx, seqs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Attempts = attempts[seqs[i]]
		if out[i].Attempts == nil {
			out[i].Attempts = []Attempt{}
		}
	}
	return out, nil
}

// attemptsOf returns the attempts of the given deliveries, oldest first.
func (s *Service) attemptsOf(ctx context.Context, deliverySeqs []int64) (map[int64][]Attempt, error) {
	args := make([]any, len(deliverySeqs))
	for i, seq := range deliverySeqs {
		args[i] = seq
	}
	rows, err := s.db.QueryContext(ctx, `SELECT delivery_seq, id, started_us, status_code, coalesce(response_headers, '{}'),
			coalesce(response_body, ''), duration_ms, coalesce(error, '')
		FROM webhook_attempts WHERE delivery_seq IN (`+placeholders(len(args))+`) ORDER BY started_us, rowid`, args...)
	if err != nil {
		return nil, fmt.Errorf("list attempts: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Attempt{}
	for rows.Next() {
		var a Attempt
		var seq, us int64
		var status sql.NullInt64
		var headers string
		if err := rows.Scan(&seq, &a.ID, &us, &status, &headers, &a.ResponseBody, &a.DurationMS, &a.Error); err != nil {
			return nil, err
		}
		a.CreatedAt = time.UnixMicro(us).UTC()
		if status.Valid {
			code := int(status.Int64)
			a.StatusCode = &code
		}
		if err := json.Unmarshal([]byte(headers), &a.ResponseHeaders); err != nil {
			return nil, fmt.Errorf("attempt %s: headers: %w", a.ID, err)
		}
		out[seq] = append(out[seq], a)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func timePtr(us int64) *time.Time {
	t := time.UnixMicro(us).UTC()
	return &t
}

// isNoRows reports a lookup that found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
