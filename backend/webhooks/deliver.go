package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"reelvault/backend/store"
)

const (
	keptBodyBytes   = 1024     // of each answer, in the attempt log
	drainBodyBytes  = 64 << 10 // read past that so the connection can be reused
	keptHeaderBytes = 4096
)

// outcome is what one attempt gave.
type outcome struct {
	id       string
	started  time.Time
	status   int // 0 when no HTTP answer came
	headers  map[string]string
	body     string
	duration time.Duration
	err      string

	interrupted bool // by the service stopping
}

func (o outcome) delivered() bool { return o.status >= 200 && o.status < 300 }

// deliver makes one attempt of c and hands it to the loop to record.
func (s *Service) deliver(ctx context.Context, c claimed) {
	o, err := s.attempt(ctx, c)
	switch {
	case ctx.Err() != nil && o.status == 0:
		// Stopping: the attempt was cut short, not answered. It is put back
		// and sent at the next start, without counting it.
		o.interrupted = true
	case err != nil:
		o = outcome{id: uuid.NewString(), started: s.now(), err: err.Error()}
	}
	s.results <- finished{c, o} // never blocks: room for every POST in flight
	s.wake()
}

// attempt POSTs the envelope once. A transport failure is an outcome, not an
// error; the error is for failing to build the request at all.
func (s *Service) attempt(ctx context.Context, c claimed) (outcome, error) {
	var earlier []Attempt
	if c.attempts > 0 {
		byDelivery, err := s.attemptsOf(ctx, []int64{c.seq})
		if err != nil {
			return outcome{}, err
		}
		earlier = byDelivery[c.seq]
	}
	body, err := s.envelope(c, earlier)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{id: uuid.NewString(), started: s.now()}
	reqCtx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, c.address, bytes.NewReader(body))
	if err != nil {
		return outcome{}, fmt.Errorf("build request to %s: %w", c.address, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Reelvault-Webhooks/1")
	req.Header.Set(SignatureHeader, Sign(c.secret, o.started, body))
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		o.duration = time.Since(start)
		o.err = describeTransportError(err, reqCtx, s.timeout)
		return o, nil
	}
	kept, readErr := io.ReadAll(io.LimitReader(resp.Body, keptBodyBytes))
	io.Copy(io.Discard, io.LimitReader(resp.Body, drainBodyBytes))
	resp.Body.Close()
	o.duration = time.Since(start)
	o.status = resp.StatusCode
	o.headers = flattenHeaders(resp.Header)
	o.body = strings.ToValidUTF8(string(kept), "\uFFFD")
	if readErr != nil && !o.delivered() {
		o.err = "reading the answer: " + describeTransportError(readErr, reqCtx, s.timeout)
	} else if !o.delivered() {
		o.err = fmt.Sprintf("the endpoint answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return o, nil
}

func describeTransportError(err error, reqCtx context.Context, timeout time.Duration) string {
	if errors.Is(reqCtx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within %s", timeout)
	}
	return err.Error()
}

func flattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	size := 0
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		size += len(k) + len(v)
		if size > keptHeaderBytes {
			break
		}
		out[strings.ToLower(k)] = v
	}
	return out
}

// record stores the attempt in tx and moves the delivery on: delivered,
// pending again at the next retry, or failed once the retry window is over.
// It returns the log line to write once tx has committed.
func (s *Service) record(ctx context.Context, tx *store.Tx, c claimed, o outcome) (func(), error) {
	now := s.now()
	first := o.started
	if c.firstAttempt != 0 {
		first = time.UnixMicro(c.firstAttempt)
	}
	state, next := "delivered", now
	if !o.delivered() {
		var ok bool
		if next, ok = s.retry.next(c.attempts+1, first, now); ok {
			state = "pending"
		} else {
			state = "failed"
		}
	}
	var status any
	if o.status != 0 {
		status = o.status
	}
	// A resend asked for during this attempt wins over its outcome: the
	// delivery goes again now, with a new retry window.
	res, err := s.exec(ctx, tx, `UPDATE webhook_deliveries SET
		state = CASE WHEN resend_requested = 1 THEN 'pending' ELSE ? END,
		attempts = attempts + 1,
		first_attempt_us = CASE WHEN resend_requested = 1 THEN NULL ELSE coalesce(first_attempt_us, ?) END,
		last_attempt_us = ?, last_status = ?, last_error = ?,
		next_attempt_us = CASE WHEN resend_requested = 1 THEN ? ELSE ? END,
		resend_requested = 0
		WHERE seq = ? AND state = 'delivering'`,
		state, first.UnixMicro(), o.started.UnixMicro(), status, nullIfEmpty(o.err), now.UnixMicro(), next.UnixMicro(), c.seq)
	if err != nil {
		return nil, fmt.Errorf("record attempt of %s: %w", c.id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return func() {}, nil // the endpoint was deleted meanwhile
	}
	headers, _ := json.Marshal(o.headers)
	if _, err = s.exec(ctx, tx, `INSERT INTO webhook_attempts
		(id, delivery_seq, started_us, status_code, response_headers, response_body, duration_ms, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		o.id, c.seq, o.started.UnixMicro(), status, string(headers), o.body, o.duration.Milliseconds(), nullIfEmpty(o.err)); err != nil {
		return nil, fmt.Errorf("record attempt of %s: %w", c.id, err)
	}
	return func() {
		log := s.log.With("delivery", c.id, "event", c.event.ID, "type", c.event.Type, "webhook", c.endpointID,
			"attempt", c.attempts+1, "status", o.status, "took", o.duration)
		switch state {
		case "delivered":
			log.Debug("webhook delivered")
		case "pending":
			log.Warn("webhook attempt failed, will retry", "err", o.err, "retry_at", next)
		default:
			log.Error("webhook delivery failed for good", "err", o.err, "first_attempt", first)
		}
	}, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
