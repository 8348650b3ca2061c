package playback

import (
	"context"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/store"
)

// Store is the playback IDs and signing keys over the database, for the
// API and the share listener. Changes to an object's playback IDs go
// through the archive or live service, which emit the object's events.
type Store struct {
	DB  *store.DB
	Now func() time.Time // nil: time.Now
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Lookup is one playback ID and what it opens.
func (s *Store) Lookup(ctx context.Context, pid string) (ID, error) { return Lookup(ctx, s.DB, pid) }

// CreateKey makes a signing key; the private key (base64 PEM) is returned once.
func (s *Store) CreateKey(ctx context.Context) (Key, string, error) {
	return CreateKey(ctx, s.DB, s.now())
}

// ListKeys is a page of signing keys, newest first.
func (s *Store) ListKeys(ctx context.Context, limit, page int) ([]Key, error) {
	return ListKeys(ctx, s.DB, limit, page)
}

// GetKey is one signing key.
func (s *Store) GetKey(ctx context.Context, id string) (Key, error) { return GetKey(ctx, s.DB, id) }

// DeleteKey deletes a signing key.
func (s *Store) DeleteKey(ctx context.Context, id string) error { return DeleteKey(ctx, s.DB, id) }

// Verify checks a playback token at now (see the package function).
func (s *Store) Verify(ctx context.Context, token, playbackID, audience string) (jwt.MapClaims, error) {
	return Verify(ctx, s.DB, token, playbackID, audience, s.now())
}
