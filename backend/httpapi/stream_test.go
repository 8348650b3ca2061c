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

// The browser's live updates: GET /ui/v1/stream is a server-sent event
// stream that carries each change as it is committed.
func TestStreamSendsChangesAsServerSentEvents(t *testing.T) {
	env := newAPIEnv(t, apiOptions{feed: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := env.newRequest("GET", "/ui/v1/stream", "", true).WithContext(ctx)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %s, Content-Type %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
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
