package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const sessionCookie = "reelvault_session"

// Login codes are typed by a person, so they are short; what keeps them
// from being guessed is that each works once, for a few minutes, and a
// client gets only a few wrong tries a minute.
const (
	loginCodeTTL      = 10 * time.Minute
	loginFailureLimit = 5           // wrong codes a client may send per window
	loginFailureSpan  = time.Minute // the window
)

// sessions lets a browser use the UI without the API secret ever being in
// a page or URL: `serve` prints a one-time login code, the UI trades it for
// an HttpOnly, SameSite=Strict cookie. Each code works once and expires; a
// new one is made (and announced) when it is used or has expired.
type sessions struct {
	mu       sync.Mutex
	code     string
	codeExp  time.Time
	byToken  map[string]time.Time   // token -> expiry
	failures map[string][]time.Time // client address -> recent wrong codes
	ttl      time.Duration
	onCode   func(code string)
	now      func() time.Time
	log      *slog.Logger
}

func newSessions(onCode func(string), now func() time.Time, log *slog.Logger) *sessions {
	s := &sessions{byToken: map[string]time.Time{}, failures: map[string][]time.Time{},
		ttl: 30 * 24 * time.Hour, onCode: onCode, now: now, log: log}
	s.newCode()
	return s
}

// LoginCode is the code that logs a browser in now.
func (s *sessions) LoginCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renewIfExpired()
	return s.code
}

func (s *sessions) renewIfExpired() {
	if !s.now().Before(s.codeExp) {
		s.newCode()
	}
}

func (s *sessions) newCode() {
	b := make([]byte, 5)
	rand.Read(b)
	c := base32.StdEncoding.EncodeToString(b) // 8 characters, easy to type
	s.code = c[:4] + "-" + c[4:]
	s.codeExp = s.now().Add(loginCodeTTL)
	if s.onCode != nil {
		s.onCode(s.code)
	}
}

// loginResult is what an attempt to redeem a code came to.
type loginResult int

const (
	loginOK loginResult = iota
	loginWrong
	loginThrottled
)

// redeem trades a correct, unexpired code for a session token. client is
// the caller's address: wrong codes are counted per client.
func (s *sessions) redeem(code, client string) (token string, res loginResult) {
	code = strings.ToUpper(strings.TrimSpace(code))
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	recent := s.recentFailures(client, now)
	if len(recent) >= loginFailureLimit {
		return "", loginThrottled
	}
	s.renewIfExpired()
	if code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(s.code)) != 1 {
		s.failures[client] = append(recent, now)
		return "", loginWrong
	}
	delete(s.failures, client)
	b := make([]byte, 32)
	rand.Read(b)
	token = hex.EncodeToString(b)
	s.byToken[token] = now.Add(s.ttl)
	s.newCode()
	return token, loginOK
}

// recentFailures is client's wrong codes within the window (older ones are forgotten).
func (s *sessions) recentFailures(client string, now time.Time) []time.Time {
	var recent []time.Time
	for _, t := range s.failures[client] {
		if now.Sub(t) < loginFailureSpan {
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

func (s *sessions) valid(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.byToken[c.Value]
	if ok && s.now().After(exp) {
		delete(s.byToken, c.Value)
		return false
	}
	return ok
}

func (s *sessions) handleLogin(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Code string `json:"code"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		answerError(w, s.log, err)
		return
	}
	client := clientAddress(r)
	token, res := s.redeem(body.Code, client)
	switch res {
	case loginThrottled:
		s.log.Warn("browser login refused: too many wrong codes", "client", client)
		w.Header().Set("Retry-After", strconv.Itoa(int(loginFailureSpan.Seconds())))
		writeError(w, http.StatusTooManyRequests, errUnauthorized, "Too many wrong codes. Wait a minute, then use the code `reelvault serve` printed most recently.")
		return
	case loginWrong:
		s.log.Warn("browser login with a wrong or expired code", "client", client)
		writeError(w, http.StatusUnauthorized, errUnauthorized, "That code is not valid. Use the code `reelvault serve` printed most recently.")
		return
	}
	s.log.Info("browser logged in", "client", client)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.ttl.Seconds())})
	w.WriteHeader(http.StatusNoContent)
}

// clientAddress is the caller's IP (its port changes per connection).
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
