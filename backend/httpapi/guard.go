package httpapi

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// sameOriginOnly refuses requests that a web page on another origin makes
// to the API (a browser attaches Origin / Sec-Fetch-Site to them), and
// requests whose Host is not this machine's when the listener is loopback
// (DNS rebinding). The desktop window's own origins are allowed; its
// requests (trusted: served in-process by Wails) carry Wails' own host.
func (s *Server) sameOriginOnly(next http.Handler, trusted bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "null" is what sandboxed frames, file:// pages and data: URLs send:
		// pages that are no origin of ours. Only the window's own in-process
		// webview (trusted), which nothing else can reach, may send it.
		if origin := r.Header.Get("Origin"); origin != "" && !(trusted && origin == "null") && !s.allowedOrigin(origin, r.Host) {
			writeError(w, http.StatusForbidden, errForbidden, "requests from another web origin are not allowed")
			return
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			writeError(w, http.StatusForbidden, errForbidden, "requests from another web origin are not allowed")
			return
		}
		if s.LoopbackOnly && !trusted && !isLoopbackHost(r.Host) {
			writeError(w, http.StatusForbidden, errForbidden, "this API answers only on this machine's loopback address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) allowedOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "wails": // the desktop window (wails://wails)
		return true
	case "http", "https":
		return strings.EqualFold(u.Host, host) || u.Hostname() == "wails.localhost"
	}
	return false
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Credentials is the API access token (HTTP Basic, as Mux).
type Credentials struct {
	TokenID, TokenSecret string
}

func (c Credentials) match(id, secret string) bool {
	okID := subtle.ConstantTimeCompare([]byte(id), []byte(c.TokenID)) == 1
	okSecret := subtle.ConstantTimeCompare([]byte(secret), []byte(c.TokenSecret)) == 1
	return okID && okSecret && c.TokenID != ""
}

// authenticated lets through requests with the access token (Basic or
// Bearer "id:secret") or a UI session cookie; others get 401.
func (s *Server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); ok && s.Credentials.match(id, secret) {
			next.ServeHTTP(w, r)
			return
		}
		if s.validSession(r) {
			next.ServeHTTP(w, r.WithContext(ByPerson(r.Context())))
			return
		}
		// A challenge on a page's own fetch makes browsers pop up their password
		// dialog (and hangs headless ones) instead of the UI's login screen.
		if mode := r.Header.Get("Sec-Fetch-Mode"); mode == "" || mode == "navigate" {
			w.Header().Set("WWW-Authenticate", `Basic realm="Reelvault"`)
		}
		writeError(w, http.StatusUnauthorized, errUnauthorized, "Unauthorized: use HTTP Basic with your access token id and secret")
	})
}

type personKey struct{}

// ByPerson marks a request as made by a person at Reelvault (the window, the browser UI, a
// second launch's "Open with"), not by a script with the access token: what it adds
// notifies on the desktop.
func ByPerson(ctx context.Context) context.Context { return context.WithValue(ctx, personKey{}, true) }

// byPerson reports whether r was marked by ByPerson.
func byPerson(r *http.Request) bool {
	v, _ := r.Context().Value(personKey{}).(bool)
	return v
}
