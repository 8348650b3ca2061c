package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// A failure on the server's side answers 500 with a generic message: the
// detail (here SQLite's "database is closed", which could as well hold a
// path) goes to the log, never to the client.
func TestInternalErrorAnswersGenerically(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":"/videos/a.mp4"}`)
	env.db.Close() // every query fails from here on
	r := env.request("GET", "/video/v1/assets/"+a.ID, "")
	if r.status != http.StatusInternalServerError {
		t.Fatalf("GET with the database closed: %s, want 500", r)
	}
	const want = `{"error":{"type":"failed_request","messages":["internal error"]}}`
	if got := strings.TrimSpace(string(r.body)); got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
	if logs := env.logs.String(); !strings.Contains(logs, "request failed") || !strings.Contains(logs, "closed") {
		t.Errorf("the log does not hold the failure's detail:\n%s", logs)
	}
}
