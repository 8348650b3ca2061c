package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPINeedsTheAccessToken(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})

	r := env.anonymous("GET", "/video/v1/assets", "")
	apiError(t, r, http.StatusUnauthorized, "unauthorized")
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
		t.Errorf("WWW-Authenticate = %q, want a Basic challenge", r.header.Get("WWW-Authenticate"))
	}

	// A browser page's own fetch gets no challenge: browsers would answer it
	// with their password dialog instead of letting the UI show its login.
	req := env.newRequest("GET", "/video/v1/assets", "", false)
	req.Header.Set("Sec-Fetch-Mode", "cors")
	fetched := env.send(req)
	apiError(t, fetched, http.StatusUnauthorized, "unauthorized")
	if c := fetched.header.Get("WWW-Authenticate"); c != "" {
		t.Errorf("a page's fetch got the challenge %q", c)
	}

	for name, set := range map[string]func(*http.Request){
		"wrong secret":   func(r *http.Request) { r.SetBasicAuth(testTokenID, "wrong") },
		"wrong id":       func(r *http.Request) { r.SetBasicAuth("someone", testTokenSecret) },
		"empty":          func(r *http.Request) { r.SetBasicAuth("", "") },
		"secret as id":   func(r *http.Request) { r.SetBasicAuth(testTokenSecret, testTokenID) },
		"bearer garbage": func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") },
		"forged cookie":  func(r *http.Request) { r.Header.Set("Cookie", "reelvault_session=00ff") },
	} {
		t.Run(name, func(t *testing.T) {
			req := env.newRequest("POST", "/video/v1/assets", `{"input":"/v/a.mp4"}`, false)
			set(req)
			apiError(t, env.send(req), http.StatusUnauthorized, "unauthorized")
		})
	}
	if n := len(env.list("").Data); n != 0 {
		t.Errorf("unauthorised requests created %d assets", n)
	}
	// Every API family is behind the token, the UI's own endpoints included.
	for _, p := range []string{"/video/v1/assets/x", "/system/v1/webhooks", "/ui/v1/info"} {
		apiError(t, env.anonymous("GET", p, ""), http.StatusUnauthorized, "unauthorized")
	}

	if r := env.request("GET", "/video/v1/assets", ""); r.status != http.StatusOK {
		t.Errorf("Basic with the token: %s", r)
	}
}

func TestBrowserLoginWithOneTimeCode(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	code := env.loginCode()
	if code == "" {
		t.Fatal("no login code")
	}
	if announced := latestCode(env); announced != code {
		t.Errorf("OnLoginCode was told %q, LoginCode is %q", announced, code)
	}

	r := env.anonymous("POST", "/ui/v1/session", `{"code":"AAAA-BBBB"}`)
	apiError(t, r, http.StatusUnauthorized, "unauthorized")
	if len(r.header.Values("Set-Cookie")) != 0 {
		t.Errorf("a wrong code set a cookie: %v", r.header.Values("Set-Cookie"))
	}
	apiError(t, env.anonymous("POST", "/ui/v1/session", `{}`), http.StatusUnauthorized, "unauthorized")

	// The code is typed by a person: case and spaces do not matter.
	r = env.anonymous("POST", "/ui/v1/session", `{"code":" `+strings.ToLower(code)+` "}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("login with the right code: %s, want 204", r)
	}
	cookies := (&http.Response{Header: r.header}).Cookies()
	if len(cookies) != 1 {
		t.Fatalf("login set %d cookies, want 1", len(cookies))
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Value == "" || c.Path != "/" {
		t.Errorf("session cookie %q: HttpOnly=%v SameSite=%v Path=%q, want HttpOnly, SameSite=Strict, Path=/", c.Name, c.HttpOnly, c.SameSite, c.Path)
	}

	req := env.newRequest("POST", "/video/v1/assets", `{"input":"/v/by-browser.mp4"}`, false)
	req.AddCookie(c)
	if r := env.send(req); r.status != http.StatusCreated {
		t.Errorf("create with the session cookie: %s", r)
	}
	req = env.newRequest("GET", "/ui/v1/info", "", false)
	req.AddCookie(c)
	if r := env.send(req); r.status != http.StatusOK {
		t.Errorf("UI info with the session cookie: %s", r)
	}

	// The code worked once; a new one is announced for the next browser.
	apiError(t, env.anonymous("POST", "/ui/v1/session", `{"code":"`+code+`"}`), http.StatusUnauthorized, "unauthorized")
	next := env.loginCode()
	if next == code || latestCode(env) != next {
		t.Errorf("after use the code is %q (announced %q), want a new one announced", next, latestCode(env))
	}
	if r := env.anonymous("POST", "/ui/v1/session", `{"code":"`+next+`"}`); r.status != http.StatusNoContent {
		t.Errorf("the new code: %s", r)
	}
}

// A login code works for minutes, not forever: once it has expired it is
// refused and a new one is announced.
func TestLoginCodeExpires(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	code := env.loginCode()
	latestCode(env)
	env.clock.Advance(11 * time.Minute)
	apiError(t, env.anonymous("POST", "/ui/v1/session", `{"code":"`+code+`"}`), http.StatusUnauthorized, "unauthorized")
	next := env.loginCode()
	if next == code || latestCode(env) != next {
		t.Fatalf("after expiry the code is %q, want a new one announced", next)
	}
	if r := env.anonymous("POST", "/ui/v1/session", `{"code":"`+next+`"}`); r.status != http.StatusNoContent {
		t.Errorf("the new code: %s", r)
	}
}

// Guessing is slowed to a few tries a minute per client, and logged; even
// the right code is refused while a client is throttled.
func TestLoginGuessesAreLimited(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	code := env.loginCode()
	for i := 0; i < 5; i++ {
		apiError(t, env.anonymous("POST", "/ui/v1/session", `{"code":"WRNG-CODE"}`), http.StatusUnauthorized, "unauthorized")
	}
	r := env.anonymous("POST", "/ui/v1/session", `{"code":"`+code+`"}`)
	if r.status != http.StatusTooManyRequests || len(r.header.Values("Set-Cookie")) != 0 || r.header.Get("Retry-After") == "" {
		t.Fatalf("the 6th try within a minute: %s, want 429 with Retry-After and no cookie", r)
	}
	if logs := env.logs.String(); !strings.Contains(logs, "too many wrong codes") || !strings.Contains(logs, "wrong or expired code") {
		t.Errorf("failed logins were not logged:\n%s", logs)
	}
	env.clock.Advance(61 * time.Second)
	if r := env.anonymous("POST", "/ui/v1/session", `{"code":"`+code+`"}`); r.status != http.StatusNoContent {
		t.Errorf("the right code a minute later: %s", r)
	}
}

// latestCode is the last code announced through OnLoginCode. Codes are
// announced before the request that made them is answered, so every one is
// in the channel already: no waiting.
func latestCode(env *apiEnv) string {
	var last string
	for {
		select {
		case c := <-env.codes:
			last = c
		default:
			return last
		}
	}
}

func TestOtherWebOriginsAreRefused(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	self := strings.TrimPrefix(env.server.URL, "http://")
	cases := []struct {
		name   string
		set    func(*http.Request)
		status int
	}{
		{"evil Origin", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden},
		{"evil Origin with our port", func(r *http.Request) {
			r.Header.Set("Origin", "http://evil.example:"+strings.Split(self, ":")[1])
		}, http.StatusForbidden},
		{"other local port", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:3000") }, http.StatusForbidden},
		{"null Origin (sandboxed frame, file:// page)", func(r *http.Request) { r.Header.Set("Origin", "null") }, http.StatusForbidden},
		{"cross-site fetch", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, http.StatusForbidden},
		{"rebound DNS name", func(r *http.Request) { r.Host = "evil.example:8910" }, http.StatusForbidden},
		{"same origin", func(r *http.Request) {
			r.Header.Set("Origin", "http://"+self)
			r.Header.Set("Sec-Fetch-Site", "same-origin")
		}, http.StatusCreated},
		{"localhost name", func(r *http.Request) { r.Host = "localhost:" + strings.Split(self, ":")[1] }, http.StatusCreated},
		{"no Origin (curl, scripts)", func(r *http.Request) {}, http.StatusCreated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(env.list("").Data)
			req := env.newRequest("POST", "/video/v1/assets", `{"input":"/v/a.mp4"}`, true) // valid credentials
			c.set(req)
			r := env.send(req)
			if r.status != c.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, c.status, r.body)
			}
			after := len(env.list("").Data)
			if c.status == http.StatusForbidden {
				apiError(t, r, http.StatusForbidden, "forbidden")
				if after != before {
					t.Errorf("a refused request created an asset")
				}
			}
		})
	}
	// A web page elsewhere cannot log itself in with a stolen code either.
	req := env.newRequest("POST", "/ui/v1/session", `{"code":"`+env.loginCode()+`"}`, false)
	req.Header.Set("Origin", "http://evil.example")
	if r := env.send(req); r.status != http.StatusForbidden || len(r.header.Values("Set-Cookie")) != 0 {
		t.Errorf("cross-origin login: %s, want 403 without a cookie", r)
	}
}

func TestTrustedHandlerNeedsNoCredentials(t *testing.T) {
	env := newAPIEnv(t, apiOptions{trusted: true})
	r := env.anonymous("POST", "/video/v1/assets", `{"input":"/v/a.mp4"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create through the trusted handler without credentials: %s", r)
	}
	if r := env.anonymous("GET", "/ui/v1/info", ""); r.status != http.StatusOK {
		t.Errorf("info through the trusted handler: %s", r)
	}
	// The desktop window's own origin is welcome; a web page's is not.
	req := env.newRequest("GET", "/video/v1/assets", "", false)
	req.Header.Set("Origin", "wails://wails")
	if r := env.send(req); r.status != http.StatusOK {
		t.Errorf("the window's origin: %s", r)
	}
	// Wails serves the window's requests in-process under its own host name.
	req = env.newRequest("GET", "/video/v1/assets", "", false)
	req.Host = "wails.localhost"
	req.Header.Set("Origin", "http://wails.localhost")
	if r := env.send(req); r.status != http.StatusOK {
		t.Errorf("the window's own host: %s", r)
	}
	req = env.newRequest("GET", "/video/v1/assets", "", false)
	req.Header.Set("Origin", "http://evil.example")
	if r := env.send(req); r.status != http.StatusForbidden {
		t.Errorf("another origin through the trusted handler: %s, want 403", r)
	}
}

// loginCode is the code serve would show now.
func (e *apiEnv) loginCode() string {
	e.t.Helper()
	code, err := e.auth.CurrentCode(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// Signing out ends the session on the server, not only in the browser: the
// same cookie no longer opens the API.
func TestSignOutEndsTheSession(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	r := env.anonymous("POST", "/ui/v1/session", `{"code":"`+env.loginCode()+`"}`)
	cookies := (&http.Response{Header: r.header}).Cookies()
	if r.status != http.StatusNoContent || len(cookies) != 1 {
		t.Fatalf("login: %s", r)
	}
	withCookie := func(method, path string) reply {
		req := env.newRequest(method, path, "", false)
		req.AddCookie(cookies[0])
		return env.send(req)
	}
	if r := withCookie("GET", "/ui/v1/info"); r.status != http.StatusOK {
		t.Fatalf("with the session: %s", r)
	}
	r = withCookie("DELETE", "/ui/v1/session")
	if r.status != http.StatusNoContent {
		t.Fatalf("sign out: %s", r)
	}
	if c := (&http.Response{Header: r.header}).Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("sign out did not clear the cookie: %v", r.header.Values("Set-Cookie"))
	}
	if r := withCookie("GET", "/ui/v1/info"); r.status != http.StatusUnauthorized {
		t.Errorf("the signed-out cookie still opens the API: %s", r)
	}
}
