package httpapi

import (
	"net"
	"net/http"
	"strconv"

	"reelvault/backend/auth"
)

const sessionCookie = "reelvault_session"

// validSession reports whether the request carries a live browser session.
func (s *Server) validSession(r *http.Request) bool {
	if s.Auth == nil {
		return false
	}
	c, err := r.Cookie(sessionCookie)
	return err == nil && s.Auth.Valid(r.Context(), c.Value)
}

// handleLogin trades a one-time code for an HttpOnly, SameSite=Strict cookie.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.Auth == nil {
		writeError(w, http.StatusNotFound, errNotFound, "browser login is off here")
		return
	}
	var body struct {
		Code string `json:"code"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	token, res, err := s.Auth.LogIn(r.Context(), body.Code, clientAddress(r))
	switch {
	case err != nil:
		s.answerError(w, err)
	case res == auth.Throttled:
		w.Header().Set("Retry-After", strconv.Itoa(int(auth.FailureSpan.Seconds())))
		writeError(w, http.StatusTooManyRequests, errUnauthorized, "Too many wrong codes. Wait a minute, then use the code `reelvault serve` printed most recently, or run `reelvault login-code` for a new one.")
	case res == auth.WrongCode:
		writeError(w, http.StatusUnauthorized, errUnauthorized, "That code is not valid (each works once, for 10 minutes). Use the code `reelvault serve` printed most recently, or run `reelvault login-code` for a new one.")
	default:
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, MaxAge: int(auth.SessionTTL.Seconds())})
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleLogout ends the browser's session, here and for good.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && s.Auth != nil {
		if err := s.Auth.LogOut(r.Context(), c.Value); err != nil {
			s.answerError(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

// clientAddress is the caller's IP (its port changes per connection).
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
