package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The browser's live updates: GET /ui/v1/stream is a server-sent event
// stream that carries each change as it is committed.
func TestStreamSendsChangesAsServerSentEvents(t *testing.T) {
	env := newAPIEnv(t, apiOptions{feed: true})
	lines := env.openEventStream("/ui/v1/stream")
	// The comment line says the subscription is in place before anything changes.
	for lines.Scan() && lines.Text() != ": connected" {
	}

	created := env.request("POST", "/video/v1/assets", `{"input":"/nowhere/clip.mp4"}`)
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var asset struct{ Data struct{ ID string } }
	json.Unmarshal(created.body, &asset)

	event := ""
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "event: ") {
			event = strings.TrimPrefix(line, "event: ")
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && event == "event" {
			var raw map[string]string
			json.Unmarshal([]byte(data), &raw)
			if raw["type"] == "video.asset.created" && raw["object_id"] == asset.Data.ID && raw["object_type"] == "asset" {
				return
			}
		}
	}
	t.Fatalf("the stream ended without video.asset.created of %s: %v", asset.Data.ID, lines.Err())
}

// Without a feed the endpoint says so instead of hanging.
func TestStreamWithoutFeedAnswersNotImplemented(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	if r := env.request("GET", "/ui/v1/stream", ""); r.status != http.StatusNotImplemented {
		t.Fatalf("stream without a feed: %s", r)
	}
}
