package playback

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/store"
)

// Audiences of Mux's playback tokens: what a token opens.
const (
	AudienceVideo     = "v" // MP4 delivery (Mux: also HLS)
	AudienceThumbnail = "t" // thumbnail images
)

// maxTokenLen bounds the work done on a hostile token; Mux's tokens with a
// few thumbnail params are well under 1 KiB.
const maxTokenLen = 8 << 10

// ErrBadToken is a token that does not open this playback ID for this use:
// malformed, not RS256, signed by an unknown or deleted key, tampered with,
// for another playback ID or audience, without exp, or expired.
var ErrBadToken = errors.New("playback: token does not grant access")

// Verify checks a playback token as Mux documents it: RS256, signed by a
// signing key named by kid (in the header, or in the claims where Mux's
// Node SDK puts it), sub the playback ID, aud the use, exp required and not
// passed. It returns the token's claims; thumbnail params ride in them.
// The cause is wrapped for the log only; callers answer one 403 for all.
func Verify(ctx context.Context, q store.Queryer, token, playbackID, audience string, now time.Time) (jwt.MapClaims, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: missing or oversized", ErrBadToken)
	}
	claims := jwt.MapClaims{}
	var storeErr error // the key could not be read: no verdict on the token
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(),
		jwt.WithAudience(audience), jwt.WithSubject(playbackID), jwt.WithTimeFunc(func() time.Time { return now }))
	_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			kid, _ = claims["kid"].(string)
		}
		if kid == "" {
			return nil, errors.New("no kid")
		}
		k, err := GetKey(ctx, q, kid)
		if err != nil && !errors.Is(err, ErrKeyNotFound) {
			storeErr = err
		}
		if err != nil {
			return nil, err
		}
		return k.PublicKey()
	})
	if storeErr != nil {
		return nil, fmt.Errorf("playback: reading signing key: %w", storeErr)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadToken, err)
	}
	return claims, nil
}
