package links

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNewSignerRejectsBadInput(t *testing.T) {
	cases := []struct {
		name   string
		secret []byte
		base   string
	}{
		{"short secret", []byte("15 bytes secret"), "http://127.0.0.1:8911"},
		{"no secret", nil, "http://127.0.0.1:8911"},
		{"relative base", testSecret, "/share"},
		{"no scheme", testSecret, "127.0.0.1:8911"},
		{"ftp scheme", testSecret, "ftp://127.0.0.1"},
		{"no host", testSecret, "http://"},
		{"query in base", testSecret, "http://127.0.0.1:8911/?a=b"},
		{"user in base", testSecret, "http://bob@127.0.0.1:8911"},
		{"not a url", testSecret, "http://[::1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if s, err := NewSigner(c.secret, c.base); err == nil {
				t.Fatalf("NewSigner(%q) = %v, want an error", c.base, s.Base())
			}
		})
	}
}

func TestURLIsReadableAndVerifies(t *testing.T) {
	s, err := NewSigner(testSecret, "http://192.168.1.20:8911/")
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2026, 1, 2, 3, 4, 5, 999, time.UTC)
	link := s.URL("abc123", 7, exp)

	prefix := "http://192.168.1.20:8911/v/abc123/7/" + "1767323045" + "/"
	if !strings.HasPrefix(link, prefix) || !strings.HasSuffix(link, "/master.mp4") {
		t.Fatalf("link %q does not have the documented shape %s<sig>/master.mp4", link, prefix)
	}
	claims, err := s.Verify(httptest.NewRequest("GET", link, nil), exp.Add(-time.Hour))
	if err != nil {
		t.Fatalf("Verify(genuine link) = %v", err)
	}
	want := Claims{AssetID: "abc123", Generation: 7, Expires: time.Unix(1767323045, 0), File: "master.mp4"}
	if claims != want {
		t.Fatalf("claims = %+v, want %+v", claims, want)
	}
}

func TestVerifyExpiryBoundary(t *testing.T) {
	s, _ := NewSigner(testSecret, "http://h:1")
	exp := time.Unix(1_800_000_000, 0)
	req := httptest.NewRequest("GET", s.URL("x", 1, exp), nil)

	if _, err := s.Verify(req, exp.Add(-time.Nanosecond)); err != nil {
		t.Errorf("one nanosecond before expiry: %v, want valid", err)
	}
	claims, err := s.Verify(req, exp)
	if !errors.Is(err, ErrExpired) {
		t.Errorf("at expiry: %v, want ErrExpired", err)
	}
	if claims.AssetID != "x" {
		t.Errorf("expired claims lost the asset id: %+v", claims)
	}
}

func TestVerifyRejectsAnyEditedPart(t *testing.T) {
	s, _ := NewSigner(testSecret, "http://h:1")
	now := time.Unix(1_700_000_000, 0)
	link := s.URL("asset-1", 4, now.Add(time.Hour))
	u, _ := url.Parse(link)
	parts := strings.Split(u.Path, "/") // "", "v", id, gen, exp, sig, "master.mp4"
	edit := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return "http://h:1" + strings.Join(p, "/")
	}
	flipped := []byte(parts[5])
	if flipped[10] == '0' { // still valid hex, just a different MAC
		flipped[10] = '1'
	} else {
		flipped[10] = '0'
	}
	other, _ := NewSigner([]byte("another secret, 32 bytes long..."), "http://h:1")

	cases := map[string]string{
		"asset id":             edit(2, "asset-2"),
		"generation":           edit(3, "5"),
		"generation leading 0": edit(3, "04"),
		"generation plus sign": edit(3, "+4"),
		"expiry extended":      edit(4, "1700086400"),
		"signature flipped":    edit(5, string(flipped)),
		"signature uppercase":  edit(5, strings.ToUpper(parts[5])),
		"signature truncated":  edit(5, parts[5][:32]),
		"signature not hex":    edit(5, strings.Repeat("zz", 32)),
		"file name":            edit(6, "other.mp4"),
		"extra segment":        link + "/x",
		"missing segment":      "http://h:1" + strings.Join(append(parts[:5:5], parts[6]), "/"),
		"other secret":         other.URL("asset-1", 4, now.Add(time.Hour)),
		"wrong prefix":         strings.Replace(link, "/v/", "/w/", 1),
		"empty id":             edit(2, ""),
		"escaped slash in id":  edit(2, "asset%2F1"),
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := s.Verify(httptest.NewRequest("GET", bad, nil), now)
			if !errors.Is(err, ErrTampered) {
				t.Fatalf("Verify(%s) = %v, want ErrTampered", bad, err)
			}
		})
	}
	// Tampering must win over expiry: an edited, expired link is a 403.
	_, err := s.Verify(httptest.NewRequest("GET", edit(3, "5"), nil), now.Add(48*time.Hour))
	if !errors.Is(err, ErrTampered) {
		t.Fatalf("edited and expired: %v, want ErrTampered", err)
	}
}

func TestVerifyWithBasePathAndOddAssetID(t *testing.T) {
	s, err := NewSigner(testSecret, "https://example.test/reelvault/")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	id := "weird id/with ünicode?&"
	link := s.URL(id, -1, now.Add(time.Minute))
	if !strings.HasPrefix(link, "https://example.test/reelvault/v/") {
		t.Fatalf("link %q lost the base path", link)
	}
	claims, err := s.Verify(httptest.NewRequest("GET", link+"?download=x", nil), now)
	if err != nil {
		t.Fatalf("Verify(%q) = %v", link, err)
	}
	if claims.AssetID != id || claims.Generation != -1 || claims.DownloadName != "x.mp4" {
		t.Fatalf("claims = %+v", claims)
	}
	// Without the base path the same signature is not accepted.
	noBase := strings.Replace(link, "/reelvault/", "/", 1)
	if _, err := s.Verify(httptest.NewRequest("GET", noBase, nil), now); !errors.Is(err, ErrTampered) {
		t.Fatalf("link outside the base path: %v, want ErrTampered", err)
	}
}

func TestVerifyIgnoresUnsignedQueryExceptDownload(t *testing.T) {
	s, _ := NewSigner(testSecret, "http://h:1")
	now := time.Unix(1_700_000_000, 0)
	link := s.URL("a", 1, now.Add(time.Hour))
	for query, want := range map[string]string{
		"":                                 "",
		"?download=":                       "",
		"?download=%20%20":                 "",
		"?utm_source=chat":                 "",
		"?download=Final%20Cut&download=x": "Final Cut.mp4",
	} {
		claims, err := s.Verify(httptest.NewRequest("GET", link+query, nil), now)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		if claims.DownloadName != want {
			t.Errorf("%q: DownloadName = %q, want %q", query, claims.DownloadName, want)
		}
	}
}
