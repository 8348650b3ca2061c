package webhooks

import (
	"bytes"
	"encoding/json"
)

// muxTime is Mux's timestamp in envelopes: ISO 8601, UTC, microseconds.
const muxTime = "2006-01-02T15:04:05.000000Z"

// envelopeBody is Mux's webhook body, field for field.
type envelopeBody struct {
	Type           string          `json:"type"`
	Object         ObjectRef       `json:"object"`
	ID             string          `json:"id"`
	Environment    environment     `json:"environment"`
	Data           json.RawMessage `json:"data"`
	CreatedAt      string          `json:"created_at"`
	Attempts       []muxAttempt    `json:"attempts"`
	RequestID      *string         `json:"request_id"`
	Accessor       *string         `json:"accessor"`
	AccessorSource *string         `json:"accessor_source"`
}

// muxAttempt is an earlier attempt as Mux lists it in the envelope.
type muxAttempt struct {
	ID                 string            `json:"id"`
	WebhookID          string            `json:"webhook_id"`
	Address            string            `json:"address"`
	CreatedAt          string            `json:"created_at"`
	MaxAttempts        int               `json:"max_attempts"`
	ResponseStatusCode *int              `json:"response_status_code"`
	ResponseHeaders    map[string]string `json:"response_headers"`
	ResponseBody       *string           `json:"response_body"`
}

// ObjectRef names the object an event is about.
type ObjectRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// envelope is the exact body POSTed for c (the signature covers these bytes).
func (s *Service) envelope(c claimed, earlier []Attempt) ([]byte, error) {
	data := c.event.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	body := envelopeBody{
		Type:        c.event.Type,
		Object:      ObjectRef{Type: c.event.ObjectType, ID: c.event.ObjectID},
		ID:          c.event.ID,
		Environment: s.env,
		Data:        data,
		CreatedAt:   c.event.CreatedAt.UTC().Format(muxTime),
		Attempts:    make([]muxAttempt, 0, len(earlier)),
	}
	for _, a := range earlier {
		ma := muxAttempt{ID: a.ID, WebhookID: c.endpointID, Address: c.address,
			CreatedAt: a.CreatedAt.UTC().Format(muxTime), MaxAttempts: s.maxAttempts,
			ResponseStatusCode: a.StatusCode, ResponseHeaders: a.ResponseHeaders}
		if a.StatusCode != nil {
			b := a.ResponseBody
			ma.ResponseBody = &b
		}
		if ma.ResponseHeaders == nil {
			ma.ResponseHeaders = map[string]string{}
		}
		body.Attempts = append(body.Attempts, ma)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the data as the API shows it, "<" and "&" included
	if err := enc.Encode(body); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
