// Package auth lets a browser use the UI without the API secret ever being
// in a page or URL: a one-time login code (printed by `serve`, or by
// `reelvault login-code`) is traded for a session. Codes work once and
// expire in minutes; wrong codes are limited per client and logged;
// sessions are kept in the database (only hashes), so they survive a
// restart, and signing out revokes one.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"reelvault/backend/store"
)

// Login codes are typed by a person, so they are short; what keeps them
// from being guessed is that each works once, for a few minutes, and a
// client gets only a few wrong tries a minute.
const (
	CodeTTL      = 10 * time.Minute
	SessionTTL   = 30 * 24 * time.Hour
	FailureLimit = 5           // wrong codes a client may send per FailureSpan
	FailureSpan  = time.Minute // the window of FailureLimit
)

// Result is what an attempt to log in came to.
type Result int

const (
	LoggedIn  Result = iota
	WrongCode        // wrong, used or expired
	Throttled        // too many wrong codes from this client lately
)

// Config is what the service needs.
type Config struct {
	DB     *store.DB
	Now    func() time.Time  // default time.Now
	Log    *slog.Logger      // default slog.Default()
	OnCode func(code string) // told each new current code (serve prints it)
}

// Service issues codes and sessions.
type Service struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	current  string                 // the code serve shows, while unused and unexpired
	failures map[string][]time.Time // client -> recent wrong codes
}

// New makes the service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Service{cfg: cfg, log: cfg.Log.With("component", "auth"), failures: map[string][]time.Time{}}
}

// CurrentCode is the code `serve` shows: the same one until it is used or
// expires, then a new one (announced through OnCode).
func (s *Service) CurrentCode(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != "" {
		var n int
		err := s.cfg.DB.QueryRowContext(ctx, `SELECT count(*) FROM ui_login_codes WHERE code_hash = ? AND expires_at > ?`,
			hash(s.current), s.cfg.Now().Unix()).Scan(&n)
		if err != nil {
			return "", err
		}
		if n > 0 {
			return s.current, nil
		}
	}
	code, err := s.NewCode(ctx)
	if err != nil {
		return "", err
	}
	s.current = code
	if s.cfg.OnCode != nil {
		s.cfg.OnCode(code)
	}
	return code, nil
}

// NewCode makes another one-time code (`reelvault login-code`); each works
// once, within CodeTTL.
func (s *Service) NewCode(ctx context.Context) (string, error) {
	b := make([]byte, 5)
	rand.Read(b)
	c := base32.StdEncoding.EncodeToString(b) // 8 characters, easy to type
	code := c[:4] + "-" + c[4:]
	now := s.cfg.Now()
	if err := s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		// Expired codes go whenever a new one is made.
		if _, err := tx.ExecContext(ctx, `DELETE FROM ui_login_codes WHERE expires_at <= ?`, now.Unix()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ui_login_codes (code_hash, expires_at) VALUES (?, ?)`,
			hash(code), now.Add(CodeTTL).Unix())
		return err
	}); err != nil {
		return "", err
	}
	return code, nil
}

// LogIn trades a correct code for a session token. client is the caller's
// address: wrong codes are counted, and logged, per client.
func (s *Service) LogIn(ctx context.Context, code, client string) (token string, res Result, err error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	now := s.cfg.Now()
	s.mu.Lock()
	recent := s.recentFailures(client, now)
	s.mu.Unlock()
	if len(recent) >= FailureLimit {
		s.log.Warn("browser login refused: too many wrong codes", "client", client)
		return "", Throttled, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	token = hex.EncodeToString(b)
	used := false
	err = s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM ui_login_codes WHERE code_hash = ? AND expires_at > ?`, hash(code), now.Unix())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		used = true
		_, err = tx.ExecContext(ctx, `INSERT INTO ui_sessions (token_hash, created_at, expires_at, client) VALUES (?, ?, ?, ?)`,
			hash(token), now.Unix(), now.Add(SessionTTL).Unix(), client)
		return err
	})
	if err != nil {
		return "", WrongCode, err
	}
	if !used {
		s.mu.Lock()
		s.failures[client] = append(recent, now)
		s.mu.Unlock()
		s.log.Warn("browser login with a wrong or expired code", "client", client)
		return "", WrongCode, nil
	}
	s.mu.Lock()
	delete(s.failures, client)
	wasShown := code == s.current
	s.mu.Unlock()
	s.log.Info("browser logged in", "client", client)
	if wasShown {
		// The next browser needs a code at once: make and announce it now.
		if _, err := s.CurrentCode(ctx); err != nil {
			s.log.Warn("no new login code after a login", "err", err)
		}
	}
	return token, LoggedIn, nil
}

// recentFailures is client's wrong codes within FailureSpan; s.mu is held.
func (s *Service) recentFailures(client string, now time.Time) []time.Time {
	var recent []time.Time
	for _, t := range s.failures[client] {
		if now.Sub(t) < FailureSpan {
			recent = append(recent, t)
		}
	}
	if recent == nil {
		delete(s.failures, client)
	} else {
		s.failures[client] = recent
	}
	return recent
}

// Valid reports whether token is a live session.
func (s *Service) Valid(ctx context.Context, token string) bool {
	if token == "" {
		return false
	}
	var exp int64
	err := s.cfg.DB.QueryRowContext(ctx, `SELECT expires_at FROM ui_sessions WHERE token_hash = ?`, hash(token)).Scan(&exp)
	if errors.Is(err, sql.ErrNoRows) || err != nil {
		return false
	}
	return s.cfg.Now().Unix() < exp
}

// LogOut revokes a session.
func (s *Service) LogOut(ctx context.Context, token string) error {
	_, err := s.cfg.DB.ExecContext(ctx, `DELETE FROM ui_sessions WHERE token_hash = ?`, hash(token))
	return err
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
