package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"time"
)

// SignatureHeader is the header Mux receivers look for.
const SignatureHeader = "Mux-Signature"

// Sign returns the Mux-Signature value for body sent at t:
// "t=UNIX,v1=HEX", HEX being the lowercase hex HMAC-SHA256, keyed with the
// endpoint's secret, of "UNIX.body". This is exactly what Mux's SDKs verify.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// newSecret makes a signing secret: 32 random bytes, URL-safe base64 (43
// characters), easy to paste into an environment variable.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics on a broken system source)
	return base64.RawURLEncoding.EncodeToString(b)
}
