package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/ingest"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// One PUT of the whole file, with no credentials, creates the asset that
// new_asset_settings describe; the file is kept as the asset's input.
func TestUploadSinglePUTBecomesAsset(t *testing.T) {
	src := makeClip(t, "160x90", "2")
	data, _ := os.ReadFile(src)
	e := newAPIEnv(t, apiOptions{ingest: true, runJobs: true})

	u := e.newUpload(`{"new_asset_settings": {"master_access": "temporary", "passthrough": "reel-7", "playback_policies": ["public"]}, "cors_origin": "https://app.example.com"}`)
	if u.Status != "waiting" || u.Timeout != 3600 || u.CORSOrigin != "https://app.example.com" {
		t.Errorf("new upload %+v: want waiting, timeout 3600 and the cors_origin", u)
	}
	if !strings.Contains(string(u.NewAssetSettings), `"playback_policies":["public"]`) {
		t.Errorf("new_asset_settings %s: Mux echoes the settings as given", u.NewAssetSettings)
	}
	parsed, err := url.Parse(u.URL)
	if err != nil || !strings.HasPrefix(u.URL, e.server.URL+"/") || parsed.Query().Get("token") == "" {
		t.Fatalf("url %q: want an absolute URL on the API listener carrying a token", u.URL)
	}

	r := e.put(u.URL, data, "")
	if r.status != http.StatusOK {
		t.Fatalf("PUT the file: %s", r)
	}
	done := e.getUpload(u.ID)
	if done.Status != "asset_created" || done.AssetID == "" {
		t.Fatalf("after the PUT: %+v, want asset_created with an asset_id", done)
	}
	a := e.waitAsset(done.AssetID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if a.Status != "ready" || a.Master == nil || a.Passthrough != "reel-7" {
		t.Fatalf("asset %+v: want ready, with master access and the passthrough from new_asset_settings", a)
	}
	if a.Duration < 1.9 || a.Duration > 2.1 {
		t.Errorf("asset duration %.2f, want the clip's 2 s", a.Duration)
	}
	var extra struct {
		Data struct {
			UploadID    string           `json:"upload_id"`
			IngestType  string           `json:"ingest_type"`
			Source      string           `json:"source"`
			Input       string           `json:"input"`
			PlaybackIDs []playbackIDJSON `json:"playback_ids"`
		} `json:"data"`
	}
	json.Unmarshal(e.request("GET", "/video/v1/assets/"+a.ID, "").body, &extra)
	if len(extra.Data.PlaybackIDs) != 1 || extra.Data.PlaybackIDs[0].Policy != "public" {
		t.Errorf("playback_ids %+v, want the public one new_asset_settings asked for", extra.Data.PlaybackIDs)
	}
	if extra.Data.UploadID != u.ID || extra.Data.IngestType != "on_demand_direct_upload" || extra.Data.Source != "upload" {
		t.Errorf("asset origin %+v, want upload %s, on_demand_direct_upload", extra.Data, u.ID)
	}
	kept, err := os.ReadFile(extra.Data.Input)
	if err != nil || !bytes.Equal(kept, data) || filepath.Dir(extra.Data.Input) != filepath.Join(e.dataDir, "uploads") {
		t.Errorf("the uploaded file (%s, %v) must be kept byte for byte under uploads/", extra.Data.Input, err)
	}
	if ev := e.eventTypesOf(u.ID); !hasAll(ev, "video.upload.created", "video.upload.asset_created") {
		t.Errorf("upload events %v", ev)
	}
}

// UpChunk's protocol: chunks in order with Content-Range, 308 with Range in
// between; a retried chunk is accepted, a gap and an overlap with other
// content are refused with the byte to resume from; a dropped connection
// keeps what arrived and the upload resumes from there.
func TestUploadChunkedWithRetryGapOverlapAndDrop(t *testing.T) {
	src := makeClip(t, "320x180", "3")
	data, _ := os.ReadFile(src)
	total := int64(len(data))
	c := total / 4
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{"new_asset_settings": {}}`)
	chunk := func(from, to int64) ([]byte, string) {
		return data[from : to+1], fmt.Sprintf("bytes %d-%d/%d", from, to, total)
	}
	expectRange := func(r reply, status int, last int64, what string) {
		t.Helper()
		if r.status != status || r.header.Get("Range") != fmt.Sprintf("bytes=0-%d", last) {
			t.Fatalf("%s: %d Range %q (%s), want %d with bytes=0-%d", what, r.status, r.header.Get("Range"), errorMessage(r), status, last)
		}
	}

	body, cr := chunk(0, c-1)
	expectRange(e.put(u.URL, body, cr), http.StatusPermanentRedirect, c-1, "first chunk")
	expectRange(e.put(u.URL, body, cr), http.StatusPermanentRedirect, c-1, "the first chunk retried")

	body, cr = chunk(2*c, 3*c-1)
	r := e.put(u.URL, body, cr)
	expectRange(r, http.StatusRequestedRangeNotSatisfiable, c-1, "a gap")
	if !strings.Contains(errorMessage(r), fmt.Sprintf("start at byte %d", c)) {
		t.Errorf("gap message %q should name the next byte", errorMessage(r))
	}

	body, cr = chunk(c/2, c+c/2-1)
	body = append([]byte(nil), body...)
	body[10] ^= 0xff // other content where bytes were already received
	expectRange(e.put(u.URL, body, cr), http.StatusConflict, c-1, "an overlap with other content")

	body, cr = chunk(c/2, 2*c-1) // overlaps, with the same content: a resend
	expectRange(e.put(u.URL, body, cr), http.StatusPermanentRedirect, 2*c-1, "an overlap with the same content")

	// The connection drops half-way through the third chunk.
	dropMidChunk(t, u.URL, filepath.Join(e.dataDir, "uploads", u.ID+".part"), data[2*c:3*c], 2*c, total)
	var received int64
	waitFor(t, 10*time.Second, func() bool {
		r := e.put(u.URL, nil, fmt.Sprintf("bytes */%d", total))
		if r.status != http.StatusPermanentRedirect {
			t.Fatalf("status query: %s", r)
		}
		fmt.Sscanf(r.header.Get("Range"), "bytes=0-%d", &received)
		received++
		return received > 2*c
	}, "the bytes before the drop were not kept")
	if received >= 3*c {
		t.Fatalf("received %d after sending %d bytes of the third chunk", received, c/2)
	}
	if got := e.getUpload(u.ID); got.Status != "waiting" || got.ReceivedBytes != received {
		t.Errorf("upload during the transfer %+v, want waiting with %d bytes received", got, received)
	}

	body, cr = chunk(received, total-1) // resume from the last good byte
	r = e.put(u.URL, body, cr)
	if r.status != http.StatusOK {
		t.Fatalf("last chunk: %s", r)
	}
	done := e.getUpload(u.ID)
	if done.Status != "asset_created" {
		t.Fatalf("upload %+v, want asset_created", done)
	}
	if r := e.put(u.URL, body, cr); r.status != http.StatusOK {
		t.Errorf("the last chunk retried after completion: %s, want 200", r)
	}
	if r := e.put(u.URL, nil, fmt.Sprintf("bytes */%d", total)); r.status != http.StatusOK {
		t.Errorf("status query after completion: %s, want 200", r)
	}
	a := e.request("GET", "/video/v1/assets/"+done.AssetID, "")
	var in struct{ Data struct{ Input string } }
	json.Unmarshal(a.body, &in)
	kept, _ := os.ReadFile(in.Data.Input)
	if sha256.Sum256(kept) != sha256.Sum256(data) {
		t.Errorf("the assembled file (%d bytes) differs from the original (%d bytes)", len(kept), len(data))
	}
}

// dropMidChunk starts a chunk PUT over a raw connection, sends half the
// body and, once the server has written it to the upload's part file, hangs
// up, as a client on a flaky network does.
func dropMidChunk(t *testing.T, uploadURL, partFile string, chunk []byte, start, total int64) {
	t.Helper()
	u, _ := url.Parse(uploadURL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nContent-Range: bytes %d-%d/%d\r\n\r\n",
		u.RequestURI(), u.Host, len(chunk), start, start+int64(len(chunk))-1, total)
	half := chunk[:len(chunk)/2]
	conn.Write(half)
	waitFor(t, 10*time.Second, func() bool {
		st, err := os.Stat(partFile)
		return err == nil && st.Size() >= start+int64(len(half))
	}, "the server never wrote the first half of the chunk")
}

func waitFor(t *testing.T, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	if !testtime.Poll(timeout, cond) {
		t.Fatal(what)
	}
}

// Cancel ends a waiting upload and removes its bytes; only a waiting upload
// can be cancelled (403), and its URL then refuses bytes.
func TestUploadCancel(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, []byte("0123456789"), "bytes 0-9/100"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("first chunk: %s", r)
	}
	part := filepath.Join(e.dataDir, "uploads", u.ID+".part")
	if _, err := os.Stat(part); err != nil {
		t.Fatalf("no bytes on disk before cancel: %v", err)
	}
	r := e.request("PUT", "/video/v1/uploads/"+u.ID+"/cancel", "")
	if r.status != http.StatusOK || e.decodeUpload(r).Status != "cancelled" {
		t.Fatalf("cancel: %s", r)
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Errorf("the received bytes were not removed: %v", err)
	}
	if r := e.request("PUT", "/video/v1/uploads/"+u.ID+"/cancel", ""); r.status != http.StatusForbidden {
		t.Errorf("cancel again: %s, want 403", r)
	}
	if r := e.put(u.URL, []byte("0123456789"), "bytes 10-19/100"); r.status != http.StatusGone {
		t.Errorf("bytes after cancel: %s, want 410", r)
	}
	if r := e.request("PUT", "/video/v1/uploads/nope/cancel", ""); r.status != http.StatusNotFound {
		t.Errorf("cancel unknown: %s, want 404", r)
	}
	if ev := e.eventTypesOf(u.ID); !hasAll(ev, "video.upload.created", "video.upload.cancelled") {
		t.Errorf("events %v", ev)
	}
}

// A waiting upload past its timeout becomes timed_out and its bytes go.
func TestUploadTimesOut(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{"timeout": 60}`)
	if u.Timeout != 60 {
		t.Fatalf("timeout %d, want 60", u.Timeout)
	}
	e.put(u.URL, []byte("0123456789"), "bytes 0-9/100")
	if n, err := e.ingest.SweepUploads(t.Context()); err != nil || n != 0 {
		t.Fatalf("sweep before the timeout: %d, %v", n, err)
	}
	e.clock.Advance(61 * time.Second)
	if n, err := e.ingest.SweepUploads(t.Context()); err != nil || n != 1 {
		t.Fatalf("sweep after the timeout: %d timed out, %v", n, err)
	}
	if got := e.getUpload(u.ID); got.Status != "timed_out" {
		t.Errorf("status %q, want timed_out", got.Status)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, "uploads", u.ID+".part")); !os.IsNotExist(err) {
		t.Errorf("bytes of a timed-out upload kept: %v", err)
	}
	if r := e.put(u.URL, []byte("0123456789"), "bytes 10-19/100"); r.status != http.StatusGone {
		t.Errorf("bytes after the timeout: %s, want 410", r)
	}
}

// A file that is not a video still completes the upload; its asset errors
// with the reason, as any bad input does (Mux behaves the same).
func TestUploadOfNonVideo(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	e := newAPIEnv(t, apiOptions{ingest: true, runJobs: true})
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, []byte(strings.Repeat("just some text\n", 200)), ""); r.status != http.StatusOK {
		t.Fatalf("PUT: %s", r)
	}
	done := e.getUpload(u.ID)
	if done.Status != "asset_created" {
		t.Fatalf("upload %+v", done)
	}
	r := e.request("GET", "/video/v1/assets/"+done.AssetID, "")
	a := asset(t, r)
	a = e.waitAsset(a.ID, 30*time.Second, "errored", func(a assetJSON) bool { return a.Status != "preparing" })
	var body struct {
		Data struct {
			Status string `json:"status"`
			Errors struct {
				Type     string   `json:"type"`
				Messages []string `json:"messages"`
			} `json:"errors"`
		} `json:"data"`
	}
	json.Unmarshal(e.request("GET", "/video/v1/assets/"+a.ID, "").body, &body)
	if body.Data.Status != "errored" || body.Data.Errors.Type != "invalid_input" || len(body.Data.Errors.Messages) == 0 {
		t.Errorf("asset %+v: want errored with invalid_input and a reason", body.Data)
	}
}

// The upload URL answers CORS for its cors_origin only, needs its token,
// and nothing else.
func TestUploadURLCORSAndToken(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{"cors_origin": "https://app.example.com"}`)

	preflight := func(origin string) reply {
		req, _ := http.NewRequest("OPTIONS", u.URL, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", "content-range, content-type")
		return e.send(req)
	}
	r := preflight("https://app.example.com")
	if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "PUT") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Content-Range") {
		t.Errorf("preflight from the cors_origin: %d %v", r.status, r.header)
	}
	if r := preflight("https://evil.example"); r.status != http.StatusForbidden || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d %v, want 403 without CORS headers", r.status, r.header)
	}
	r = e.put(u.URL, []byte("0123456789"), "bytes 0-9/20", "Origin", "https://app.example.com")
	if r.status != http.StatusPermanentRedirect || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "Range") {
		t.Errorf("chunk from the cors_origin: %d %v, want 308 readable by the page", r.status, r.header)
	}

	parsed, _ := url.Parse(u.URL)
	q := parsed.Query()
	q.Set("token", "wrong"+q.Get("token"))
	parsed.RawQuery = q.Encode()
	if r := e.put(parsed.String(), []byte("x"), "bytes 10-10/20"); r.status != http.StatusForbidden {
		t.Errorf("a wrong token: %s, want 403", r)
	}
	parsed.RawQuery = ""
	if r := e.put(parsed.String(), []byte("x"), "bytes 10-10/20"); r.status != http.StatusForbidden {
		t.Errorf("no token: %s, want 403", r)
	}
	if r := e.put(e.server.URL+ingest.UploadPath+"nosuchupload?token=x", []byte("x"), ""); r.status != http.StatusNotFound {
		t.Errorf("unknown upload: %s, want 404", r)
	}
	if got := e.getUpload(u.ID); got.ReceivedBytes != 10 {
		t.Errorf("received %d bytes: refused requests must not write", got.ReceivedBytes)
	}
	// The rest of the API still refuses other origins.
	req := e.newRequest("GET", "/video/v1/uploads", "", true)
	req.Header.Set("Origin", "https://app.example.com")
	if r := e.send(req); r.status != http.StatusForbidden {
		t.Errorf("the API from the upload's origin: %s, want 403", r)
	}
}

// The size bound answers 413; bytes past it error the upload (a mere claim of
// a size over it refuses only its request: TestUploadClaimOverTheBoundRefusesOnlyThatRequest);
// bad parameters are 400.
func TestUploadLimitsAndValidation(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true, configureIngest: func(c *ingest.Config) { c.MaxUploadBytes = 1000 }})
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, bytes.Repeat([]byte("x"), 2000), ""); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 2000-byte PUT with a 1000-byte bound: %s, want 413", r)
	}
	u2 := e.newUpload(`{}`)
	if r := e.put(u2.URL, []byte("0123456789"), "bytes 0-9/5000"); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a declared total over the bound: %s, want 413", r)
	}
	// Streamed without a length: stopped at the bound, and the upload errors.
	u3 := e.newUpload(`{}`)
	req, _ := http.NewRequest("PUT", u3.URL, io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("y"), 3000))))
	req.ContentLength = -1
	if r := e.send(req); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("an unsized body over the bound: %s, want 413", r)
	}
	got := e.getUpload(u3.ID)
	if got.Status != "errored" || got.Error == nil || got.Error.Type != "file_too_large" {
		t.Errorf("upload %+v: want errored with file_too_large", got)
	}
	if ev := e.eventTypesOf(u3.ID); !hasAll(ev, "video.upload.errored") {
		t.Errorf("events %v", ev)
	}

	for body, field := range map[string]string{
		`{"timeout": 30}`:     "timeout",
		`{"timeout": 0}`:      "timeout",
		`{"timeout": 604801}`: "timeout",
		`{"new_asset_settings": {"max_resolution_tier": "8k"}}`:                                              "new_asset_settings.max_resolution_tier",
		`{"new_asset_settings": {"master_access": "forever"}}`:                                               "new_asset_settings.master_access",
		`{"new_asset_settings": "temporary"}`:                                                                "new_asset_settings",
		`{"new_asset_settings": {"mp4_support": "bogus"}}`:                                                   "new_asset_settings.mp4_support",
		`{"new_asset_settings": {"mp4_support": "standard", "static_renditions": [{"resolution": "720p"}]}}`: "new_asset_settings.mp4_support",
		`{"new_asset_settings": {"playback_policy": "drm"}}`:                                                 "new_asset_settings.playback_policies",
		`{"new_asset_settings": {"static_renditions": [{"resolution": "720p"}, {"resolution": "720p"}]}}`:    "new_asset_settings.static_renditions[1].resolution",
		`{"cors_origin": "not an origin"}`:                                                                   "cors_origin",
		`{"timeout": "long"}`:                                                                                "timeout",
	} {
		r := e.request("POST", "/video/v1/uploads", body)
		if r.status != http.StatusBadRequest || !strings.Contains(errorMessage(r), field) {
			t.Errorf("POST %s: %s, want 400 naming %s", body, r, field)
		}
	}
	if r := e.put(e.newUpload(`{}`).URL, []byte("abc"), "bytes 5-2/10"); r.status != http.StatusBadRequest {
		t.Errorf("a backwards Content-Range: %s, want 400", r)
	}
	if r := e.put(e.newUpload(`{}`).URL, []byte("abc"), "bytes 0-9/10"); r.status != http.StatusBadRequest {
		t.Errorf("a body shorter than its Content-Range: %s, want 400", r)
	}
	// A streamed body longer than its Content-Range says.
	u4 := e.newUpload(`{}`)
	req, _ = http.NewRequest("PUT", u4.URL, io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("z"), 20))))
	req.ContentLength = -1
	req.Header.Set("Content-Range", "bytes 0-9/100")
	if r := e.send(req); r.status != http.StatusBadRequest || e.getUpload(u4.ID).ReceivedBytes > 10 {
		t.Errorf("a streamed body longer than its range: %s, received %d", r, e.getUpload(u4.ID).ReceivedBytes)
	}
	if r := e.put(e.newUpload(`{}`).URL, []byte{}, ""); r.status != http.StatusBadRequest {
		t.Errorf("an empty PUT: %s, want 400", r)
	}
}

func TestUploadsList(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.newUpload(`{}`).ID)
		e.clock.Advance(time.Millisecond) // the next one is newer
	}
	var l struct{ Data []uploadJSON }
	json.Unmarshal(e.request("GET", "/video/v1/uploads", "").body, &l)
	if len(l.Data) != 3 || l.Data[0].ID != ids[2] || l.Data[2].ID != ids[0] {
		t.Errorf("list %+v: want the 3 uploads newest first", l.Data)
	}
	json.Unmarshal(e.request("GET", "/video/v1/uploads?limit=2&page=2", "").body, &l)
	if len(l.Data) != 1 || l.Data[0].ID != ids[0] {
		t.Errorf("page 2 of 2: %+v", l.Data)
	}
	if r := e.request("GET", "/video/v1/uploads?limit=500", ""); r.status != http.StatusBadRequest {
		t.Errorf("limit 500: %s", r)
	}
	if r := e.anonymous("GET", "/video/v1/uploads", ""); r.status != http.StatusUnauthorized {
		t.Errorf("without the token: %s, want 401", r)
	}
}

// A client whose connection hangs mid-chunk (no FIN, nothing sent) retries
// the chunk on a new connection: the retry takes over at once instead of
// waiting for the dead request to time out.
func TestUploadRetryTakesOverAHungRequest(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	u := e.newUpload(`{}`)
	data := bytes.Repeat([]byte("abcdefgh"), 64<<10) // 512 KiB
	parsed, _ := url.Parse(u.URL)
	hung, err := net.Dial("tcp", parsed.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Close()
	fmt.Fprintf(hung, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nContent-Range: bytes 0-%d/%d\r\n\r\n",
		parsed.RequestURI(), parsed.Host, len(data), len(data)-1, len(data))
	hung.Write(data[:100<<10])
	waitFor(t, 5*time.Second, func() bool { return e.getUpload(u.ID).ReceivedBytes == 100<<10 }, "the first request's bytes did not arrive")

	start := time.Now()
	r := e.put(u.URL, data, fmt.Sprintf("bytes 0-%d/%d", len(data)-1, len(data)))
	if r.status != http.StatusOK {
		t.Fatalf("retry: %s", r)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the retry waited %s for the hung request", took)
	}
	if got := e.getUpload(u.ID); got.Status != "asset_created" {
		t.Errorf("upload %+v, want asset_created", got)
	}
}

// A bad chunk is refused on its own and changes nothing; once the upload is
// complete, a chunk sent again is read: the same bytes answer 200, other
// bytes 409, and the finished file is never touched.
func TestUploadKeepsWhatItHas(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true, configureIngest: func(c *ingest.Config) { c.MaxUploadBytes = 1000 }})
	data := []byte("0123456789abcdefghij")
	u := e.newUpload(`{}`)
	if r := e.put(u.URL, data[:10], "bytes 0-9/20"); r.status != http.StatusPermanentRedirect {
		t.Fatalf("first chunk: %s", r)
	}
	// Over the size bound, and contradicting the 20 bytes already declared.
	if r := e.put(u.URL, data[10:], "bytes 10-19/5000"); r.status != http.StatusBadRequest {
		t.Fatalf("a chunk contradicting the declared size: %s, want 400", r)
	}
	if got := e.getUpload(u.ID); got.Status != "waiting" || got.ReceivedBytes != 10 {
		t.Fatalf("after the bad chunk the upload is %s with %d bytes, want waiting with 10", got.Status, got.ReceivedBytes)
	}
	r := e.put(u.URL, data[10:], "bytes 10-19/20")
	if r.status != http.StatusOK {
		t.Fatalf("last chunk: %s", r)
	}
	done := e.getUpload(u.ID)
	if done.Status != "asset_created" {
		t.Fatalf("upload %s, want asset_created", done.Status)
	}
	a, err := e.archive.Get(context.Background(), done.AssetID)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.put(u.URL, data[10:], "bytes 10-19/20"); r.status != http.StatusOK {
		t.Errorf("the last chunk resent with the same bytes: %s, want 200", r)
	}
	if r := e.put(u.URL, []byte("ABCDEFGHIJ"), "bytes 10-19/20"); r.status != http.StatusConflict {
		t.Errorf("the last chunk resent with other bytes: %s, want 409", r)
	}
	if got, _ := os.ReadFile(a.Input); !bytes.Equal(got, data) {
		t.Errorf("the finished file holds %q, want %q", got, data)
	}
}
