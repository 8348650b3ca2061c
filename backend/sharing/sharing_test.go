package sharing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
	"reelvault/backend/sharing"
)

// The API answers the shape; three links for one asset are three
// recipients: revoking one answers 410 on it, and the other two download
// the exact master.
func TestThreeLinksRevokeOne(t *testing.T) {
	e := newEnv(t)
	var ls []linkJSON
	for _, label := range []string{"for the colourist", "for the client", "for the mixer"} {
		ls = append(ls, e.create(map[string]any{"asset_ids": []string{"a1"}, "label": label}))
	}
	l := ls[0]
	if l.Status != "active" || l.Label != "for the colourist" || l.Downloads != 0 || l.HasPassword || l.MaxDownloads != nil ||
		len(l.AssetIDs) != 1 || l.AssetIDs[0] != "a1" || !strings.HasPrefix(l.URL, e.share.URL+"/s/") {
		t.Fatalf("created link: %+v", l)
	}
	// The default expiry is 7 days, not never.
	if l.ExpiresAt == nil || *l.ExpiresAt != "2026-12-05T12:00:00Z" {
		t.Fatalf("default expiry: %v", l.ExpiresAt)
	}
	if len(l.Files) != 1 || l.Files[0].Kind != "master" || l.Files[0].SHA256 != e.sha || l.Files[0].Size != 3<<20+12345 ||
		l.Files[0].AssetID != "a1" || !strings.HasPrefix(l.Files[0].URL, l.URL+"/f/a1/master/") {
		t.Fatalf("files: %+v", l.Files)
	}
	if ls[0].URL == ls[1].URL || ls[1].URL == ls[2].URL {
		t.Fatal("links share a URL")
	}
	if code, b := e.call("DELETE", "/reelvault/v1/share-links/"+ls[1].ID, nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", code, b)
	}
	if got := e.get(ls[1].ID).Status; got != "revoked" {
		t.Fatalf("revoked link's status: %s", got)
	}
	for _, u := range []string{ls[1].URL, ls[1].Files[0].URL} {
		res, body := fetch(t, "GET", u)
		if res.StatusCode != http.StatusGone {
			t.Fatalf("revoked %s: %d", u, res.StatusCode)
		}
		mustNotContain(t, body, "Reel One", "colourist") // not "a1": a random nonce may hold it
	}
	for _, other := range []linkJSON{ls[0], ls[2]} {
		res, body := fetch(t, "GET", other.Files[0].URL)
		if res.StatusCode != http.StatusOK || sha(body) != e.sha {
			t.Fatalf("%s: %d, sha %s", other.Label, res.StatusCode, sha(body))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="Reel One_ the colourist's cut.mp4"`) {
			t.Errorf("Content-Disposition: %s", cd)
		}
		if got := e.waitDownloads(other.ID, 1); got.LastDownloadAt == nil {
			t.Errorf("%s after a download: %+v", other.Label, got)
		}
	}
	// ?asset_id= lists the asset's three links, newest first.
	code, b := e.call("GET", "/reelvault/v1/share-links?asset_id=a1", nil)
	var list struct{ Data []linkJSON }
	if err := json.Unmarshal(b, &list); code != 200 || err != nil || len(list.Data) != 3 {
		t.Fatalf("list: %d %s", code, b)
	}
	if code, _ := e.call("GET", "/reelvault/v1/share-links?asset_id=a2", nil); code != 200 {
		t.Fatal("list by other asset")
	}
	if code, b := e.call("GET", "/reelvault/v1/share-links?limit=101", nil); code != 400 {
		t.Fatalf("limit 101: %d %s", code, b)
	}
}

// Bad input is refused with a message naming the field, and creates nothing.
func TestCreateRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{}, "asset_ids"},
		{map[string]any{"asset_ids": []string{"nope"}}, "asset_ids"},
		{map[string]any{"asset_ids": []string{"a1", "a1"}}, "asset_ids"},
		{map[string]any{"asset_ids": []string{"a1"}, "expires_in": 5}, "expires_in"},
		{map[string]any{"asset_ids": []string{"a1"}, "expires_in": "soon"}, "expires_in"},
		{map[string]any{"asset_ids": []string{"a1"}, "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"},
		{map[string]any{"asset_ids": []string{"a1"}, "expires_at": "tomorrow"}, "expires_at"},
		{map[string]any{"asset_ids": []string{"a1"}, "expires_in": 3600, "expires_at": "2027-01-01T00:00:00Z"}, "expires_in"},
		{map[string]any{"asset_ids": []string{"a1"}, "max_downloads": -1}, "max_downloads"},
		{map[string]any{"asset_ids": []string{"a1"}, "files": []string{"4k"}}, "files"},
		{map[string]any{"asset_ids": []string{"a1"}, "files": []string{"master", "proxy"}}, "files"},
		{map[string]any{"asset_ids": []string{"a1"}, "label": strings.Repeat("x", 201)}, "label"},
		{map[string]any{"asset_ids": []string{"a1"}, "password": strings.Repeat("x", 129)}, "password"},
	} {
		code, b := e.call("POST", "/reelvault/v1/share-links", c.body)
		if code != http.StatusBadRequest || !strings.Contains(string(b), c.want) {
			t.Errorf("%v: %d %s", c.body, code, b)
		}
	}
	code, b := e.call("GET", "/reelvault/v1/share-links", nil)
	if code != 200 || !strings.Contains(string(b), `"data":[]`) {
		t.Fatalf("something was created: %s", b)
	}
	if code, _ := e.call("GET", "/reelvault/v1/share-links/nope", nil); code != 404 {
		t.Fatalf("unknown id: %d", code)
	}
	// "never" is allowed when asked for.
	if l := e.create(map[string]any{"asset_ids": []string{"a1"}, "expires_in": "never"}); l.ExpiresAt != nil {
		t.Fatalf("never: %v", *l.ExpiresAt)
	}
}

// A limit of 1 refuses a second full download but lets a resumed first one
// finish; the log has one complete download.
func TestLimitOneLetsAResumeFinish(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1"}, "max_downloads": 1})
	u := l.Files[0].URL
	first, b1 := fetch(t, "GET", u, "Range", "bytes=0-999999")
	if first.StatusCode != http.StatusPartialContent || len(b1) != 1_000_000 {
		t.Fatalf("first part: %d, %d bytes", first.StatusCode, len(b1))
	}
	rest, b2 := fetch(t, "GET", u, "Range", "bytes=1000000-")
	if rest.StatusCode != http.StatusPartialContent || sha(append(b1, b2...)) != e.sha {
		t.Fatalf("resume: %d, sha mismatch", rest.StatusCode)
	}
	got := e.waitDownloads(l.ID, 1)
	if got.Status != "exhausted" {
		t.Fatalf("after one download: %+v", got)
	}
	res, body := fetch(t, "GET", u)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("second full download: %d", res.StatusCode)
	}
	mustNotContain(t, body, "Reel One")
	if res, body := fetch(t, "GET", l.URL); res.StatusCode != http.StatusForbidden || strings.Contains(string(body), "Reel One") {
		t.Fatalf("exhausted landing page: %d", res.StatusCode)
	}
	ds := e.downloads(l.ID)
	if len(ds) != 1 || !ds[0].Complete || ds[0].BytesSent != 3<<20+12345 || ds[0].ClientAddress != "127.0.0.1" || ds[0].File != "master" {
		t.Fatalf("log: %+v", ds)
	}
	// Raising the limit opens it again.
	if code, b := e.call("PATCH", "/reelvault/v1/share-links/"+l.ID, map[string]any{"max_downloads": 2, "label": "again"}); code != 200 ||
		!strings.Contains(string(b), `"status":"active"`) || !strings.Contains(string(b), `"label":"again"`) {
		t.Fatalf("patch: %d %s", code, b)
	}
}

// A password link asks first; the right password opens it (a cookie for
// browsers, Basic auth for curl); too many wrong ones shut even the right
// one out for a while.
func TestPasswordLink(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1"}, "password": "s3cret words"})
	if !l.HasPassword {
		t.Fatal("has_password false")
	}
	var hash string
	if err := e.db.QueryRowContext(context.Background(), `SELECT password_hash FROM share_links WHERE id = ?`, l.ID).Scan(&hash); err != nil ||
		!strings.HasPrefix(hash, "$2") || strings.Contains(hash, "s3cret") {
		t.Fatalf("stored password: %q %v", hash, err)
	}
	res, body := fetch(t, "GET", l.URL)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), `type="password"`) {
		t.Fatalf("landing without password: %d", res.StatusCode)
	}
	mustNotContain(t, body, "Reel One")
	if res, _ := fetch(t, "GET", l.Files[0].URL); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("file without password: %d", res.StatusCode)
	}
	post := func(pw string) *http.Response {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(l.URL, url.Values{"password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	ok := post("s3cret words")
	if ok.StatusCode != http.StatusSeeOther || len(ok.Cookies()) != 1 {
		t.Fatalf("right password: %d", ok.StatusCode)
	}
	cookie := ok.Cookies()[0]
	res, body = fetch(t, "GET", l.URL, "Cookie", cookie.Name+"="+cookie.Value)
	if res.StatusCode != 200 {
		t.Fatalf("with cookie: %d", res.StatusCode)
	}
	mustContain(t, body, "Reel One")
	req, _ := http.NewRequest("GET", l.Files[0].URL, nil)
	req.SetBasicAuth("", "s3cret words")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("basic auth: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	for i := 0; i < 5; i++ {
		if res := post("guess"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong try %d: %d", i, res.StatusCode)
		}
	}
	if res := post("s3cret words"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 wrong ones: %d", res.StatusCode)
	}
	e.clock.Advance(16 * time.Minute)
	if res := post("s3cret words"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password after the window: %d", res.StatusCode)
	}
}

// A link expires by the clock: 410 and a page that names nothing; the
// expiry is announced once as a webhook event, and extending brings it back.
func TestExpiryWithTheClock(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1"}, "label": "client", "expires_in": 3600})
	if res, _ := fetch(t, "GET", l.URL); res.StatusCode != 200 {
		t.Fatalf("before expiry: %d", res.StatusCode)
	}
	e.clock.Advance(time.Hour)
	for _, u := range []string{l.URL, l.Files[0].URL} {
		res, body := fetch(t, "GET", u)
		if res.StatusCode != http.StatusGone {
			t.Fatalf("expired %s: %d", u, res.StatusCode)
		}
		mustContain(t, body, "expired")
		mustNotContain(t, body, "Reel One", "colourist", "client")
	}
	if e.get(l.ID).Status != "expired" {
		t.Fatal("status not expired")
	}
	ctx := context.Background()
	for range 2 {
		if _, err := e.svc.SweepExpired(ctx); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := e.db.EventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != sharing.EventExpired || evs[0].ObjectID != l.ID || !strings.Contains(string(evs[0].Data), `"status":"expired"`) {
		t.Fatalf("events: %+v", evs)
	}
	if code, b := e.call("PATCH", "/reelvault/v1/share-links/"+l.ID, map[string]any{"expires_at": "2026-12-24T18:00:00+01:00"}); code != 200 ||
		!strings.Contains(string(b), `"expires_at":"2026-12-24T17:00:00Z"`) || !strings.Contains(string(b), `"status":"active"`) {
		t.Fatalf("extend: %d %s", code, b)
	}
	if res, _ := fetch(t, "GET", l.URL); res.StatusCode != 200 {
		t.Fatalf("after extending: %d", res.StatusCode)
	}
}

// The first complete download of a link is announced once.
func TestDownloadedWebhookOnce(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a2"}})
	for i := range 2 {
		if res, _ := fetch(t, "GET", l.Files[0].URL); res.StatusCode != 200 {
			t.Fatal(res.StatusCode)
		}
		e.waitDownloads(l.ID, i+1)
	}
	evs, _ := e.db.EventsAfter(context.Background(), 0, 100)
	if len(evs) != 1 || evs[0].Type != sharing.EventDownloaded || !strings.Contains(string(evs[0].Data), `"downloads":1`) {
		t.Fatalf("events: %+v", evs)
	}
}

// Tampered tokens and paths get a styled 404 page that names nothing.
func TestTamperedLinks(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1"}})
	token := strings.TrimPrefix(l.URL, e.share.URL+"/s/")
	flipped := []byte(token)
	flipped[5] ^= 1
	for _, u := range []string{
		e.share.URL + "/s/" + string(flipped),
		e.share.URL + "/s/short",
		e.share.URL + "/s/" + string(flipped) + "/f/a1/master/x.mp4",
		l.URL + "/f/a2/master/x.mp4", // an asset the link does not share
		l.URL + "/f/a1/original/x.mp4",
		l.URL + "/nothing",
	} {
		res, body := fetch(t, "GET", u)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", u, res.StatusCode, res.Header.Get("Content-Type"))
		}
		mustContain(t, body, "not valid")
		mustNotContain(t, body, "Reel One", "Reel Two")
	}
}

// The landing page shows what the recipient needs, for one asset and for a reel.
func TestLandingPage(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1"}, "label": "Grade notes inside <b>"})
	res, body := fetch(t, "GET", l.URL)
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	mustContain(t, body, "Reel One: the colourist&#39;s cut", "Studio Nine", "1:23", "1920×1080", "3.0 MB",
		`datetime="2026-12-05T12:00:00Z"`, "<video", l.Files[0].URL, "Grade notes inside &lt;b&gt;", `name="viewport"`)
	mustNotContain(t, body, "Download all", "inside <b>")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP: %s", csp)
	}
	reel := e.create(map[string]any{"asset_ids": []string{"a1", "a2"}})
	_, body = fetch(t, "GET", reel.URL)
	mustContain(t, body, "Download all (2)", "Reel One", "Reel Two")
	// HEAD and If-None-Match on a file, as download managers ask.
	head, _ := fetch(t, "HEAD", l.Files[0].URL)
	if head.StatusCode != 200 || head.ContentLength != 3<<20+12345 || head.Header.Get("Accept-Ranges") != "bytes" || head.Header.Get("ETag") == "" {
		t.Fatalf("HEAD: %d %d %v", head.StatusCode, head.ContentLength, head.Header)
	}
	if len(e.downloads(l.ID)) != 0 {
		t.Fatal("a HEAD was logged as a download")
	}
}

// curl -C - and wget -c resume an interrupted download; aria2c -x4 fetches
// over four connections; each is one complete download in the log, with the
// right byte counts, and each file hashes to the master's SHA-256.
func TestDownloadManagers(t *testing.T) {
	e := newEnv(t)
	size := int64(3<<20 + 12345)
	dir := t.TempDir()
	run := func(name string, args ...string) {
		t.Helper()
		if _, err := exec.LookPath(name); err != nil {
			t.Fatalf("%s is not installed (make deps installs it): %v", name, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	check := func(l linkJSON, path string, wantBytes func(int64) bool, agent string) {
		t.Helper()
		if got := fileSHA(t, path); got != e.sha {
			t.Errorf("%s: sha256 %s, want the master's", agent, got)
		}
		e.waitDownloads(l.ID, 1)
		var ds []downloadJSON
		if !testtime.Poll(10*time.Second, func() bool {
			ds = e.downloads(l.ID)
			return len(ds) == 1 && ds[0].Complete && wantBytes(ds[0].BytesSent)
		}) || ds[0].Size != size || !strings.Contains(strings.ToLower(ds[0].UserAgent), agent) {
			t.Errorf("%s: log %+v", agent, ds)
		}
	}
	exact := func(n int64) bool { return n == size }

	// curl: the first megabyte (the "interrupted" download), then -C -.
	l := e.create(map[string]any{"asset_ids": []string{"a1"}, "max_downloads": 1})
	out := filepath.Join(dir, "curl.mp4")
	run("curl", "-sf", "-r", "0-1048575", "-o", out, l.Files[0].URL)
	if st, _ := os.Stat(out); st == nil || st.Size() != 1<<20 {
		t.Fatal("curl's first part")
	}
	run("curl", "-sf", "-C", "-", "-o", out, l.Files[0].URL)
	check(l, out, exact, "curl")

	// wget -c over a partial file.
	l = e.create(map[string]any{"asset_ids": []string{"a1"}})
	out = filepath.Join(dir, "wget.mp4")
	run("curl", "-sf", "-A", "Wget/1.21", "-r", "0-2000000", "-o", out, l.Files[0].URL)
	run("wget", "-q", "-c", "-O", out, l.Files[0].URL)
	check(l, out, exact, "wget")

	// aria2c, four connections of 1 MiB pieces. Its first connection may
	// send the whole file (loopback is fast) before aria2c closes it, and
	// the others their pieces too: bytes sent are what went on the wire, up
	// to about twice the size; what makes it complete is that they cover it.
	l = e.create(map[string]any{"asset_ids": []string{"a1"}})
	run("aria2c", "-q", "-x4", "-s4", "-k1M", "--allow-overwrite=true", "-d", dir, "-o", "aria2.mp4", l.Files[0].URL)
	check(l, filepath.Join(dir, "aria2.mp4"), func(n int64) bool { return n >= size && n <= 3*size }, "aria2")
	fmt.Fprintln(os.Stderr, "download managers: curl -C -, wget -c and aria2c -x4 each logged one complete download")
}

// The sender's display name is a setting; unset, the host name.
func TestSenderName(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a2"}})
	code, b := e.call("PATCH", "/reelvault/v1/share-settings", map[string]any{"sender_name": "Ada's Edit Suite"})
	if code != 200 || !strings.Contains(string(b), `"sender_name":"Ada's Edit Suite"`) {
		t.Fatalf("set: %d %s", code, b)
	}
	_, body := fetch(t, "GET", l.URL)
	mustContain(t, body, "Ada&#39;s Edit Suite")
	if code, b := e.call("PATCH", "/reelvault/v1/share-settings", map[string]any{"sender_name": "two\nlines"}); code != 400 {
		t.Fatalf("a newline: %d %s", code, b)
	}
	host, _ := os.Hostname()
	if code, b := e.call("PATCH", "/reelvault/v1/share-settings", map[string]any{"sender_name": ""}); code != 200 ||
		!strings.Contains(string(b), `"sender_name":"`+host+`"`) {
		t.Fatalf("reset: %d %s", code, b)
	}
}

// A shared asset deleted later drops out of the link; its other assets and
// the other links keep working, and the landing page still opens.
func TestDeletedAssetDropsOut(t *testing.T) {
	e := newEnv(t)
	l := e.create(map[string]any{"asset_ids": []string{"a1", "a2"}})
	delete(e.lib, "a1")
	got := e.get(l.ID)
	if len(got.Files) != 1 || got.Files[0].AssetID != "a2" || len(got.AssetIDs) != 2 {
		t.Fatalf("after deleting a1: %+v", got)
	}
	res, body := fetch(t, "GET", l.URL)
	if res.StatusCode != 200 {
		t.Fatalf("landing: %d", res.StatusCode)
	}
	mustContain(t, body, "Reel Two")
	mustNotContain(t, body, "Reel One")
	if res, _ := fetch(t, "GET", l.Files[0].URL); res.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted asset's file: %d", res.StatusCode)
	}
}
