package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

const sessionCookie = "reelvault_session"

// sessions lets a browser use the UI without the API secret ever being in
// a page or URL: `serve` prints a one-time login code, the UI trades it for
// an HttpOnly, SameSite=Strict cookie. Each code works once; a new one is
// made (and logged) when it is used.
type sessions struct {
	mu      sync.Mutex
	code    string
	byToken map[string]time.Time // token -> expiry
	ttl     time.Duration
	onCode  func(code string)
}

func newSessions(onCode func(string)) *sessions {
	s := &sessions{byToken: map[string]time.Time{}, ttl: 30 * 24 * time.Hour, onCode: onCode}
	s.newCode()
	return s
}

// LoginCode is the code that logs a browser in now.
func (s *sessions) LoginCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

func (s *sessions) newCode() {
	b := make([]byte, 5)
	rand.Read(b)
	c := base32.StdEncoding.EncodeToString(b) // 8 characters, easy to type
	s.code = c[:4] + "-" + c[4:]
	if s.onCode != nil {
		s.onCode(s.code)
	}
}

// redeem trades a correct code for a session token.
func (s *sessions) redeem(code string) (token string, ok bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(s.code)) != 1 {
		return "", false
	}
	b := make([]byte, 32)
	rand.Read(b)
	token = hex.EncodeToString(b)
	s.byToken[token] = time.Now().Add(s.ttl)
	s.newCode()
	return token, true
}

func (s *sessions) valid(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.byToken[c.Value]
	if ok && time.Now().After(exp) {
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
		badRequest(w, err)
		return
	}
	token, ok := s.redeem(body.Code)
	if !ok {
		writeError(w, http.StatusUnauthorized, errUnauthorized, "That code is not valid. Use the code `reelvault serve` printed most recently.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.ttl.Seconds())})
	w.WriteHeader(http.StatusNoContent)
}
