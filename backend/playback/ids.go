// Package playback is Mux's playback IDs and URL signing keys: which asset
// or live stream a playback ID opens, under which policy, and the tokens a
// signed playback ID needs (RS256 JWTs checked against a stored public key).
// Serving the files behind a playback ID is package delivery's.
package playback

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/store"
)

// Policies, as Mux names them. drm needs Mux's license service.
const (
	Public = "public"
	Signed = "signed"
)

// Object types a playback ID opens, as Mux's GET /video/v1/playback-ids names them.
const (
	ObjectAsset      = "asset"
	ObjectLiveStream = "live_stream"
)

// Policies is every policy Reelvault serves.
var Policies = []string{Public, Signed}

// ID is one playback ID.
type ID struct {
	ID         string
	Policy     string
	ObjectType string
	ObjectID   string
	CreatedAt  time.Time
}

// ErrNotFound is an unknown playback ID (or one of another object).
var ErrNotFound = fail.NotFound("playback ID")

// CheckPolicy refuses a policy outside Mux's, and drm, naming field.
func CheckPolicy(field, p string) error {
	if p == "drm" {
		return fail.Invalid(field, "drm is not supported: a local archive has no DRM license service")
	}
	if !slices.Contains(Policies, p) {
		return fail.Invalid(field, "%q is not one of %s", p, strings.Join(Policies, ", "))
	}
	return nil
}

// Unique is policies without repeats, in their first order: asking for
// "public" in both playback_policy and playback_policies makes one ID.
func Unique(policies []string) []string {
	var out []string
	for _, p := range policies {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// idAlphabet and idLen make Mux-like ids: 44 letters and digits, about 262
// random bits, so a playback ID cannot be guessed.
const (
	idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	idLen      = 44
)

// newID is a random id of idLen characters from idAlphabet.
func newID() string {
	out := make([]byte, 0, idLen)
	buf := make([]byte, 64)
	for len(out) < idLen {
		rand.Read(buf) // never fails (crypto/rand)
		for _, b := range buf {
			// 248 = 4*62: rejecting above it keeps every character equally likely.
			if b < 248 && len(out) < idLen {
				out = append(out, idAlphabet[int(b)%len(idAlphabet)])
			}
		}
	}
	return string(out)
}

// LooksLikeID reports whether s could be an id this package made, so a
// hostile path is refused before any look-up.
func LooksLikeID(s string) bool {
	if len(s) != idLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(idAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// Add gives an object a new playback ID under policy, in tx.
func Add(ctx context.Context, q store.Queryer, objectType, objectID, policy string, now time.Time) (ID, error) {
	if err := CheckPolicy("policy", policy); err != nil {
		return ID{}, err
	}
	id := ID{ID: newID(), Policy: policy, ObjectType: objectType, ObjectID: objectID, CreatedAt: now}
	_, err := q.ExecContext(ctx, `INSERT INTO playback_ids (id, policy, object_type, object_id, created_ns) VALUES (?, ?, ?, ?, ?)`,
		id.ID, id.Policy, id.ObjectType, id.ObjectID, now.UnixNano())
	if err != nil {
		return ID{}, fmt.Errorf("playback: adding an id: %w", err)
	}
	return id, nil
}

// AddAll gives an object one playback ID per policy (repeats made once).
func AddAll(ctx context.Context, q store.Queryer, objectType, objectID string, policies []string, now time.Time) ([]ID, error) {
	var out []ID
	for i, p := range Unique(policies) {
		id, err := Add(ctx, q, objectType, objectID, p, now.Add(time.Duration(i)))
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

const idColumns = `id, policy, object_type, object_id, created_ns`

func scanIDs(rows *sql.Rows) ([]ID, error) {
	defer rows.Close()
	var out []ID
	for rows.Next() {
		var id ID
		var ns int64
		if err := rows.Scan(&id.ID, &id.Policy, &id.ObjectType, &id.ObjectID, &ns); err != nil {
			return nil, err
		}
		id.CreatedAt = time.Unix(0, ns)
		out = append(out, id)
	}
	return out, rows.Err()
}

// Of is an object's playback IDs, oldest first (Mux's order).
func Of(ctx context.Context, q store.Queryer, objectType, objectID string) ([]ID, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+idColumns+` FROM playback_ids WHERE object_type = ? AND object_id = ?
		ORDER BY created_ns, rowid`, objectType, objectID)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// OfMany is the playback IDs of many objects of one type, by object id, in
// one query (a page of a list).
func OfMany(ctx context.Context, q store.Queryer, objectType string, objectIDs []string) (map[string][]ID, error) {
	out := map[string][]ID{}
	if len(objectIDs) == 0 {
		return out, nil
	}
	args := []any{objectType}
	for _, id := range objectIDs {
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+idColumns+` FROM playback_ids WHERE object_type = ? AND object_id IN (?`+
		strings.Repeat(", ?", len(objectIDs)-1)+`) ORDER BY created_ns, rowid`, args...)
	if err != nil {
		return nil, err
	}
	ids, err := scanIDs(rows)
	for _, id := range ids {
		out[id.ObjectID] = append(out[id.ObjectID], id)
	}
	return out, err
}

// Lookup is one playback ID, whatever it opens; ErrNotFound if none.
func Lookup(ctx context.Context, q store.Queryer, pid string) (ID, error) {
	if !LooksLikeID(pid) {
		return ID{}, ErrNotFound
	}
	rows, err := q.QueryContext(ctx, `SELECT `+idColumns+` FROM playback_ids WHERE id = ?`, pid)
	if err != nil {
		return ID{}, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return ID{}, err
	}
	if len(ids) == 0 {
		return ID{}, ErrNotFound
	}
	return ids[0], nil
}

// LookupOf is one playback ID of one object; ErrNotFound if the object has none by that id.
func LookupOf(ctx context.Context, q store.Queryer, objectType, objectID, pid string) (ID, error) {
	id, err := Lookup(ctx, q, pid)
	if err != nil {
		return ID{}, err
	}
	if id.ObjectType != objectType || id.ObjectID != objectID {
		return ID{}, ErrNotFound
	}
	return id, nil
}

// Remove deletes one playback ID of one object; it stops serving at once.
func Remove(ctx context.Context, q store.Queryer, objectType, objectID, pid string) error {
	res, err := q.ExecContext(ctx, `DELETE FROM playback_ids WHERE id = ? AND object_type = ? AND object_id = ?`, pid, objectType, objectID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// RemoveAll deletes every playback ID of an object (the object is deleted).
func RemoveAll(ctx context.Context, q store.Queryer, objectType, objectID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM playback_ids WHERE object_type = ? AND object_id = ?`, objectType, objectID)
	return err
}
