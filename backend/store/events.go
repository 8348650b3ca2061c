package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Event is one entry of the outbox: something that happened, with a
// snapshot of the object as it was then. Webhook delivery reads these.
type Event struct {
	Seq        int64
	ID         string
	Type       string // e.g. "video.asset.ready"
	ObjectType string // "asset", "upload", "live"
	ObjectID   string
	CreatedAt  time.Time
	Data       json.RawMessage
}

// AppendEvent writes an event in the transaction of the change that caused it.
func (tx *Tx) AppendEvent(ctx context.Context, at time.Time, typ, objectType, objectID string, data any) (Event, error) {
	// Not json.Marshal: it escapes <, > and & (a URL's & becomes \u0026), and
	// receivers should see the same bytes the API answers with.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return Event{}, fmt.Errorf("event %s: encode data: %w", typ, err)
	}
	raw := bytes.TrimRight(buf.Bytes(), "\n")
	ev := Event{ID: uuid.NewString(), Type: typ, ObjectType: objectType, ObjectID: objectID, CreatedAt: at.UTC(), Data: raw}
	res, err := tx.ExecContext(ctx, `INSERT INTO events (id, type, object_type, object_id, created_at_us, data)
		VALUES (?, ?, ?, ?, ?, ?)`, ev.ID, typ, objectType, objectID, ev.CreatedAt.UnixMicro(), string(raw))
	if err != nil {
		return Event{}, fmt.Errorf("event %s: %w", typ, err)
	}
	ev.Seq, _ = res.LastInsertId()
	tx.events++
	return ev, nil
}

// EventsAfter lists up to limit events with Seq > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	rows, err := db.QueryContext(ctx, `SELECT seq, id, type, object_type, object_id, created_at_us, data
		FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var us int64
		var data string
		if err := rows.Scan(&ev.Seq, &ev.ID, &ev.Type, &ev.ObjectType, &ev.ObjectID, &us, &data); err != nil {
			return nil, err
		}
		ev.CreatedAt = time.UnixMicro(us).UTC()
		ev.Data = json.RawMessage(data)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// EventByID returns one event.
func (db *DB) EventByID(ctx context.Context, id string) (Event, error) {
	var ev Event
	var us int64
	var data string
	err := db.QueryRowContext(ctx, `SELECT seq, id, type, object_type, object_id, created_at_us, data
		FROM events WHERE id = ?`, id).Scan(&ev.Seq, &ev.ID, &ev.Type, &ev.ObjectType, &ev.ObjectID, &us, &data)
	if err != nil {
		return Event{}, err
	}
	ev.CreatedAt = time.UnixMicro(us).UTC()
	ev.Data = json.RawMessage(data)
	return ev, nil
}
