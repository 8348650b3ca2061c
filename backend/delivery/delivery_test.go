package delivery_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/delivery"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/media"
	"reelvault/backend/playback"
)

// A public playback ID serves the master as highest.mp4 without a token:
// whole, in ranges, HEAD, conditional; with headers a player and a cache use.
func TestPublicHighestMP4(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	url := "/" + pid + "/highest.mp4"

	a := e.get(url)
	if a.status != http.StatusOK || !bytes.Equal(a.body, e.data) {
		t.Fatalf("GET highest.mp4: %d, %d bytes, want the master's %d", a.status, len(a.body), len(e.data))
	}
	for k, want := range map[string]string{"Content-Type": "video/mp4", "Accept-Ranges": "bytes", "Cache-Control": "no-cache"} {
		if got := a.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := a.header.Get("ETag")
	if len(etag) != 34 {
		t.Errorf("ETag = %q, want the master's checksum", etag)
	}
	r := e.do("GET", url, "Range", "bytes=100-199")
	if r.status != http.StatusPartialContent || !bytes.Equal(r.body, e.data[100:200]) ||
		r.header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(e.data)) {
		t.Errorf("Range: %d %q, %d bytes", r.status, r.header.Get("Content-Range"), len(r.body))
	}
	if r := e.do("GET", url, "Range", "bytes=-0"); r.status != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("empty suffix range: %d, want 416", r.status)
	}
	h := e.do("HEAD", url)
	if h.status != http.StatusOK || len(h.body) != 0 || h.header.Get("Content-Length") != fmt.Sprint(len(e.data)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", h.status, len(h.body), h.header.Get("Content-Length"))
	}
	if c := e.do("GET", url, "If-None-Match", etag); c.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", c.status)
	}
	if d := e.get(url + "?download=Pier%20take.mp4"); d.header.Get("Content-Disposition") == "" ||
		!strings.Contains(d.header.Get("Content-Disposition"), "Pier take.mp4") {
		t.Errorf("?download: Content-Disposition %q", d.header.Get("Content-Disposition"))
	}
	if p := e.do("POST", url); p.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", p.status)
	}
}

// Renditions are not served until an asset has them, with a message that
// says so; a live stream's playback ID serves no files.
func TestRenditionsAndLiveFilesAreNotFound(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	for _, name := range []string{"720p.mp4", "audio.m4a", "capped-1080p.mp4"} {
		a := e.get("/" + pid + "/" + name)
		if a.status != http.StatusNotFound || !contains(a.body, name) || !contains(a.body, "highest.mp4") {
			t.Errorf("%s: %d %q", name, a.status, short(a.body))
		}
	}
	live := e.playbackID(playback.ObjectLiveStream, "live1", playback.Public)
	if a := e.get("/" + live + "/highest.mp4"); a.status != http.StatusNotFound || !contains(a.body, "live stream") {
		t.Errorf("live highest.mp4: %d %q", a.status, short(a.body))
	}
	if a := e.get("/" + live + "/thumbnail.jpg?width=64"); a.status != http.StatusOK || probePicture(t, a.body).Width != 64 {
		t.Errorf("live thumbnail: %d", a.status)
	}
}

// A signed playback ID opens only with a token as Mux documents it; every
// other token is a 403 that says nothing more.
func TestSignedPlaybackTokens(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Signed)
	other := e.playbackID(playback.ObjectAsset, "asset1", playback.Signed)
	kid, key := e.signingKey()
	strangerKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	exp := e.clock.Now().Add(time.Hour).Unix()
	claims := func(extra ...any) jwt.MapClaims {
		c := jwt.MapClaims{"sub": pid, "aud": "v", "exp": exp}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == nil {
				delete(c, extra[i].(string))
			} else {
				c[extra[i].(string)] = extra[i+1]
			}
		}
		return c
	}
	good := token(t, kid, key, claims())
	url := "/" + pid + "/highest.mp4?token="
	if a := e.get(url + good); a.status != http.StatusOK || !bytes.Equal(a.body, e.data) {
		t.Fatalf("a good token: %d %q", a.status, short(a.body))
	} else if a.header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("signed Cache-Control = %q", a.header.Get("Cache-Control"))
	}
	// Mux's Node SDK puts kid in the claims, not the header.
	if a := e.get(url + token(t, "", key, claims("kid", kid))); a.status != http.StatusOK {
		t.Errorf("kid in the claims (mux.jwt): %d %s", a.status, short(a.body))
	}
	tampered := []byte(good)
	dot := bytes.IndexByte(tampered, '.')
	tampered[dot+5] ^= 1 // a bit of the payload
	hs256, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims()).SignedString([]byte("guess"))
	noneAlg, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for name, tok := range map[string]string{
		"no token":            "",
		"garbage":             "not-a-jwt",
		"expired":             token(t, kid, key, claims("exp", e.clock.Now().Add(-time.Second).Unix())),
		"no exp":              token(t, kid, key, claims("exp", nil)),
		"thumbnail aud":       token(t, kid, key, claims("aud", "t")),
		"no aud":              token(t, kid, key, claims("aud", nil)),
		"another playback ID": token(t, kid, key, claims("sub", other)),
		"unknown kid":         token(t, strings.Repeat("A", 44), key, claims()),
		"no kid":              token(t, "", key, claims()),
		"another key":         token(t, kid, strangerKey, claims()),
		"tampered":            string(tampered),
		"HS256":               hs256,
		"alg none":            noneAlg,
		"not yet valid":       token(t, kid, key, claims("nbf", e.clock.Now().Add(time.Hour).Unix())),
		"oversized":           strings.Repeat("a", 9000),
	} {
		a := e.get(url + tok)
		if a.status != http.StatusForbidden || !contains(a.body, "token") {
			t.Errorf("%s: %d %q, want 403", name, a.status, short(a.body))
		}
	}
	// The token expires by the clock.
	e.clock.Advance(2 * time.Hour)
	if a := e.get(url + good); a.status != http.StatusForbidden {
		t.Errorf("a token past its exp: %d", a.status)
	}
	e.clock.Advance(-2 * time.Hour)

	// A deleted signing key stops its tokens at once.
	if err := e.ids.DeleteKey(t.Context(), kid); err != nil {
		t.Fatal(err)
	}
	if a := e.get(url + good); a.status != http.StatusForbidden {
		t.Errorf("after the key's deletion: %d", a.status)
	}
}

// A deleted playback ID, or its asset gone, stops serving at once, with
// the same answer as an id that never existed.
func TestDeletedStopsServing(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	spare := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	if a := e.get("/" + pid + "/highest.mp4"); a.status != http.StatusOK {
		t.Fatalf("before: %d", a.status)
	}
	never := e.get("/" + strings.Repeat("Z", 44) + "/highest.mp4")
	if never.status != http.StatusNotFound {
		t.Fatalf("an unknown playback ID: %d", never.status)
	}
	if err := playback.Remove(t.Context(), e.db, playback.ObjectAsset, "asset1", pid); err != nil {
		t.Fatal(err)
	}
	if a := e.get("/" + pid + "/highest.mp4"); a.status != http.StatusNotFound || !bytes.Equal(a.body, never.body) {
		t.Errorf("a deleted playback ID: %d %q, want %q", a.status, a.body, never.body)
	}
	e.lib.remove("asset1")
	if a := e.get("/" + spare + "/thumbnail.jpg"); a.status != http.StatusNotFound || !bytes.Equal(a.body, never.body) {
		t.Errorf("the asset deleted: %d %q", a.status, short(a.body))
	}
}

// Thumbnails in Mux's three formats and fit modes, decoded by ffprobe at
// the size asked; numbers out of range are a 400 naming the parameter.
func TestThumbnails(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	base := "/" + pid + "/thumbnail."
	for _, c := range []struct {
		query, format, codec string
		w, h                 int
	}{
		{"", "jpg", "mjpeg", 320, 240},
		{"?width=160", "png", "png", 160, 120},
		{"?height=60&time=3.5", "webp", "webp", 80, 60},
		{"?width=100&height=100", "jpg", "mjpeg", 100, 75}, // preserve: within the box
		{"?width=100&height=100&fit_mode=pad", "jpg", "mjpeg", 100, 100},
		{"?width=50&height=100&fit_mode=crop", "png", "png", 50, 100},
		{"?width=90&height=30&fit_mode=stretch", "png", "png", 90, 30},
		{"?width=120&rotate=90", "jpg", "mjpeg", 120, 160},
		{"?time=4", "jpg", "mjpeg", 320, 240}, // the very end: the last picture
	} {
		a := e.get(base + c.format + c.query)
		if a.status != http.StatusOK {
			t.Errorf("%s%s: %d %q", c.format, c.query, a.status, short(a.body))
			continue
		}
		if ct := a.header.Get("Content-Type"); ct != map[string]string{"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[c.format] {
			t.Errorf("%s: Content-Type %q", c.format, ct)
		}
		p := probePicture(t, a.body)
		if p.Codec != c.codec || p.Width != c.w || p.Height != c.h {
			t.Errorf("%s%s: %s %dx%d, want %s %dx%d", c.format, c.query, p.Codec, p.Width, p.Height, c.codec, c.w, c.h)
		}
	}
	for query, names := range map[string]string{
		"?width=0":         "width",
		"?width=99999":     "width",
		"?height=-5":       "height",
		"?width=1.5":       "width",
		"?time=-1":         "time",
		"?time=abc":        "time",
		"?time=NaN":        "time",
		"?time=4.5":        "time",
		"?fit_mode=squash": "fit_mode",
		"?rotate=45":       "rotate",
		"?flip_v=maybe":    "flip_v",
		"?time=1e400":      "time",
		"?width=" + "9" + strings.Repeat("9", 40): "width",
	} {
		a := e.get(base + "jpg" + query)
		if a.status != http.StatusBadRequest || !contains(a.body, names) {
			t.Errorf("%s: %d %q, want a 400 naming %s", query, a.status, a.body, names)
		}
	}
}

// An audio-only master has no thumbnail: a 404 that says why, not a failed ffmpeg.
func TestAudioOnlyHasNoThumbnail(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	e.lib.change("asset1", func(m *delivery.Media) { m.NoPicture = true })
	if a := e.get("/" + pid + "/thumbnail.jpg"); a.status != http.StatusNotFound || !contains(a.body, "audio only") {
		t.Errorf("audio-only thumbnail: %d %q", a.status, short(a.body))
	}
	if a := e.get("/" + pid + "/highest.mp4"); a.status != http.StatusOK {
		t.Errorf("audio-only highest.mp4: %d", a.status)
	}
}

// The asset's thumbnail_time is the default frame, and the same picture
// asked twice is made once (kept on disk, within its bound).
func TestThumbnailDefaultFrameAndCache(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	url := "/" + pid + "/thumbnail.png?width=64"
	atDefault := e.get(url)
	atMiddle := e.get(url + "&time=2")
	atOne := e.get(url + "&time=1")
	if atDefault.status != 200 || atMiddle.status != 200 || atOne.status != 200 {
		t.Fatalf("statuses %d %d %d", atDefault.status, atMiddle.status, atOne.status)
	}
	// testsrc2 moves every frame: the middle (Mux's default) differs from 1 s.
	if !bytes.Equal(atDefault.body, atMiddle.body) || bytes.Equal(atDefault.body, atOne.body) {
		t.Errorf("the default frame is not the middle of the video")
	}
	one := 1.0
	e.lib.change("asset1", func(m *delivery.Media) { m.ThumbnailTime = &one })
	if a := e.get(url); !bytes.Equal(a.body, atOne.body) {
		t.Errorf("with thumbnail_time 1 the default frame is not the one at 1 s")
	}
	files, _ := filepath.Glob(filepath.Join(e.cache, "*.png"))
	if len(files) != 2 {
		t.Fatalf("%d pictures kept, want 2 (the middle and 1 s): %v", len(files), files)
	}
	before, _ := os.Stat(files[0])
	e.get(url + "&time=2")
	e.get(url + "&time=1")
	if files2, _ := filepath.Glob(filepath.Join(e.cache, "*.png")); len(files2) != 2 {
		t.Errorf("asked again, %d pictures kept, want still 2", len(files2))
	}
	if after, err := os.Stat(files[0]); err != nil || after.Size() != before.Size() {
		t.Errorf("a kept picture changed: %v", err)
	}
	if a := e.do("GET", url, "If-None-Match", atOne.header.Get("ETag")); a.status != http.StatusNotModified {
		t.Errorf("If-None-Match on a thumbnail: %d", a.status)
	}
	// Another asset's pictures stay when this one's are forgotten (it was deleted).
	other := e.playbackID(playback.ObjectLiveStream, "live1", playback.Public)
	if a := e.get("/" + other + "/thumbnail.png?width=64"); a.status != http.StatusOK {
		t.Fatalf("the live stream's thumbnail: %d", a.status)
	}
	e.thumbs.Forget("asset1")
	if left, _ := filepath.Glob(filepath.Join(e.cache, "*")); len(left) != 1 {
		t.Errorf("after Forget: %d pictures kept, want only the other asset's one: %v", len(left), left)
	}
}

// A signed thumbnail needs a "t" token; the params it carries win over the
// query's, as with Mux; a video token does not open a thumbnail.
func TestSignedThumbnail(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Signed)
	kid, key := e.signingKey()
	exp := e.clock.Now().Add(time.Hour).Unix()
	thumb := token(t, kid, key, jwt.MapClaims{"sub": pid, "aud": "t", "exp": exp, "width": 64, "time": "1"})
	a := e.get("/" + pid + "/thumbnail.jpg?width=300&token=" + thumb)
	if a.status != http.StatusOK {
		t.Fatalf("signed thumbnail: %d %q", a.status, short(a.body))
	}
	if p := probePicture(t, a.body); p.Width != 64 {
		t.Errorf("width %d, want the token's 64 over the query's 300", p.Width)
	}
	if h := e.get("/" + pid + "/thumbnail.jpg?height=30&token=" + thumb); probePicture(t, h.body).Height != 30 {
		t.Errorf("a param the token does not set is taken from the query")
	}
	video := token(t, kid, key, jwt.MapClaims{"sub": pid, "aud": "v", "exp": exp})
	if a := e.get("/" + pid + "/thumbnail.jpg?token=" + video); a.status != http.StatusForbidden {
		t.Errorf("a video token on a thumbnail: %d", a.status)
	}
	if a := e.get("/" + pid + "/thumbnail.jpg"); a.status != http.StatusForbidden {
		t.Errorf("no token: %d", a.status)
	}
	bad := token(t, kid, key, jwt.MapClaims{"sub": pid, "aud": "t", "exp": exp, "width": 0})
	if a := e.get("/" + pid + "/thumbnail.jpg?token=" + bad); a.status != http.StatusBadRequest {
		t.Errorf("a token's width out of range: %d", a.status)
	}
}

// A master whose file is gone or changed size is not served, and the
// archive is told.
func TestDamagedMaster(t *testing.T) {
	e := newEnv(t)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	e.lib.change("asset1", func(m *delivery.Media) { m.Master.Size++ })
	if a := e.get("/" + pid + "/highest.mp4"); a.status != http.StatusInternalServerError || !contains(a.body, "damaged") {
		t.Errorf("a master of the wrong size: %d %q", a.status, short(a.body))
	}
	select {
	case id := <-e.damaged:
		if id != "asset1" {
			t.Errorf("damage reported for %q", id)
		}
	default:
		t.Error("the damage was not reported")
	}
}

// The kept pictures stay within their bound: the least recently used go.
func TestThumbnailCacheBound(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "small")
	thumbs := &delivery.Thumbnails{Dir: dir, MaxBytes: 1} // nothing but the newest fits
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	h := &delivery.Handler{IDs: e.ids, Library: e.lib, Thumbnails: thumbs}
	for _, q := range []string{"?time=1", "?time=2", "?time=3"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+pid+"/thumbnail.jpg"+q, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Fatalf("%s: %d", q, rec.Code)
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 {
			t.Errorf("after %s: %d files kept, want only the newest", q, len(files))
		}
	}
}

// A client cannot queue unbounded pictures: beyond the workers and a short
// queue, a new picture is refused with 503 and Retry-After while the others
// are made, and is made once the queue has room.
func TestThumbnailQueueBound(t *testing.T) {
	e := newEnv(t)
	thumbs := &delivery.Thumbnails{Dir: filepath.Join(t.TempDir(), "q"), Workers: 1, MaxQueued: 2}
	release, started := make(chan struct{}), make(chan struct{}, 8)
	delivery.HoldFrames(thumbs, release, started)
	pid := e.playbackID(playback.ObjectAsset, "asset1", playback.Public)
	h := &delivery.Handler{IDs: e.ids, Library: e.lib, Thumbnails: thumbs}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before srv.Close: a failed test leaves no request held
	get := func(q string) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a queued fourth would hang
		t.Cleanup(cancel)
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/"+pid+"/thumbnail.jpg?width=32&"+q, nil)
		return srv.Client().Do(req)
	}
	// One being made, two queued: all three wait.
	results := make(chan int, 3)
	for _, q := range []string{"time=1", "time=2", "time=3"} {
		go func() {
			res, err := get(q)
			if err != nil {
				results <- 0
				return
			}
			res.Body.Close()
			results <- res.StatusCode
		}()
	}
	<-started // the worker holds the first
	deadline := time.Now().Add(10 * time.Second)
	for thumbs.Pending() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d pictures pending, want 3", thumbs.Pending())
		}
		runtime.Gosched()
	}
	res, err := get("time=3.5")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("a fourth picture with the queue full: %d Retry-After %q %q, want 503 with Retry-After",
			res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if thumbs.Pending() != 3 {
		t.Errorf("the refused picture was queued: %d pending", thumbs.Pending())
	}
	free()
	for range 3 {
		if code := <-results; code != http.StatusOK {
			t.Errorf("a queued picture: %d, want 200", code)
		}
	}
	if res, err := get("time=3.5"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("the refused picture asked again with room: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}

// A queued picture whose every client left is not made: a client that asks
// and hangs up cannot leave ffmpeg work behind.
func TestThumbnailAbandonedIsNotMade(t *testing.T) {
	e := newEnv(t)
	thumbs := &delivery.Thumbnails{Dir: filepath.Join(t.TempDir(), "a"), Workers: 1}
	release, started := make(chan struct{}), make(chan struct{}, 8)
	delivery.HoldFrames(thumbs, release, started)
	m, _ := e.lib.AssetMedia(context.Background(), "asset1")
	first := make(chan error, 1)
	go func() {
		_, err := thumbs.Picture(context.Background(), m, media.FrameOptions{Format: "jpg", At: 1, Width: 32})
		first <- err
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	left := make(chan error, 1)
	go func() {
		_, err := thumbs.Picture(ctx, m, media.FrameOptions{Format: "jpg", At: 2, Width: 32})
		left <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for thumbs.Pending() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the second picture was not queued")
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Fatalf("the client that left got %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for thumbs.Pending() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned picture is still pending")
		}
		runtime.Gosched()
	}
	select {
	case <-started:
		t.Error("ffmpeg ran for a picture nobody waits for")
	default:
	}
	if files, _ := filepath.Glob(filepath.Join(thumbs.Dir, "*.jpg")); len(files) != 1 {
		t.Errorf("%d pictures kept, want only the one asked for to the end", len(files))
	}
}

// No picture is made larger than 4096 pixels on a side, even when one side
// is asked and the other follows a very tall (or, rotated, very wide) video:
// a hostile width must not make ffmpeg build a picture of tens of megapixels.
func TestThumbnailOtherSideIsBounded(t *testing.T) {
	e := newEnv(t)
	tall := clips.Clip(t, "tall.mp4", testmedia.Join(testmedia.LavfiVideo("48x400", "25", "1"), testmedia.H264AAC())...)
	e.lib.change("tall", func(m *delivery.Media) {
		*m = delivery.Media{AssetID: "tall", Duration: 1,
			Master: delivery.File{Path: tall, Size: fileSize(t, tall), SHA256: testmedia.FileSHA256(t, tall)}}
	})
	pid := e.playbackID(playback.ObjectAsset, "tall", playback.Public)
	// Within bounds the picture is as before; past them, the long side is 4096
	// and the aspect is kept.
	for query, want := range map[string][2]int{
		"?width=1000":            {0, 4096}, // 1000 wide would be 8333 tall
		"?width=40":              {40, 333},
		"?height=1000&rotate=90": {4096, 0},
		"?height=4096":           {492, 4096},
	} {
		a := e.get("/" + pid + "/thumbnail.jpg" + query)
		if a.status != http.StatusOK {
			t.Errorf("%s: %d %q", query, a.status, short(a.body))
			continue
		}
		p := probePicture(t, a.body)
		long, short := max(p.Width, p.Height), min(p.Width, p.Height)
		aspect := float64(long) / float64(short)
		switch {
		case want[0] != 0 && want[1] != 0 && (p.Width != want[0] || p.Height != want[1]):
			t.Errorf("%s: %dx%d, want %dx%d", query, p.Width, p.Height, want[0], want[1])
		case long > 4096 || long < 4080 && (want[0] == 0 || want[1] == 0):
			t.Errorf("%s: %dx%d, want the long side at most (and about) 4096", query, p.Width, p.Height)
		case aspect < 400.0/48*0.98 || aspect > 400.0/48*1.02:
			t.Errorf("%s: %dx%d, the video's aspect (48x400) is not kept", query, p.Width, p.Height)
		}
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
