package sharing

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"reelvault/backend/fail"
	"reelvault/backend/store"
)

// Limits on what a caller may ask for.
const (
	DefaultExpiry   = 7 * 24 * time.Hour
	MinExpiry       = time.Minute
	MaxExpiry       = 10 * 365 * 24 * time.Hour
	MaxAssets       = 100
	MaxLabelLen     = 200
	MaxPasswordLen  = 128
	MaxDownloadsCap = 1_000_000
	// resumeWindow is how long an unfinished download stays open for the
	// same client to resume (curl -C -, wget -c) and still count once.
	resumeWindow = 24 * time.Hour
	// joinWindow is how long after a download completed a request from
	// further into the file still counts as part of it.
	joinWindow = 10 * time.Minute
)

// ErrNotFound is a link id or token that names nothing.
var ErrNotFound = fail.NotFound("share link")

// Library is what sharing needs of the archive.
type Library interface {
	// SharedAsset describes a ready asset and its files; fail.NotFound
	// (or another error) when it cannot be shared.
	SharedAsset(ctx context.Context, id string) (Asset, error)
}

// Config is what the service needs.
type Config struct {
	DB      *store.DB
	Library Library
	// BaseURL is the share listener's public base ("http://host:port"); it
	// may change while running (the listener moves).
	BaseURL func() string
	// Render is the JSON of a link in webhook events (wire.NewShareLink).
	Render func(View) any
	Now    func() time.Time
	Log    *slog.Logger
	// PasswordCost is bcrypt's cost; 0 means bcrypt.DefaultCost.
	PasswordCost int
}

// Service keeps share links.
type Service struct {
	cfg Config

	mu      sync.Mutex
	sending map[int64]int // download id: responses being sent (Begin to Record)
}

// New makes the service. It does no I/O.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = bcrypt.DefaultCost
	}
	cfg.Log = cfg.Log.With("component", "sharing")
	return &Service{cfg: cfg, sending: map[int64]int{}}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Expiry is when a link should expire, as the caller asked: exactly one of
// In, At or Never, or nothing (the default).
type Expiry struct {
	Set   bool
	Never bool
	In    time.Duration
	At    time.Time
}

// CreateParams is a new link.
type CreateParams struct {
	AssetIDs     []string
	Label        string
	Expiry       Expiry
	MaxDownloads int
	Password     string
	Kinds        []string
}

// UpdateParams changes a link; nil fields stay.
type UpdateParams struct {
	Label        *string
	Expiry       Expiry // Set false: unchanged
	MaxDownloads *int
}

// View is a link with what it offers, for the API and the landing page.
type View struct {
	Link
	URL    string
	Status string
	Assets []Asset // with each File's URL set
}

func (s *Service) expiresAt(e Expiry, field string) (time.Time, error) {
	now := s.cfg.Now()
	switch {
	case !e.Set:
		return now.Add(DefaultExpiry).Truncate(time.Second), nil
	case e.Never:
		return time.Time{}, nil
	case !e.At.IsZero():
		if !e.At.After(now) {
			return time.Time{}, fail.Invalid("expires_at", "must be in the future")
		}
		if e.At.Sub(now) > MaxExpiry {
			return time.Time{}, fail.Invalid("expires_at", "must be within 10 years (or use \"never\")")
		}
		return e.At.Truncate(time.Second), nil
	default:
		if e.In < MinExpiry || e.In > MaxExpiry {
			return time.Time{}, fail.Invalid(field, "must be between 60 seconds and 10 years (or \"never\")")
		}
		return now.Add(e.In).Truncate(time.Second), nil
	}
}

func checkLabel(label string) error {
	if len(label) > MaxLabelLen {
		return fail.Invalid("label", "must be at most %d bytes", MaxLabelLen)
	}
	return nil
}

func checkMax(n int) error {
	if n < 0 || n > MaxDownloadsCap {
		return fail.Invalid("max_downloads", "must be between 0 (no limit) and %d", MaxDownloadsCap)
	}
	return nil
}

// Create makes a link.
func (s *Service) Create(ctx context.Context, p CreateParams) (View, error) {
	if len(p.AssetIDs) == 0 || len(p.AssetIDs) > MaxAssets {
		return View{}, fail.Invalid("asset_ids", "must list 1 to %d assets", MaxAssets)
	}
	ids := make([]string, 0, len(p.AssetIDs))
	for _, id := range p.AssetIDs {
		if slices.Contains(ids, id) {
			return View{}, fail.Invalid("asset_ids", "lists %q twice", id)
		}
		if _, err := s.cfg.Library.SharedAsset(ctx, id); err != nil {
			var nf *fail.NotFoundError
			if errors.As(err, &nf) {
				return View{}, fail.Invalid("asset_ids", "%q is not an asset", id)
			}
			return View{}, err
		}
		ids = append(ids, id)
	}
	if err := checkLabel(p.Label); err != nil {
		return View{}, err
	}
	if err := checkMax(p.MaxDownloads); err != nil {
		return View{}, err
	}
	exp, err := s.expiresAt(p.Expiry, "expires_in")
	if err != nil {
		return View{}, err
	}
	kinds := p.Kinds
	if len(kinds) == 0 {
		kinds = []string{KindMaster}
	}
	for _, k := range kinds {
		if !KnownKind(k) {
			return View{}, fail.Invalid("files", "%q is not a kind of file: use \"master\", \"original\" or a static rendition's resolution (%s)",
				k, strings.Join(RenditionKinds, ", "))
		}
	}
	kinds = slices.Compact(slices.Sorted(slices.Values(kinds)))
	var hash string
	if p.Password != "" {
		if len(p.Password) > MaxPasswordLen {
			return View{}, fail.Invalid("password", "must be at most %d bytes", MaxPasswordLen)
		}
		h, err := bcrypt.GenerateFromPassword([]byte(p.Password), s.cfg.PasswordCost)
		if err != nil {
			return View{}, fmt.Errorf("hash password: %w", err)
		}
		hash = string(h)
	}
	l := Link{ID: randomID(12), Token: randomToken(), Label: p.Label, AssetIDs: ids, CreatedAt: s.cfg.Now().Truncate(time.Second),
		ExpiresAt: exp, MaxDownloads: p.MaxDownloads, PasswordHash: hash, Kinds: kinds}
	kindsJSON, _ := json.Marshal(kinds)
	err = s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO share_links (id, token, label, created_at, expires_at, max_downloads, password_hash, files)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.Token, l.Label, l.CreatedAt.Unix(), nullTime(l.ExpiresAt), l.MaxDownloads, hash, string(kindsJSON)); err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO share_link_assets (link_id, asset_id, position) VALUES (?, ?, ?)`, l.ID, id, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return View{}, fmt.Errorf("create share link: %w", err)
	}
	s.cfg.Log.Info("share link created", "id", l.ID, "assets", len(ids), "label", l.Label)
	return s.View(ctx, l)
}

// Get returns a link by id.
func (s *Service) Get(ctx context.Context, id string) (Link, error) {
	ls, err := s.query(ctx, `WHERE l.id = ?`, id)
	if err != nil {
		return Link{}, err
	}
	if len(ls) == 0 {
		return Link{}, ErrNotFound
	}
	return ls[0], nil
}

// ByToken returns the link a URL's token names.
func (s *Service) ByToken(ctx context.Context, token string) (Link, error) {
	if len(token) != tokenLen {
		return Link{}, ErrNotFound
	}
	ls, err := s.query(ctx, `WHERE l.token = ?`, token)
	if err != nil {
		return Link{}, err
	}
	if len(ls) == 0 {
		return Link{}, ErrNotFound
	}
	return ls[0], nil
}

// List lists links, newest first, optionally only those sharing assetID.
func (s *Service) List(ctx context.Context, assetID string, limit, page int) ([]Link, error) {
	limit, page, err := store.NormalizePage(limit, page)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if assetID != "" {
		where = `WHERE l.id IN (SELECT link_id FROM share_link_assets WHERE asset_id = ?)`
		args = append(args, assetID)
	}
	args = append(args, limit, (page-1)*limit)
	return s.query(ctx, where+` ORDER BY l.created_at DESC, l.id LIMIT ? OFFSET ?`, args...)
}

func (s *Service) query(ctx context.Context, tail string, args ...any) ([]Link, error) {
	rows, err := s.cfg.DB.QueryContext(ctx, `SELECT l.id, l.token, l.label, l.created_at, l.expires_at, l.max_downloads,
		l.password_hash, l.files, l.revoked_at,
		(SELECT count(*) FROM share_downloads d WHERE d.link_id = l.id AND d.complete = 1),
		(SELECT max(d.last_at) FROM share_downloads d WHERE d.link_id = l.id AND d.complete = 1),
		(SELECT group_concat(asset_id, char(31)) FROM (SELECT asset_id FROM share_link_assets a WHERE a.link_id = l.id ORDER BY position))
		FROM share_links l `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("share links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		var created int64
		var expires, revoked, last sql.NullInt64
		var kinds string
		var assets sql.NullString
		if err := rows.Scan(&l.ID, &l.Token, &l.Label, &created, &expires, &l.MaxDownloads, &l.PasswordHash, &kinds, &revoked,
			&l.Downloads, &last, &assets); err != nil {
			return nil, fmt.Errorf("share links: %w", err)
		}
		l.CreatedAt = time.Unix(created, 0).UTC()
		l.ExpiresAt = fromNull(expires)
		l.RevokedAt = fromNull(revoked)
		l.LastDownload = fromNull(last)
		if err := json.Unmarshal([]byte(kinds), &l.Kinds); err != nil {
			return nil, fmt.Errorf("share link %s: files: %w", l.ID, err)
		}
		if assets.String != "" {
			l.AssetIDs = strings.Split(assets.String, "\x1f")
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Update changes a link's label, expiry or limit; a revoked link cannot change.
func (s *Service) Update(ctx context.Context, id string, p UpdateParams) (View, error) {
	l, err := s.Get(ctx, id)
	if err != nil {
		return View{}, err
	}
	if !l.RevokedAt.IsZero() {
		return View{}, fail.Precondition("Share link is revoked")
	}
	if p.Label != nil {
		if err := checkLabel(*p.Label); err != nil {
			return View{}, err
		}
		l.Label = *p.Label
	}
	if p.MaxDownloads != nil {
		if err := checkMax(*p.MaxDownloads); err != nil {
			return View{}, err
		}
		l.MaxDownloads = *p.MaxDownloads
	}
	if p.Expiry.Set {
		if l.ExpiresAt, err = s.expiresAt(p.Expiry, "expires_in"); err != nil {
			return View{}, err
		}
	}
	err = s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		// An extended link may expire again, and say so again.
		_, err := tx.ExecContext(ctx, `UPDATE share_links SET label = ?, max_downloads = ?, expires_at = ?,
			expired_notified = CASE WHEN ? THEN 0 ELSE expired_notified END WHERE id = ?`,
			l.Label, l.MaxDownloads, nullTime(l.ExpiresAt), p.Expiry.Set, id)
		return err
	})
	if err != nil {
		return View{}, fmt.Errorf("update share link: %w", err)
	}
	return s.View(ctx, l)
}

// Revoke ends one link for good; the others stay.
func (s *Service) Revoke(ctx context.Context, id string) error {
	var n int64
	err := s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE share_links SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, s.cfg.Now().Unix(), id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke share link: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	s.cfg.Log.Info("share link revoked", "id", id)
	return nil
}

// View resolves what a link offers. Assets deleted since, or without a
// master now, are left out (the link and its other assets keep working).
func (s *Service) View(ctx context.Context, l Link) (View, error) {
	base := s.cfg.BaseURL()
	v := View{Link: l, URL: base + "/s/" + l.Token, Status: l.Status(s.cfg.Now())}
	for _, id := range l.AssetIDs {
		a, err := s.cfg.Library.SharedAsset(ctx, id)
		var nf *fail.NotFoundError
		var pre *fail.PreconditionError
		if errors.As(err, &nf) || errors.As(err, &pre) {
			continue
		}
		if err != nil {
			return View{}, err
		}
		var files []File
		for _, f := range a.Files {
			if slices.Contains(l.Kinds, f.Kind) {
				f.URL = v.URL + "/f/" + url.PathEscape(a.ID) + "/" + f.Kind + "/" + url.PathEscape(f.Name)
				files = append(files, f)
			}
		}
		a.Files = files
		a.Play = playable(files)
		v.Assets = append(v.Assets, a)
	}
	return v, nil
}

// playable is the file a landing page plays: the smallest video proxy (it
// streams best), else the master.
func playable(files []File) *File {
	var best *File
	for i, f := range files {
		if IsRendition(f.Kind) && f.Kind != "audio-only" && (best == nil || f.Size < best.Size) {
			best = &files[i]
		}
	}
	if best != nil {
		return best
	}
	for i, f := range files {
		if f.Kind == KindMaster {
			return &files[i]
		}
	}
	return nil
}

// Downloads is a link's download log, newest first.
func (s *Service) Downloads(ctx context.Context, id string, limit, page int) ([]Download, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	limit, page, err := store.NormalizePage(limit, page)
	if err != nil {
		return nil, err
	}
	rows, err := s.cfg.DB.QueryContext(ctx, `SELECT id, asset_id, file_kind, started_at, last_at, client, user_agent, bytes_sent, file_size, complete
		FROM share_downloads WHERE link_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, id, limit, (page-1)*limit)
	if err != nil {
		return nil, fmt.Errorf("share downloads: %w", err)
	}
	defer rows.Close()
	var out []Download
	for rows.Next() {
		var d Download
		var started, last int64
		if err := rows.Scan(&d.ID, &d.AssetID, &d.Kind, &started, &last, &d.Client, &d.UserAgent, &d.BytesSent, &d.FileSize, &d.Complete); err != nil {
			return nil, err
		}
		d.StartedAt, d.LastAt = time.Unix(started, 0).UTC(), time.Unix(last, 0).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

const tokenLen = 43 // 32 bytes, base64url without padding

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromNull(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}
