package playback

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/store"
)

// Key is a URL signing key as stored: its id and public half.
type Key struct {
	ID        string
	CreatedAt time.Time
	public    string // PEM
}

// ErrKeyNotFound is an unknown signing key id.
var ErrKeyNotFound = fail.NotFound("signing key")

// keyBits is the size of the RSA keys made, as Mux's.
const keyBits = 2048

// CreateKey makes a signing key pair, keeps its public half and returns the
// private half once, as Mux does: the base64 of a PKCS#1 PEM, the form
// Mux's SDKs take as their signing secret.
func CreateKey(ctx context.Context, q store.Queryer, now time.Time) (Key, string, error) {
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return Key{}, "", fmt.Errorf("playback: making a signing key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return Key{}, "", fmt.Errorf("playback: encoding a public key: %w", err)
	}
	k := Key{ID: newID(), CreatedAt: now.Truncate(time.Second),
		public: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))}
	if _, err := q.ExecContext(ctx, `INSERT INTO signing_keys (id, public_key, created_at) VALUES (?, ?, ?)`,
		k.ID, k.public, k.CreatedAt.Unix()); err != nil {
		return Key{}, "", fmt.Errorf("playback: saving a signing key: %w", err)
	}
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)})
	return k, base64.StdEncoding.EncodeToString(privPEM), nil
}

// ListKeys is a page of signing keys, newest first. limit and page must be
// normalized (store.NormalizePage).
func ListKeys(ctx context.Context, q store.Queryer, limit, page int) ([]Key, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, public_key, created_at FROM signing_keys
		ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`, limit, (page-1)*limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var k Key
		var at int64
		if err := rows.Scan(&k.ID, &k.public, &at); err != nil {
			return nil, err
		}
		k.CreatedAt = time.Unix(at, 0)
		out = append(out, k)
	}
	return out, rows.Err()
}

// GetKey is one signing key.
func GetKey(ctx context.Context, q store.Queryer, id string) (Key, error) {
	if !LooksLikeID(id) {
		return Key{}, ErrKeyNotFound
	}
	var k Key
	var at int64
	err := q.QueryRowContext(ctx, `SELECT id, public_key, created_at FROM signing_keys WHERE id = ?`, id).Scan(&k.ID, &k.public, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrKeyNotFound
	}
	if err != nil {
		return Key{}, err
	}
	k.CreatedAt = time.Unix(at, 0)
	return k, nil
}

// DeleteKey deletes a signing key: tokens it signed stop opening anything at once.
func DeleteKey(ctx context.Context, q store.Queryer, id string) error {
	res, err := q.ExecContext(ctx, `DELETE FROM signing_keys WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrKeyNotFound
	}
	return nil
}

// PublicKey is the key's public half, to check a token's signature.
func (k Key) PublicKey() (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(k.public))
	if block == nil {
		return nil, fmt.Errorf("playback: signing key %s: stored public key is not PEM", k.ID)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("playback: signing key %s: %w", k.ID, err)
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("playback: signing key %s is not RSA", k.ID)
	}
	return rsaPub, nil
}
