package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

const testIndexHTML = `<!doctype html><title>Reelvault</title><div id="app"></div>`

func testUI() fstest.MapFS {
	return fstest.MapFS{
		"index.html":         {Data: []byte(testIndexHTML)},
		"assets/app-1a2b.js": {Data: []byte(`console.log("reelvault")`)},
	}
}

func TestUIFilesAreServedWithoutCredentials(t *testing.T) {
	env := newAPIEnv(t, apiOptions{ui: testUI()})

	for _, p := range []string{"/", "/library", "/settings/webhooks"} {
		r := env.anonymous("GET", p, "")
		if r.status != http.StatusOK || string(r.body) != testIndexHTML {
			t.Errorf("GET %s: %d %q, want index.html (the UI's own routes survive a reload)", p, r.status, r.body)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q, want text/html", p, ct)
		}
		if r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: the UI may be framed by another site (X-Frame-Options %q)", p, r.header.Get("X-Frame-Options"))
		}
	}

	r := env.anonymous("GET", "/assets/app-1a2b.js", "")
	if r.status != http.StatusOK || string(r.body) != `console.log("reelvault")` {
		t.Errorf("GET a built asset: %d %q", r.status, r.body)
	}
	if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset Cache-Control = %q, want immutable", r.header.Get("Cache-Control"))
	}

	// A missing hashed file is a 404, not index.html cached for a year.
	r = env.anonymous("GET", "/assets/app-0000.js", "")
	if r.status != http.StatusNotFound || strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET a missing built asset: %d Cache-Control %q, want 404 and no long cache", r.status, r.header.Get("Cache-Control"))
	}

	r = env.anonymous("POST", "/", "")
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %s, want 405", r)
	}
	r = env.anonymous("HEAD", "/", "")
	if r.status != http.StatusOK {
		t.Errorf("HEAD /: %s, want 200", r)
	}
}

func TestNoUIBuiltStillServesTheAPI(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	if r := env.anonymous("GET", "/", ""); r.status != http.StatusNotFound {
		t.Errorf("GET / without a UI: %s, want 404", r)
	}
	if r := env.request("GET", "/video/v1/assets", ""); r.status != http.StatusOK {
		t.Errorf("the API without a UI: %s", r)
	}
}

func TestUIInfo(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	r := env.request("GET", "/ui/v1/info", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /ui/v1/info: %s", r)
	}
	var body struct {
		Data map[string]any `json:"data"`
	}
	decodeStrict(t, r, &body)
	for _, key := range []string{"version", "desktop", "share_base_url", "link_ttl_seconds", "api_url"} {
		if _, ok := body.Data[key]; !ok {
			t.Errorf("info has no %q: %s", key, r.body)
		}
	}
}

// Paths and methods the API does not have answer Mux's JSON error body, so a
// client that parses errors is not handed plain text.
func TestUnknownEndpointsAnswerJSON(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	apiError(t, env.request("GET", "/video/v1/nothing-here", ""), http.StatusNotFound, "not_found")
	r := env.request("POST", "/video/v1/assets/some-id", `{}`)
	apiError(t, r, http.StatusMethodNotAllowed, "invalid_parameters")
	if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "DELETE") {
		t.Errorf("405 Allow = %q, want the methods the path has", allow)
	}
	// Still behind the token: an unknown path does not reveal itself.
	apiError(t, env.anonymous("GET", "/video/v1/nothing-here", ""), http.StatusUnauthorized, "unauthorized")
	var raw json.RawMessage
	decodeStrict(t, env.request("GET", "/system/v1/nothing-here", ""), &raw)
}
