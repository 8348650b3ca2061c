package links

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFullDownloadHasTheFileAndHeaders(t *testing.T) {
	env := newTestEnv(t, 300_000)
	resp := env.get(env.link())

	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %q", resp.StatusCode, resp.body)
	}
	if !bytes.Equal(resp.body, env.data) {
		t.Fatalf("body is %d bytes and differs from the %d-byte file", len(resp.body), len(env.data))
	}
	wantHeaders := map[string]string{
		"Content-Type":           "video/mp4",
		"Content-Length":         strconv.Itoa(len(env.data)),
		"Accept-Ranges":          "bytes",
		"ETag":                   `"` + env.master.SHA256[:32] + `"`,
		"Last-Modified":          env.master.ModTime.UTC().Format(http.TimeFormat),
		"Cache-Control":          "private, no-store",
		"X-Content-Type-Options": "nosniff",
	}
	for k, want := range wantHeaders {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// The default name comes from the archive's title, made an .mp4.
	if name := attachmentName(t, resp); name != "Interview take 2.mp4" {
		t.Errorf("attachment name = %q, want %q", name, "Interview take 2.mp4")
	}
}

func TestRangeRequests(t *testing.T) {
	env := newTestEnv(t, 10_000)
	size := len(env.data)
	cases := []struct {
		rangeHeader  string
		from, to     int // inclusive
		contentRange string
	}{
		{"bytes=100-199", 100, 199, fmt.Sprintf("bytes 100-199/%d", size)},
		{"bytes=9000-", 9000, size - 1, fmt.Sprintf("bytes 9000-%d/%d", size-1, size)},
		{"bytes=-500", size - 500, size - 1, fmt.Sprintf("bytes %d-%d/%d", size-500, size-1, size)},
	}
	for _, c := range cases {
		t.Run(c.rangeHeader, func(t *testing.T) {
			resp := env.do(http.MethodGet, env.link(), map[string]string{"Range": c.rangeHeader})
			if resp.StatusCode != http.StatusPartialContent {
				t.Fatalf("status = %d, want 206", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Range"); got != c.contentRange {
				t.Errorf("Content-Range = %q, want %q", got, c.contentRange)
			}
			if !bytes.Equal(resp.body, env.data[c.from:c.to+1]) {
				t.Errorf("body is not bytes %d-%d of the file", c.from, c.to)
			}
		})
	}
}

func TestMultiRangeIsMultipart(t *testing.T) {
	env := newTestEnv(t, 10_000)
	resp := env.do(http.MethodGet, env.link(), map[string]string{"Range": "bytes=0-9,5000-5099"})
	if resp.StatusCode != http.StatusPartialContent {
		t.Fatalf("status = %d, want 206", resp.StatusCode)
	}
	mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/byteranges" {
		t.Fatalf("Content-Type = %q, want multipart/byteranges", resp.Header.Get("Content-Type"))
	}
	reader := multipart.NewReader(bytes.NewReader(resp.body), params["boundary"])
	want := [][]byte{env.data[0:10], env.data[5000:5100]}
	for i, w := range want {
		part, err := reader.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if part.Header.Get("Content-Type") != "video/mp4" {
			t.Errorf("part %d Content-Type = %q", i, part.Header.Get("Content-Type"))
		}
		got, _ := io.ReadAll(part)
		if !bytes.Equal(got, w) {
			t.Errorf("part %d has the wrong bytes", i)
		}
	}
	if _, err := reader.NextPart(); err != io.EOF {
		t.Errorf("expected exactly two parts, next = %v", err)
	}
}

func TestIfRangeResumesOnlyTheSameMaster(t *testing.T) {
	env := newTestEnv(t, 10_000)
	etag := `"` + env.master.SHA256[:32] + `"`

	same := env.do(http.MethodGet, env.link(), map[string]string{"Range": "bytes=5000-", "If-Range": etag})
	if same.StatusCode != http.StatusPartialContent || !bytes.Equal(same.body, env.data[5000:]) {
		t.Fatalf("If-Range with current ETag: status %d, want 206 with the rest of the file", same.StatusCode)
	}
	stale := env.do(http.MethodGet, env.link(), map[string]string{"Range": "bytes=5000-", "If-Range": `"00000000000000000000000000000000"`})
	if stale.StatusCode != http.StatusOK || !bytes.Equal(stale.body, env.data) {
		t.Fatalf("If-Range with stale ETag: status %d, want 200 with the whole file", stale.StatusCode)
	}
}

func TestHeadHasHeadersButNoBody(t *testing.T) {
	env := newTestEnv(t, 4096)
	resp := env.do(http.MethodHead, env.link(), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if len(resp.body) != 0 {
		t.Errorf("HEAD returned %d body bytes", len(resp.body))
	}
	if resp.Header.Get("Content-Length") != "4096" || resp.Header.Get("Content-Type") != "video/mp4" ||
		resp.Header.Get("ETag") == "" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("HEAD headers incomplete: %v", resp.Header)
	}
}

func TestIfNoneMatchGives304(t *testing.T) {
	env := newTestEnv(t, 4096)
	first := env.get(env.link())
	resp := env.do(http.MethodGet, env.link(), map[string]string{"If-None-Match": first.Header.Get("ETag")})
	if resp.StatusCode != http.StatusNotModified || len(resp.body) != 0 {
		t.Fatalf("status = %d with %d bytes, want 304 and no body", resp.StatusCode, len(resp.body))
	}
}

func TestTamperedLinksAre403(t *testing.T) {
	env := newTestEnv(t, 1024)
	link := env.link()
	parts := strings.Split(strings.TrimPrefix(link, env.server.URL), "/") // "", v, id, gen, exp, sig, master.mp4
	edit := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return env.server.URL + strings.Join(p, "/")
	}
	otherSig := []byte(parts[5])
	otherSig[0] = map[bool]byte{true: '1', false: '0'}[otherSig[0] == '0']
	exp, _ := strconv.ParseInt(parts[4], 10, 64)

	for name, bad := range map[string]string{
		// "other-asset" exists and its generation 0 is valid: only the
		// signature stops the swap.
		"asset id":   edit(2, "other-asset"),
		"generation": edit(3, "4"),
		"expiry":     edit(4, strconv.FormatInt(exp+30*24*3600, 10)),
		"signature":  edit(5, string(otherSig)),
		"truncated":  link[:len(link)-len("/master.mp4")],
	} {
		t.Run(name, func(t *testing.T) {
			resp := env.get(bad)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status = %d, want 403", resp.StatusCode)
			}
			if bytes.Contains(resp.body, env.data[:16]) || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Fatalf("403 answer is not a short plain-text message: %q", resp.body)
			}
		})
	}
}

func TestExpiredLinkIs410(t *testing.T) {
	env := newTestEnv(t, 1024)
	link := env.link()
	if resp := env.get(link); resp.StatusCode != http.StatusOK {
		t.Fatalf("fresh link: status %d", resp.StatusCode)
	}
	env.clock.Advance(24*time.Hour + time.Second)
	resp := env.get(link)
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(resp.body), "expired") {
		t.Fatalf("expired link: status %d body %q, want 410 saying it expired", resp.StatusCode, resp.body)
	}
}

func TestRevokedAndUnknownLookTheSame(t *testing.T) {
	env := newTestEnv(t, 1024)
	link := env.link()
	env.archive.bumpGeneration(testAssetID)
	revoked := env.get(link)
	if revoked.StatusCode != http.StatusGone {
		t.Fatalf("revoked link: status %d, want 410", revoked.StatusCode)
	}
	unknown := env.get(env.signer.URL("no-such-asset", 3, env.clock.Now().Add(time.Hour)))
	if unknown.StatusCode != revoked.StatusCode || !bytes.Equal(unknown.body, revoked.body) {
		t.Fatalf("unknown asset answered %d %q, revoked answered %d %q: they must not differ",
			unknown.StatusCode, unknown.body, revoked.StatusCode, revoked.body)
	}
	for _, k := range []string{"Content-Type", "Content-Length", "Cache-Control"} {
		if unknown.Header.Get(k) != revoked.Header.Get(k) {
			t.Errorf("%s differs: unknown %q, revoked %q", k, unknown.Header.Get(k), revoked.Header.Get(k))
		}
	}
	// A new link on the new generation works again.
	if resp := env.get(env.signer.URL(testAssetID, 4, env.clock.Now().Add(time.Hour))); resp.StatusCode != http.StatusOK {
		t.Fatalf("link on the bumped generation: status %d", resp.StatusCode)
	}
}

func TestOnlyGetAndHeadOnLinks(t *testing.T) {
	env := newTestEnv(t, 1024)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		resp := env.do(method, env.link(), nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: status %d Allow %q, want 405 with Allow: GET, HEAD", method, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	for _, path := range []string{"/", "/favicon.ico", "/video/v1/assets", "/v"} {
		if resp := env.get(env.server.URL + path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestDownloadParameterChoosesTheName(t *testing.T) {
	env := newTestEnv(t, 1024)
	cases := map[string]string{
		"Final%20Cut.mp4":          "Final Cut.mp4",
		"Final%20Cut":              "Final Cut.mp4",
		"%22quoted%22%20name.mp4":  "'quoted' name.mp4",
		"..%2F..%2Fetc":            "etc.mp4",
		"Caf%C3%A9%20%F0%9F%8E%AC": "Café 🎬.mp4",
	}
	for query, want := range cases {
		resp := env.get(env.link() + "?download=" + query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("download=%s: status %d", query, resp.StatusCode)
		}
		if got := attachmentName(t, resp); got != want {
			t.Errorf("download=%s: attachment name %q, want %q", query, got, want)
		}
	}
}

func TestDamagedMasterIs500AndReported(t *testing.T) {
	cases := map[string]struct {
		damage     func(path string) error
		reasonPart string
	}{
		"missing": {os.Remove, "missing"},
		"short":   {func(p string) error { return os.Truncate(p, 1000) }, "recorded size"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t, 4096)
			if err := c.damage(env.master.Path); err != nil {
				t.Fatal(err)
			}
			resp := env.get(env.link())
			if resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500", resp.StatusCode)
			}
			if resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || len(resp.body) > 200 {
				t.Errorf("500 answer is not a short plain message: %q", resp.body)
			}
			reports := env.damageReports()
			if len(reports) != 1 || reports[0].assetID != testAssetID || !strings.Contains(reports[0].reason, c.reasonPart) {
				t.Fatalf("OnDamaged calls = %+v, want one for %s mentioning %q", reports, testAssetID, c.reasonPart)
			}
		})
	}
}

func TestResolverFailureIsNotAServedFile(t *testing.T) {
	env := newTestEnv(t, 1024)
	env.archive.failWith = errors.New("database is locked")
	resp := env.get(env.link())
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", resp.StatusCode)
	}
	if len(env.damageReports()) != 0 {
		t.Fatal("a database error must not mark the master damaged")
	}
}

func attachmentName(t *testing.T, resp response) string {
	t.Helper()
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" {
		t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	return params["filename"]
}
