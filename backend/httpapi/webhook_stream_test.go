package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Mux's webhook event stream (what `mux webhooks listen` reads): after its
// "connected" event, each event recorded from then on arrives once, in
// order, as the envelope a webhook endpoint gets. It needs the access token.
func TestWebhookEventStreamCarriesEventsInMuxEnvelope(t *testing.T) {
	env := newAPIEnv(t, apiOptions{webhooks: true})
	before := env.create(`{"input":"/nowhere/before.mp4"}`) // recorded before the stream opens: not sent
	apiError(t, env.anonymous("GET", "/system/v1/webhook-events/stream", ""), http.StatusUnauthorized, "unauthorized")

	lines := env.openEventStream("/system/v1/webhook-events/stream")
	for lines.Scan() && lines.Text() != "event: connected" {
	}
	for lines.Scan() && lines.Text() != "" { // the connected event's data
	}

	a := env.create(`{"input":"/nowhere/during.mp4","passthrough":"streamed"}`)
	env.request("PATCH", "/video/v1/assets/"+a.ID, `{"passthrough":"changed"}`)
	var got []string
	for len(got) < 2 && lines.Scan() {
		data, ok := strings.CutPrefix(lines.Text(), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Type   string `json:"type"`
			ID     string `json:"id"`
			Object struct {
				Type, ID string
			} `json:"object"`
			Environment struct{ ID string } `json:"environment"`
			CreatedAt   string              `json:"created_at"`
			Data        struct {
				ID, Passthrough string
			} `json:"data"`
			Attempts []any `json:"attempts"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("event is not JSON: %v: %s", err, data)
		}
		if ev.Object.ID == before.ID {
			t.Errorf("an event recorded before the stream opened was sent: %s", data)
		}
		if ev.ID == "" || ev.Environment.ID == "" || ev.CreatedAt == "" || ev.Attempts == nil || ev.Object.Type != "asset" || ev.Data.ID != a.ID {
			t.Errorf("not Mux's envelope: %s", data)
		}
		got = append(got, ev.Type+":"+ev.Data.Passthrough)
	}
	if want := []string{"video.asset.created:streamed", "video.asset.updated:changed"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("stream carried %v, want %v (%v)", got, want, lines.Err())
	}
}

// openEventStream opens a server-sent event stream with the access token
// (closed, with a 20 s deadline, when the test ends) and reads it by lines.
func (e *apiEnv) openEventStream(path string) *bufio.Scanner {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	e.t.Cleanup(cancel)
	resp, err := http.DefaultClient.Do(e.newRequest("GET", path, "", true).WithContext(ctx))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		e.t.Fatalf("%s: %s, Content-Type %q", path, resp.Status, resp.Header.Get("Content-Type"))
	}
	return bufio.NewScanner(resp.Body)
}
