package webhooks

import (
	"regexp"
	"testing"
	"time"
)

func TestSignVerifiesWithAnIndependentMuxStyleVerifier(t *testing.T) {
	secret := newSecret()
	body := []byte(`{"type":"video.asset.ready","data":{"id":"abc","title":"<Tom & Jerry>"}}`)
	at := time.Unix(1764018000, 987654321)
	header := Sign(secret, at, body)

	if !regexp.MustCompile(`^t=1764018000,v1=[0-9a-f]{64}$`).MatchString(header) {
		t.Fatalf("header %q is not t=UNIX,v1=<64 lowercase hex>", header)
	}
	if err := verifyMuxSignature(header, body, secret, at.Add(10*time.Second)); err != nil {
		t.Fatalf("a fresh signature must verify: %v", err)
	}
	tampered := append([]byte{}, body...)
	tampered[10] = 'X'
	cases := map[string]error{
		"tampered body": verifyMuxSignature(header, tampered, secret, at),
		"other secret":  verifyMuxSignature(header, body, newSecret(), at),
		"too old":       verifyMuxSignature(header, body, secret, at.Add(301*time.Second)),
		"no header":     verifyMuxSignature("", body, secret, at),
	}
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s: verified, want a refusal", name)
		}
	}
}

// A known vector, computed once with openssl:
// printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
func TestSignKnownVector(t *testing.T) {
	got := Sign("whsec_test", time.Unix(1700000000, 0), []byte(`{"a":1}`))
	want := "t=1700000000,v1=" + knownVectorHex
	if got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func TestSecretsAreRandomAndURLSafe(t *testing.T) {
	a, b := newSecret(), newSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(a) {
		t.Fatalf("secret %q is not 43 URL-safe characters (32 bytes)", a)
	}
}

const knownVectorHex = "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
