package links

import (
	"net/http"
	"net/url"
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
