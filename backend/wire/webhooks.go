package wire

import (
	"encoding/json"
	"time"

	"reelvault/backend/webhooks"
)

// Webhook is Mux's system webhook object; the signing secret only in the
// answers that just made it (create, rotate).
type Webhook struct {
	ID            string `json:"id"`
	Address       string `json:"address"`
	CreatedAt     string `json:"created_at"`
	Enabled       bool   `json:"enabled"`
	SigningSecret string `json:"signing_secret,omitempty"`
}

// muxTimestamp is how Mux's system API writes times: ISO 8601, UTC, µs.
const muxTimestamp = "2006-01-02T15:04:05.000000Z"

// NewWebhook renders an endpoint.
func NewWebhook(ep webhooks.Endpoint) Webhook {
	return Webhook{ID: ep.ID, Address: ep.Address, Enabled: ep.Enabled, SigningSecret: ep.SigningSecret,
		CreatedAt: ep.CreatedAt.UTC().Format(muxTimestamp)}
}

// ObjectRef names the object an event is about.
type ObjectRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Delivery is one event to one endpoint, as the window's delivery log shows
// it: its state and every attempt, oldest first.
type Delivery struct {
	ID             string     `json:"id"`
	WebhookID      string     `json:"webhook_id"`
	EventID        string     `json:"event_id"`
	EventType      string     `json:"event_type"`
	Object         ObjectRef  `json:"object"`
	State          string     `json:"state"`
	AttemptCount   int        `json:"attempt_count"`
	CreatedAt      time.Time  `json:"created_at"`
	NextAttemptAt  *time.Time `json:"next_attempt_at"`
	FirstAttemptAt *time.Time `json:"first_attempt_at"`
	LastAttemptAt  *time.Time `json:"last_attempt_at"`
	LastStatusCode *int       `json:"last_status_code"`
	LastError      string     `json:"last_error,omitempty"`
	Attempts       []Attempt  `json:"attempts"`
}

// Attempt is one POST of a delivery; StatusCode is nil when no answer came.
type Attempt struct {
	ID              string            `json:"id"`
	CreatedAt       time.Time         `json:"created_at"`
	StatusCode      *int              `json:"response_status_code"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	DurationMS      int64             `json:"duration_ms"`
	Error           string            `json:"error,omitempty"`
}

// Event is an outbox event with its deliveries; Data is the snapshot as it
// was sent.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Object     ObjectRef       `json:"object"`
	CreatedAt  time.Time       `json:"created_at"`
	Data       json.RawMessage `json:"data"`
	Deliveries []Delivery      `json:"deliveries"`
}

// NewDelivery renders a delivery with its attempts.
func NewDelivery(d webhooks.Delivery) Delivery {
	out := Delivery{ID: d.ID, WebhookID: d.WebhookID, EventID: d.EventID, EventType: d.EventType,
		Object: ObjectRef{Type: d.Object.Type, ID: d.Object.ID}, State: d.State, AttemptCount: d.AttemptCount,
		CreatedAt: d.CreatedAt, NextAttemptAt: d.NextAttemptAt, FirstAttemptAt: d.FirstAttemptAt,
		LastAttemptAt: d.LastAttemptAt, LastStatusCode: d.LastStatusCode, LastError: d.LastError,
		Attempts: make([]Attempt, len(d.Attempts))}
	for i, a := range d.Attempts {
		out.Attempts[i] = Attempt{ID: a.ID, CreatedAt: a.CreatedAt, StatusCode: a.StatusCode,
			ResponseHeaders: a.ResponseHeaders, ResponseBody: a.ResponseBody, DurationMS: a.DurationMS, Error: a.Error}
	}
	return out
}

// NewDeliveries renders a list of deliveries.
func NewDeliveries(ds []webhooks.Delivery) []Delivery {
	out := make([]Delivery, len(ds))
	for i, d := range ds {
		out[i] = NewDelivery(d)
	}
	return out
}

// NewEvent renders an outbox event with its deliveries.
func NewEvent(ev webhooks.EventLog) Event {
	return Event{ID: ev.ID, Type: ev.Type, Object: ObjectRef{Type: ev.Object.Type, ID: ev.Object.ID},
		CreatedAt: ev.CreatedAt, Data: ev.Data, Deliveries: NewDeliveries(ev.Deliveries)}
}
