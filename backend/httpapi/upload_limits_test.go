package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
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

// Uploads receiving at once are bounded (each holds an open part file and memory): one more
// is answered 503 with a Retry-After, which UpChunk retries on, and changes nothing; an upload
// that finishes or is cancelled gives its place back.
func TestUploadsOpenAtOnceAreBounded(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true, configureIngest: func(c *ingest.Config) { c.MaxOpenUploads = 2 }})
	a, b, c := e.newUpload(`{}`), e.newUpload(`{}`), e.newUpload(`{}`)
	for _, u := range []uploadJSON{a, b} {
		if r := e.put(u.URL, []byte("0123456789"), "bytes 0-9/20"); r.status != http.StatusPermanentRedirect {
			t.Fatalf("a first chunk within the bound: %s, want 308", r)
		}
	}
	refused := func(what string) {
		t.Helper()
		for _, cr := range []string{"bytes 0-9/20", "bytes */20"} {
			var body []byte
			if cr == "bytes 0-9/20" {
				body = []byte("0123456789")
			}
			r := e.put(c.URL, body, cr)
			if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" ||
				!strings.Contains(errorMessage(r), "2 uploads at once") {
				t.Errorf("%s, Content-Range %q: %s (Retry-After %q), want 503 with a Retry-After saying 2 uploads at once is the most",
					what, cr, r, r.header.Get("Retry-After"))
			}
		}
		if got := e.getUpload(c.ID); got.Status != "waiting" || got.ReceivedBytes != 0 {
			t.Errorf("%s: the refused upload is %+v, want waiting with nothing received", what, got)
		}
	}
	refused("two uploads open")

	if r := e.put(a.URL, []byte("abcdefghij"), "bytes 10-19/20"); r.status != http.StatusOK {
		t.Fatalf("the last chunk of an open upload: %s, want 200", r)
	}
	if r := e.put(c.URL, []byte("0123456789"), "bytes 0-9/20"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("a chunk once an upload finished: %s, want 308", r)
	}
	d := e.newUpload(`{}`)
	if r := e.put(d.URL, []byte("0123456789"), "bytes 0-9/20"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("a third open upload again: %s, want 503", r)
	}
	if r := e.request("PUT", "/video/v1/uploads/"+b.ID+"/cancel", ""); r.status != http.StatusOK {
		t.Fatalf("cancel: %s", r)
	}
	if r := e.put(d.URL, []byte("0123456789"), "bytes 0-9/20"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("a chunk once an upload was cancelled: %s, want 308", r)
	}
}

// Content-Range's numbers are digits and nothing else (RFC 9110: 1*DIGIT), and what a range
// covers is said right even at the edge of int64; such requests change nothing.
func TestUploadContentRangeNumbersAreStrict(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{}`)
	for _, cr := range []string{"bytes +0-9/10", "bytes 0-+9/10", "bytes 0-9/+10", "bytes */+10", "bytes 0-9/1_0", "bytes ０-9/10"} {
		if r := e.put(u.URL, []byte("0123456789"), cr); r.status != http.StatusBadRequest {
			t.Errorf("Content-Range %q: %s, want 400", cr, r)
		}
	}
	r := e.put(u.URL, []byte("0123456789"), "bytes 0-9223372036854775807/*")
	if r.status != http.StatusBadRequest || !strings.Contains(errorMessage(r), "covers 9223372036854775808 bytes but the body has 10") {
		t.Errorf("a range of 2^63 bytes with a 10-byte body: %s, want 400 saying it covers 9223372036854775808 bytes", r)
	}
	if got := e.getUpload(u.ID); got.Status != "waiting" || got.ReceivedBytes != 0 {
		t.Errorf("after the refused requests the upload is %+v, want waiting with nothing received", got)
	}
}

// Once an upload's size is declared, no request writes past it: a chunk whose range runs past
// it without restating it (total "*"), or a body without a range that is longer, is refused
// with 400 and the bytes beyond what had arrived are not kept; the file finishes at its size.
func TestUploadNeverGrowsPastItsDeclaredSize(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, []byte("0123456789"), "bytes 0-9/20"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("the first chunk: %s, want 308", r)
	}
	long := append([]byte("0123456789"), bytes.Repeat([]byte("x"), 20)...)
	for _, try := range []struct {
		what, contentRange string
		body               []byte
	}{
		{"a chunk running past the size", "bytes 10-29/*", long[10:]},
		{"a whole-file PUT longer than the size", "", long},
	} {
		req, _ := http.NewRequest("PUT", u.URL, bytes.NewReader(try.body))
		if try.contentRange != "" {
			req.Header.Set("Content-Range", try.contentRange)
		} else {
			req.ContentLength = -1 // streamed: the length is only known at the body's end
		}
		if r := e.send(req); r.status != http.StatusBadRequest || !strings.Contains(errorMessage(r), "20 bytes") {
			t.Errorf("%s: %s, want 400 naming the declared 20 bytes", try.what, r)
		}
		if got := e.getUpload(u.ID); got.Status != "waiting" || got.ReceivedBytes != 10 {
			t.Fatalf("after %s the upload is %s with %d bytes, want waiting with its 10", try.what, got.Status, got.ReceivedBytes)
		}
	}
	if r := e.put(u.URL, []byte("abcdefghij"), "bytes 10-19/20"); r.status != http.StatusOK {
		t.Fatalf("the rest of the file: %s, want 200", r)
	}
	a, err := e.archive.Get(context.Background(), e.getUpload(u.ID).AssetID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(a.Input); string(got) != "0123456789abcdefghij" {
		t.Errorf("the finished file holds %q, want the 20 bytes sent within the size", got)
	}
}
