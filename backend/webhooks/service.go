// Package webhooks tells other tools what happens in the archive, the way
// Mux does: endpoints configured by the user, every outbox event (see
// store.AppendEvent) fanned out into one delivery per enabled endpoint, and
// each delivery POSTed in Mux's envelope with a Mux-Signature, retried with
// growing delays for 24 hours, every attempt recorded.
//
// Delivery is at least once and survives crashes: the fan-out advances its
// cursor in the transaction that writes the deliveries, and deliveries that
// were in flight when the process died are sent again at the next start.
package webhooks

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"reelvault/backend/store"
)

// Config tunes the service; zero values take the defaults.
type Config struct {
	Log *slog.Logger
	// Now is the clock for timestamps, signatures and schedules (time.Now).
	Now func() time.Time
	// HTTPClient sends the POSTs. The default does not follow redirects (a
	// 3xx is not a 2xx: it is retried) and keeps connections alive.
	HTTPClient *http.Client
	// AttemptTimeout bounds one POST, answer included (default 5 s).
	AttemptTimeout time.Duration
	Retry          RetryPolicy
	// PerEndpoint is how many POSTs one endpoint may have in flight (default
	// 4): a slow endpoint uses its own slots, not the others'.
	PerEndpoint int
	// MaxInFlight bounds POSTs in flight over all endpoints (default 64).
	MaxInFlight int
	// PollInterval is the safety net under db.OnEvents wake-ups (default 5 s).
	PollInterval time.Duration
	// EnvironmentName is the envelope's environment.name (default "Reelvault").
	EnvironmentName string
}

// Service manages endpoints and delivers events to them.
type Service struct {
	db          *store.DB
	log         *slog.Logger
	now         func() time.Time
	client      *http.Client
	timeout     time.Duration
	retry       RetryPolicy
	maxAttempts int
	perEndpoint int
	maxInFlight int
	poll        time.Duration
	env         environment

	wakeCh  chan struct{}
	results chan finished // attempts done by workers, recorded by the loop

	stmts          stmtCache
	endpointsStale atomic.Bool // set when an endpoint changes; the loop reloads

	// settled, when set (tests), is called by the loop at the end of a turn
	// that left no POST in flight and nothing due, with the cursor it has
	// fanned out to.
	settled func(cursor int64)

	// Owned by the loop goroutine alone.
	endpointIDs []string
	inFlight    map[string]int // endpoint id -> POSTs in flight
	total       int
}

type environment struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

const environmentKey = "webhooks.environment_id"

// New makes the service over db and hooks it to the outbox. Call Recover,
// then Run to start delivering; endpoint management works without them.
func New(db *store.DB, cfg Config) (*Service, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultClient()
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = 5 * time.Second
	}
	if cfg.PerEndpoint <= 0 {
		cfg.PerEndpoint = 4
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 64
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 5 * time.Second
	}
	if cfg.EnvironmentName == "" {
		cfg.EnvironmentName = "Reelvault"
	}
	s := &Service{db: db, log: cfg.Log.With("component", "webhooks"), now: cfg.Now, client: cfg.HTTPClient,
		timeout: cfg.AttemptTimeout, retry: cfg.Retry.withDefaults(), perEndpoint: cfg.PerEndpoint,
		maxInFlight: cfg.MaxInFlight, poll: cfg.PollInterval, wakeCh: make(chan struct{}, 1), inFlight: map[string]int{},
		results: make(chan finished, cfg.MaxInFlight)} // room for every POST in flight: workers never block
	s.stmts.db = db
	s.maxAttempts = s.retry.maxAttempts()
	s.endpointsStale.Store(true)
	s.env = environment{Name: cfg.EnvironmentName}
	return s, nil
}

// Recover readies the service after a start: it reads (or makes, the first
// time) the environment id events carry, and puts back deliveries that
// were in flight when the process stopped. Call before Run.
func (s *Service) Recover(ctx context.Context) error {
	envID, err := environmentID(ctx, s.db)
	if err != nil {
		return err
	}
	s.env.ID = envID
	return s.recoverInFlight(ctx)
}

// Environment is the id and name events carry (the id is known after
// Recover); whoami answers with them too.
func (s *Service) Environment() (id, name string) { return s.env.ID, s.env.Name }

// environmentID is made once and kept, so receivers see a stable id.
func environmentID(ctx context.Context, db *store.DB) (string, error) {
	id, ok, err := db.Setting(ctx, environmentKey)
	if err != nil {
		return "", fmt.Errorf("webhooks: read environment id: %w", err)
	}
	if ok {
		return id, nil
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	if err := db.SetSetting(ctx, environmentKey, string(b)); err != nil {
		return "", fmt.Errorf("webhooks: store environment id: %w", err)
	}
	return string(b), nil
}

func defaultClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// endpointsChanged makes the loop reload the endpoints and look for work.
func (s *Service) endpointsChanged() {
	s.endpointsStale.Store(true)
	s.wake()
}

// wake asks the delivery loop to look for work now. It never blocks: it is
// called from the committer of every transaction that appends events.
func (s *Service) wake() {
	select {
	case s.wakeCh <- struct{}{}:
	default:
	}
}

// recoverInFlight puts back deliveries that were in flight when the process
// died: only one process uses a data folder, so at start all are orphans.
func (s *Service) recoverInFlight(ctx context.Context) error {
	res, err := s.db.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending' WHERE state = 'delivering'`)
	if err != nil {
		return fmt.Errorf("webhooks: recover deliveries: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.log.Info("resending deliveries interrupted by a stop", "count", n)
	}
	return nil
}

// untilNextDue is how long the loop may sleep: until the earliest retry,
// at most the poll interval.
func (s *Service) untilNextDue(ctx context.Context) time.Duration {
	now := s.now()
	var next *int64
	err := s.queryRow(ctx, `SELECT min(next_attempt_us) FROM webhook_deliveries
		WHERE state = 'pending' AND next_attempt_us > ?`, now.UnixMicro()).Scan(&next)
	if err != nil || next == nil {
		return s.poll
	}
	return min(max(time.UnixMicro(*next).Sub(now), time.Millisecond), s.poll)
}
