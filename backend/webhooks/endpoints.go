package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"reelvault/backend/fail"
	"reelvault/backend/store"
)

// Endpoint is a receiver of events (Mux's system webhook object).
type Endpoint struct {
	ID        string
	Address   string
	Enabled   bool
	CreatedAt time.Time
	// SigningSecret is set only in what Create and RotateSecret return: the
	// user sees it once, as with Mux.
	SigningSecret string
}

// EndpointPatch changes an endpoint; nil fields are left as they are.
type EndpointPatch struct {
	Address *string
	Enabled *bool
}

// Errors of unknown ids: an endpoint, a delivery, an event.
var (
	ErrNotFound         = fail.NotFound("webhook")
	ErrDeliveryNotFound = fail.NotFound("delivery")
	ErrEventNotFound    = fail.NotFound("event")
)

// ErrDisabled is returned when an event is to be sent to a disabled endpoint.
var ErrDisabled = fail.Precondition("the webhook is disabled; enable it to send events to it")

const maxAddressLen = 2048

// normalizeAddress checks that address is an absolute http(s) URL with a
// host, and returns it with scheme and host lowercased so that two spellings
// of one URL count as the same address.
func normalizeAddress(address string) (string, error) {
	address = strings.TrimSpace(address)
	if address == "" {
		return "", fail.Invalid("address", "is required: the absolute http(s) URL to send events to")
	}
	if len(address) > maxAddressLen {
		return "", fail.Invalid("address", "is longer than %d characters", maxAddressLen)
	}
	u, err := url.Parse(address)
	if err != nil {
		return "", fail.Invalid("address", "%q is not a valid URL", address)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fail.Invalid("address", "%q must be an absolute http or https URL", address)
	}
	if u.Hostname() == "" || u.Opaque != "" {
		return "", fail.Invalid("address", "%q has no host", address)
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// Create adds an enabled endpoint. The returned Endpoint carries the signing
// secret, which is never shown again.
func (s *Service) Create(ctx context.Context, address string) (Endpoint, error) {
	addr, err := normalizeAddress(address)
	if err != nil {
		return Endpoint{}, err
	}
	ep := Endpoint{ID: uuid.NewString(), Address: addr, Enabled: true,
		CreatedAt: s.now().UTC().Truncate(time.Microsecond), SigningSecret: newSecret()}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := s.checkAddressFree(ctx, tx, addr, ""); err != nil {
			return err
		}
		// Events already in the outbox happened before this endpoint existed.
		_, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, address, enabled, signing_secret, created_us, from_seq)
			VALUES (?, ?, 1, ?, ?, (SELECT coalesce(max(seq), 0) FROM events))`,
			ep.ID, ep.Address, ep.SigningSecret, ep.CreatedAt.UnixMicro())
		return err
	})
	if err != nil {
		return Endpoint{}, wrapUnlessTyped("create webhook", err)
	}
	s.log.Info("webhook endpoint created", "webhook", ep.ID, "address", ep.Address)
	s.endpointsChanged()
	return ep, nil
}

func (s *Service) checkAddressFree(ctx context.Context, tx *store.Tx, addr, exceptID string) error {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM webhook_endpoints WHERE address = ? AND id != ?`, addr, exceptID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fail.Invalid("address", "%q is already used by webhook %s", addr, id)
}

// List returns one page of endpoints, newest first, without secrets. A page
// past the end is empty: Mux's SDKs ask for pages until one is.
func (s *Service) List(ctx context.Context, page Page) ([]Endpoint, error) {
	limit, offset, err := page.bounds()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, address, enabled, created_us FROM webhook_endpoints
		ORDER BY created_us DESC, rowid DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	out := []Endpoint{}
	for rows.Next() {
		var ep Endpoint
		var us int64
		if err := rows.Scan(&ep.ID, &ep.Address, &ep.Enabled, &us); err != nil {
			return nil, err
		}
		ep.CreatedAt = time.UnixMicro(us).UTC()
		out = append(out, ep)
	}
	return out, rows.Err()
}

// Get returns one endpoint without its secret.
func (s *Service) Get(ctx context.Context, id string) (Endpoint, error) {
	return getEndpoint(ctx, s.db, id)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getEndpoint(ctx context.Context, q queryRower, id string) (Endpoint, error) {
	var ep Endpoint
	var us int64
	err := q.QueryRowContext(ctx, `SELECT id, address, enabled, created_us FROM webhook_endpoints WHERE id = ?`, id).
		Scan(&ep.ID, &ep.Address, &ep.Enabled, &us)
	if errors.Is(err, sql.ErrNoRows) {
		return Endpoint{}, ErrNotFound
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("get webhook %s: %w", id, err)
	}
	ep.CreatedAt = time.UnixMicro(us).UTC()
	return ep, nil
}

// Update changes an endpoint's address and/or whether it is enabled.
// Deliveries still pending for a disabled endpoint wait until it is enabled
// again; no new event is fanned out to it meanwhile.
func (s *Service) Update(ctx context.Context, id string, p EndpointPatch) (Endpoint, error) {
	var addr string
	if p.Address != nil {
		var err error
		if addr, err = normalizeAddress(*p.Address); err != nil {
			return Endpoint{}, err
		}
	}
	var ep Endpoint
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if ep, err = getEndpoint(ctx, tx, id); err != nil {
			return err
		}
		if p.Address != nil && addr != ep.Address {
			if err := s.checkAddressFree(ctx, tx, addr, id); err != nil {
				return err
			}
			ep.Address = addr
		}
		if p.Enabled != nil {
			ep.Enabled = *p.Enabled
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_endpoints SET address = ?, enabled = ? WHERE id = ?`, ep.Address, ep.Enabled, id)
		return err
	})
	if err != nil {
		return Endpoint{}, wrapUnlessTyped("update webhook", err)
	}
	s.log.Info("webhook endpoint updated", "webhook", id, "address", ep.Address, "enabled", ep.Enabled)
	s.endpointsChanged() // re-enabled endpoints may have deliveries waiting
	return ep, nil
}

// RotateSecret gives the endpoint a new signing secret, returned once.
// Attempts from then on are signed with it.
func (s *Service) RotateSecret(ctx context.Context, id string) (Endpoint, error) {
	secret := newSecret()
	res, err := s.db.ExecContext(ctx, `UPDATE webhook_endpoints SET signing_secret = ? WHERE id = ?`, secret, id)
	if err != nil {
		return Endpoint{}, fmt.Errorf("rotate webhook secret: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Endpoint{}, ErrNotFound
	}
	ep, err := s.Get(ctx, id)
	ep.SigningSecret = secret
	s.log.Info("webhook signing secret rotated", "webhook", id)
	return ep, err
}

// Delete removes an endpoint with its deliveries and their attempts.
func (s *Service) Delete(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete webhook %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.log.Info("webhook endpoint deleted", "webhook", id)
	s.endpointsChanged()
	return nil
}

// wrapUnlessTyped adds context to unexpected errors but returns the API's
// errors (not found, invalid, precondition) as they are.
func wrapUnlessTyped(what string, err error) error {
	var nf *fail.NotFoundError
	var ie *fail.InvalidError
	var pe *fail.PreconditionError
	if errors.As(err, &nf) || errors.As(err, &ie) || errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
