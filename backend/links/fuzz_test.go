package links

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary request targets to Verify: it must never panic
// and never accept anything but the one link this signer made.
func FuzzVerify(f *testing.F) {
	s, err := NewSigner(testSecret, "http://127.0.0.1:8911")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	genuine := s.URL("asset-1", 2, now.Add(time.Hour))
	genuinePath := strings.TrimPrefix(genuine, "http://127.0.0.1:8911")
	sig := strings.Split(genuinePath, "/")[5]

	f.Add(genuinePath)
	f.Add(genuinePath + "?download=..%2F..%2Fx")
	f.Add(strings.Replace(genuinePath, "/2/", "/3/", 1))
	f.Add(strings.Replace(genuinePath, "asset-1", "asset-2", 1))
	f.Add(strings.Replace(genuinePath, sig, strings.ToUpper(sig), 1))
	f.Add("/v/%2e%2e/0/0/" + strings.Repeat("0", 64) + "/master.mp4")
	f.Add("/v/a/-9223372036854775808/9223372036854775807/" + strings.Repeat("f", 64) + "/master.mp4")
	f.Add("/v//////")
	f.Add("/")
	f.Add("")

	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.Parse(target)
		if err != nil {
			return // net/http would have refused it before any handler ran
		}
		claims, err := s.Verify(&http.Request{Method: http.MethodGet, URL: u}, now)
		if err != nil {
			return
		}
		if claims.AssetID != "asset-1" || claims.Generation != 2 || !claims.Expires.Equal(now.Add(time.Hour)) {
			t.Fatalf("Verify accepted %q as %+v, which this signer never signed", target, claims)
		}
		if strings.ContainsAny(claims.DownloadName, "/\\\"\x00") {
			t.Fatalf("unsafe download name %q from %q", claims.DownloadName, target)
		}
	})
}

// FuzzRangeHeader sends a genuine link with arbitrary Range and If-Range
// headers: it never panics, answers 200, 206 or 416, and what a 206 sends is
// exactly the bytes of the file its Content-Range names.
func FuzzRangeHeader(f *testing.F) {
	dir := f.TempDir()
	data := make([]byte, 10_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	path := filepath.Join(dir, "m.mp4")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		f.Fatal(err)
	}
	info, _ := os.Stat(path)
	master := Master{Path: path, Size: int64(len(data)), SHA256: strings.Repeat("a", 64), ModTime: info.ModTime(), FileName: "m.mp4"}
	signer, err := NewSigner(testSecret, "http://127.0.0.1:8911")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	arch := &fakeArchive{masters: map[string]Master{"a": master}, gens: map[string]int64{"a": 1}}
	h := &Handler{Resolver: arch, Signer: signer, Now: func() time.Time { return now }, OnDamaged: func(string, string) {}}
	link := strings.TrimPrefix(signer.URL("a", 1, now.Add(time.Hour)), "http://127.0.0.1:8911")

	for _, r := range []string{"bytes=0-99", "bytes=-500", "bytes=9990-", "bytes=0-0,5-9", "bytes=10000-", "bytes=5-2",
		"bytes=-0", "bytes=0-18446744073709551616", "bytes=" + strings.Repeat("0-1,", 300), "items=0-5", ""} {
		f.Add(r, "")
	}
	f.Add("bytes=0-9", `"x"`)
	f.Fuzz(func(t *testing.T, rng, ifRange string) {
		req := httptest.NewRequest(http.MethodGet, link, nil)
		req.Header.Set("Range", rng)
		if ifRange != "" {
			req.Header.Set("If-Range", ifRange)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			if !bytes.Equal(rec.Body.Bytes(), data) {
				t.Fatalf("Range %q: 200 with %d bytes, not the file", rng, rec.Body.Len())
			}
		case http.StatusPartialContent:
			var first, last, total int64
			if _, err := fmt.Sscanf(rec.Header().Get("Content-Range"), "bytes %d-%d/%d", &first, &last, &total); err != nil {
				return // a multipart answer: each part carries its own range
			}
			if total != int64(len(data)) || first < 0 || last >= total || first > last ||
				!bytes.Equal(rec.Body.Bytes(), data[first:last+1]) {
				t.Fatalf("Range %q: 206 %q with %d bytes that are not that part of the file", rng, rec.Header().Get("Content-Range"), rec.Body.Len())
			}
		case http.StatusRequestedRangeNotSatisfiable:
		default:
			t.Fatalf("Range %q: status %d", rng, rec.Code)
		}
	})
}
