package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"reelvault/backend/fail"
	"reelvault/backend/links"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// Static rendition statuses, as Mux names them.
const (
	RenditionPreparing = "preparing"
	RenditionReady     = "ready"
	RenditionErrored   = "errored"
	RenditionSkipped   = "skipped"
)

// Rendition is one static rendition of an asset: an MP4 (or M4A) proxy of
// its master that an editor can relink to the master.
type Rendition struct {
	ID          string
	AssetID     string
	Resolution  string // Mux's resolution; for legacy ones, capped-1080p, high, medium, low or audio-only
	Legacy      bool   // made for mp4_support
	Name        string // "720p.mp4", "audio.m4a", "capped-1080p.mp4"...
	Status      string
	Passthrough string
	Width       int
	Height      int
	Bitrate     int64
	FileSize    int64
	SHA256      string
	File        string // relative to the data folder, once ready
	Error       string // why it errored or was skipped
	CreatedAt   time.Time
}

// Ext is the file's extension as Mux names it: "mp4" or "m4a".
func (r Rendition) Ext() string {
	if r.Resolution == media.ProxyAudioOnly {
		return "m4a"
	}
	return "mp4"
}

// Type is Mux's rendition type: "standard" for highest and audio-only,
// "advanced" for a chosen resolution.
func (r Rendition) Type() string {
	if r.Resolution == media.ProxyHighest || r.Resolution == media.ProxyAudioOnly {
		return "standard"
	}
	return "advanced"
}

// ResolutionTier is the tier the rendition's picture falls in, once known.
func (r Rendition) ResolutionTier() string {
	if r.Resolution == media.ProxyAudioOnly {
		return media.TierAudioOnly
	}
	if r.Width == 0 {
		return ""
	}
	return media.ResolutionTierFor(r.Width, r.Height)
}

// RenditionRequest is one entry of Mux's static_renditions.
type RenditionRequest struct {
	Resolution  string
	Passthrough string
}

// MP4 support values, as Mux documents mp4_support (deprecated there, mapped
// to renditions here).
const (
	MP4None     = "none"
	MP4Standard = "standard"
	MP4Capped   = "capped-1080p"
	MP4Audio    = "audio-only"
	MP4Both     = "audio-only,capped-1080p"
)

// MP4Supports is mp4_support's values.
var MP4Supports = []string{MP4None, MP4Standard, MP4Capped, MP4Audio, MP4Both}

// maxRenditions bounds how many renditions one asset may ask for.
const maxRenditions = 10

// legacyRendition is one file mp4_support makes: its name and how.
type legacyRendition struct {
	resolution string // stored in the row
	name       string
	proxy      string // the media resolution it is made at
	capShort   int
}

var legacyRenditions = map[string]legacyRendition{
	"capped-1080p": {"capped-1080p", "capped-1080p.mp4", media.ProxyHighest, 1080},
	"audio-only":   {"audio-only", "audio.m4a", media.ProxyAudioOnly, 0},
	"high":         {"high", "high.mp4", "720p", 0},
	"medium":       {"medium", "medium.mp4", "480p", 0},
	"low":          {"low", "low.mp4", "270p", 0},
}

// legacyFor is the files an mp4_support value makes.
func legacyFor(mp4Support string) []string {
	switch mp4Support {
	case MP4Standard:
		return []string{"high", "medium", "low"}
	case MP4Capped:
		return []string{"capped-1080p"}
	case MP4Audio:
		return []string{"audio-only"}
	case MP4Both:
		return []string{"audio-only", "capped-1080p"}
	}
	return nil
}

// MP4SupportOf is the mp4_support an asset's renditions say it has.
func MP4SupportOf(rs []Rendition) string {
	var have []string
	for _, r := range rs {
		if r.Legacy {
			have = append(have, r.Resolution)
		}
	}
	switch {
	case len(have) == 0:
		return MP4None
	case slices.Contains(have, "high") || slices.Contains(have, "low"):
		return MP4Standard
	case slices.Contains(have, "audio-only") && slices.Contains(have, "capped-1080p"):
		return MP4Both
	case slices.Contains(have, "audio-only"):
		return MP4Audio
	}
	return MP4Capped
}

func checkRenditionRequests(reqs []RenditionRequest, mp4Support string) error {
	if len(reqs) > maxRenditions {
		return invalid("static_renditions", "may list at most %d renditions", maxRenditions)
	}
	var seen []string
	for i, r := range reqs {
		field := fmt.Sprintf("static_renditions[%d]", i)
		if err := oneOf(field+".resolution", r.Resolution, media.ProxyResolutions); err != nil {
			return err
		}
		if err := maxLen(field+".passthrough", r.Passthrough, 255); err != nil {
			return err
		}
		if slices.Contains(seen, r.Resolution) {
			return invalid(field+".resolution", "%q is listed twice", r.Resolution)
		}
		seen = append(seen, r.Resolution)
	}
	if mp4Support != "" {
		if err := oneOf("mp4_support", mp4Support, MP4Supports); err != nil {
			return err
		}
		if mp4Support != MP4None && len(reqs) > 0 {
			return invalid("mp4_support", "cannot be combined with static_renditions; use static_renditions alone")
		}
	}
	return nil
}

func renditionName(resolution string) string {
	switch resolution {
	case media.ProxyAudioOnly:
		return "audio.m4a"
	}
	return resolution + ".mp4"
}

const renditionColumns = `id, asset_id, resolution, legacy, name, status, passthrough, width, height, bitrate,
	filesize, sha256, file, error, created_ns`

func scanRendition(row scanner) (Rendition, error) {
	var r Rendition
	var w, h, br, size sql.NullInt64
	var sum, file, msg sql.NullString
	var created int64
	if err := row.Scan(&r.ID, &r.AssetID, &r.Resolution, &r.Legacy, &r.Name, &r.Status, &r.Passthrough,
		&w, &h, &br, &size, &sum, &file, &msg, &created); err != nil {
		return Rendition{}, err
	}
	r.Width, r.Height, r.Bitrate, r.FileSize = int(w.Int64), int(h.Int64), br.Int64, size.Int64
	r.SHA256, r.File, r.Error = sum.String, file.String, msg.String
	r.CreatedAt = time.Unix(0, created)
	return r, nil
}

func renditionsOf(ctx context.Context, q queryer, assetIDs ...string) (map[string][]Rendition, error) {
	out := map[string][]Rendition{}
	if len(assetIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(assetIDs))
	for i, id := range assetIDs {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT `+renditionColumns+` FROM static_renditions WHERE asset_id IN (?`+
		strings.Repeat(",?", len(assetIDs)-1)+`) ORDER BY created_ns, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("static renditions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRendition(rows)
		if err != nil {
			return nil, err
		}
		out[r.AssetID] = append(out[r.AssetID], r)
	}
	return out, rows.Err()
}

func getRendition(ctx context.Context, q queryer, id string) (Rendition, error) {
	r, err := scanRendition(q.QueryRowContext(ctx, `SELECT `+renditionColumns+` FROM static_renditions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Rendition{}, ErrRenditionNotFound
	}
	return r, err
}

func saveRendition(ctx context.Context, q queryer, r Rendition) error {
	nz := func(n int64) any {
		if n == 0 {
			return nil
		}
		return n
	}
	_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO static_renditions (`+renditionColumns+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.ID, r.AssetID, r.Resolution, r.Legacy, r.Name, r.Status, r.Passthrough,
		nz(int64(r.Width)), nz(int64(r.Height)), nz(r.Bitrate), nz(r.FileSize), null(r.SHA256), null(r.File), null(r.Error),
		r.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("save static rendition %s: %w", r.ID, err)
	}
	return nil
}

// ErrRenditionNotFound is a rendition id that names nothing (of this asset).
var ErrRenditionNotFound = fail.NotFound("static rendition")

// emitRendition appends a static rendition event in tx: its data is the
// rendition with its asset's id, as Mux sends it.
func (s *Service) emitRendition(ctx context.Context, tx *store.Tx, typ string, r Rendition) error {
	if r.Legacy || s.cfg.RenditionEvent == nil {
		return nil // mp4_support's files have no events of their own (as Mux)
	}
	now := s.now()
	_, err := tx.AppendEvent(ctx, now, "video.asset.static_rendition."+typ, "asset", r.AssetID, s.cfg.RenditionEvent(r))
	return err
}

// addRenditionsInTx records the renditions a new or existing asset asks
// for, preparing, and queues their builds when the master is ready.
func (s *Service) addRenditionsInTx(ctx context.Context, tx *store.Tx, a Asset, reqs []RenditionRequest, mp4Support string) ([]Rendition, error) {
	var made []Rendition
	add := func(r Rendition) error {
		r.ID = strings.ReplaceAll(uuid.NewString(), "-", "")
		r.AssetID, r.Status, r.CreatedAt = a.ID, RenditionPreparing, s.now()
		if a.Status == StatusErrored {
			r.Status, r.Error = RenditionErrored, "the asset could not be made"
		}
		if err := saveRendition(ctx, tx, r); err != nil {
			return err
		}
		if err := s.emitRendition(ctx, tx, "created", r); err != nil {
			return err
		}
		if r.Status == RenditionErrored {
			if err := s.emitRendition(ctx, tx, "errored", r); err != nil {
				return err
			}
		}
		if a.Status == StatusReady {
			if err := s.jobs.Enqueue(ctx, tx, jobRendition, r.ID, 0); err != nil {
				return err
			}
		}
		made = append(made, r)
		return nil
	}
	for _, req := range reqs {
		if err := add(Rendition{Resolution: req.Resolution, Name: renditionName(req.Resolution), Passthrough: req.Passthrough}); err != nil {
			return nil, err
		}
	}
	for _, l := range legacyFor(mp4Support) {
		lr := legacyRenditions[l]
		if err := add(Rendition{Resolution: lr.resolution, Name: lr.name, Legacy: true}); err != nil {
			return nil, err
		}
	}
	return made, nil
}

// startRenditionsInTx queues the builds of an asset's preparing renditions:
// its master just became ready.
func (s *Service) startRenditionsInTx(ctx context.Context, tx *store.Tx, assetID string) error {
	rs, err := renditionsOf(ctx, tx, assetID)
	if err != nil {
		return err
	}
	for _, r := range rs[assetID] {
		if r.Status == RenditionPreparing {
			if err := s.jobs.Enqueue(ctx, tx, jobRendition, r.ID, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// reofferSkippedInTx makes again the skipped renditions a new master can give (a rebuild
// to a larger size): they are preparing again, with the event a new one sends, and
// queued. It returns how many. A ready rendition larger than the master is kept.
func (s *Service) reofferSkippedInTx(ctx context.Context, tx *store.Tx, assetID string, master *media.Info) (int, error) {
	rs, err := renditionsOf(ctx, tx, assetID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rs[assetID] {
		if r.Status != RenditionSkipped {
			continue
		}
		if _, skip := planRendition(master, r); skip != "" {
			continue
		}
		r.Status, r.Error = RenditionPreparing, ""
		if err := saveRendition(ctx, tx, r); err != nil {
			return 0, err
		}
		if err := s.emitRendition(ctx, tx, "created", r); err != nil {
			return 0, err
		}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	return n, s.startRenditionsInTx(ctx, tx, assetID)
}

// failRenditionsInTx errors the preparing renditions of an asset that will
// not become ready.
func (s *Service) failRenditionsInTx(ctx context.Context, tx *store.Tx, assetID, why string) error {
	rs, err := renditionsOf(ctx, tx, assetID)
	if err != nil {
		return err
	}
	for _, r := range rs[assetID] {
		if r.Status != RenditionPreparing {
			continue
		}
		r.Status, r.Error = RenditionErrored, why
		if err := saveRendition(ctx, tx, r); err != nil {
			return err
		}
		if err := s.emitRendition(ctx, tx, "errored", r); err != nil {
			return err
		}
	}
	return nil
}

// Renditions lists an asset's static renditions, oldest first.
func (s *Service) Renditions(ctx context.Context, assetID string) ([]Rendition, error) {
	if _, err := getAsset(ctx, s.db, assetID); err != nil {
		return nil, err
	}
	rs, err := renditionsOf(ctx, s.db, assetID)
	return rs[assetID], err
}

// Rendition returns one static rendition of an asset.
func (s *Service) Rendition(ctx context.Context, assetID, id string) (Rendition, error) {
	if _, err := getAsset(ctx, s.db, assetID); err != nil {
		return Rendition{}, err
	}
	r, err := getRendition(ctx, s.db, id)
	if err == nil && r.AssetID != assetID {
		return Rendition{}, ErrRenditionNotFound
	}
	return r, err
}

// CreateRendition asks for one more static rendition of an asset (Mux's
// POST .../static-renditions). It is made once the master is ready.
func (s *Service) CreateRendition(ctx context.Context, assetID string, req RenditionRequest) (Rendition, error) {
	if req.Resolution == "" {
		return Rendition{}, invalid("resolution", "is required: one of %q", media.ProxyResolutions)
	}
	if err := checkRenditionRequests([]RenditionRequest{req}, ""); err != nil {
		return Rendition{}, fail.Invalid(strings.TrimPrefix(fieldOf(err), "static_renditions[0]."), "%s", messageOf(err))
	}
	var out Rendition
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := getAsset(ctx, tx, assetID)
		if err != nil {
			return err
		}
		rs, err := renditionsOf(ctx, tx, assetID)
		if err != nil {
			return err
		}
		for _, r := range rs[assetID] {
			if !r.Legacy && r.Resolution == req.Resolution {
				return invalid("resolution", "the asset already has a %s static rendition (%s)", req.Resolution, r.ID)
			}
		}
		if len(rs[assetID]) >= maxRenditions {
			return invalid("resolution", "the asset already has %d static renditions; delete one first", maxRenditions)
		}
		made, err := s.addRenditionsInTx(ctx, tx, a, []RenditionRequest{req}, "")
		if err != nil {
			return err
		}
		out = made[0]
		return nil
	})
	if err == nil {
		s.changed(assetID)
	}
	return out, err
}

// fieldOf and messageOf read an *fail.InvalidError's parts.
func fieldOf(err error) string {
	var ie *fail.InvalidError
	if errors.As(err, &ie) {
		return ie.Field
	}
	return ""
}

func messageOf(err error) string {
	var ie *fail.InvalidError
	if errors.As(err, &ie) {
		return ie.Message
	}
	return err.Error()
}

// DeleteRendition removes a static rendition and its file (a build in
// progress is stopped). The master is never touched.
func (s *Service) DeleteRendition(ctx context.Context, assetID, id string) error {
	r, err := s.Rendition(ctx, assetID, id)
	if err != nil {
		return err
	}
	s.cancelBuild(r.ID)
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM static_renditions WHERE id = ?`, r.ID); err != nil {
			return err
		}
		return s.emitRendition(ctx, tx, "deleted", r)
	})
	if err != nil {
		return err
	}
	s.removeRenditionFiles(r)
	s.changed(assetID)
	return nil
}

// SetMP4Support replaces the files mp4_support made with those value makes
// (Mux's PUT .../mp4-support; "none" removes them).
func (s *Service) SetMP4Support(ctx context.Context, assetID, value string) (Asset, error) {
	if err := oneOf("mp4_support", value, MP4Supports); err != nil {
		return Asset{}, err
	}
	var removed []Rendition
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := getAsset(ctx, tx, assetID)
		if err != nil {
			return err
		}
		if a.Status != StatusReady {
			return ErrNotReady
		}
		for _, r := range a.Renditions {
			if r.Legacy {
				if _, err := tx.ExecContext(ctx, `DELETE FROM static_renditions WHERE id = ?`, r.ID); err != nil {
					return err
				}
				removed = append(removed, r)
			}
		}
		if _, err := s.addRenditionsInTx(ctx, tx, a, nil, value); err != nil {
			return err
		}
		a, err = getAsset(ctx, tx, assetID)
		if err != nil {
			return err
		}
		return s.emit(ctx, tx, "video.asset.updated", a)
	})
	if err != nil {
		return Asset{}, err
	}
	for _, r := range removed {
		s.cancelBuild(r.ID)
		s.removeRenditionFiles(r)
	}
	s.changed(assetID)
	return s.Get(ctx, assetID)
}

func (s *Service) changed(assetID string) {
	if s.cfg.Changed != nil {
		s.cfg.Changed(assetID)
	}
}

// renditionPath is where a rendition's file lives, relative to the data
// folder: named after its asset first, so start-up knows whose it is.
func renditionPath(r Rendition) string {
	return "renditions/" + r.AssetID + "." + r.ID + "." + r.Ext()
}

func (s *Service) removeRenditionFiles(r Rendition) {
	rel := renditionPath(r)
	os.Remove(s.abs(rel))
	os.Remove(s.abs(rel + ".part"))
}

func renditionsList(ctx context.Context, q queryer, assetID string) ([]Rendition, error) {
	rs, err := renditionsOf(ctx, q, assetID)
	return rs[assetID], err
}

// DownloadName is the file name a rendition downloads as: the asset's title
// and the rendition ("Interview - 720p.mp4", "Interview - audio.m4a"), so it
// sits beside the master's "Interview.mp4" without taking its name.
func (r Rendition) DownloadName(title string) string {
	label := strings.TrimSuffix(r.Name, "."+r.Ext())
	return links.SafeFileNameExt(title+" - "+label, "."+r.Ext())
}

// MimeType is the rendition's Content-Type.
func (r Rendition) MimeType() string {
	if r.Ext() == "m4a" {
		return "audio/mp4"
	}
	return "video/mp4"
}

// ReadyRendition is the ready rendition of an asset with this file name
// ("720p.mp4"), or false.
func (a Asset) ReadyRendition(name string) (Rendition, bool) {
	for _, r := range a.Renditions {
		if r.Name == name && r.Status == RenditionReady && r.File != "" {
			return r, true
		}
	}
	return Rendition{}, false
}
