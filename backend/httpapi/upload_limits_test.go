package httpapi_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"reelvault/backend/ingest"
)

// A request claiming a file over the size bound (its Content-Range's total or end, or a whole-file
// PUT's Content-Length) is refused on its own, in words: nothing is written, the upload keeps
// waiting with what it had, and the file sent as it really is still finishes it.
func TestUploadClaimOverTheBoundRefusesOnlyThatRequest(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true, configureIngest: func(c *ingest.Config) { c.MaxUploadBytes = 2000 }})
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, bytes.Repeat([]byte("a"), 10), "bytes 0-9/*"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("the first chunk: %s, want 308", r)
	}
	for _, claim := range []struct {
		contentRange string
		body         []byte
	}{
		{"bytes 10-19/5000", bytes.Repeat([]byte("b"), 10)},
		{"bytes 10-19/9223372036854775807", bytes.Repeat([]byte("b"), 10)},
		{"bytes 2000-2009/*", bytes.Repeat([]byte("b"), 10)},
		{"bytes */5000", nil},
		{"", bytes.Repeat([]byte("a"), 3000)}, // the whole file, 3000 bytes by its Content-Length
	} {
		r := e.put(u.URL, claim.body, claim.contentRange)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(errorMessage(r), "limited to 2 KB") {
			t.Errorf("Content-Range %q: %s, want 413 saying the upload is limited to 2 KB", claim.contentRange, r)
		}
		if got := e.getUpload(u.ID); got.Status != "waiting" || got.ReceivedBytes != 10 || got.Error != nil {
			t.Fatalf("after Content-Range %q the upload is %+v, want it waiting with its 10 bytes", claim.contentRange, got)
		}
	}
	if ev := e.eventTypesOf(u.ID); slices.Contains(ev, "video.upload.errored") {
		t.Errorf("events %v: a refused request errored the upload", ev)
	}
	if r := e.put(u.URL, bytes.Repeat([]byte("b"), 10), "bytes 10-19/20"); r.status != http.StatusOK {
		t.Fatalf("the rest of the file after the refusals: %s, want 200", r)
	}
	if got := e.getUpload(u.ID); got.Status != "asset_created" {
		t.Errorf("upload %+v: want asset_created", got)
	}
}
