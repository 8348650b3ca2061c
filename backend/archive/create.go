package archive

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"reelvault/backend/fail"
	"reelvault/backend/fetch"
	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// CreateParams describes a new asset. Sources other than the API (uploads,
// watch folders, live) set Source and their ids themselves.
type CreateParams struct {
	Input string
	AssetSettings

	Source       string // default: file or url, from Input
	IngestType   string // default on_demand_url
	UploadID     string
	LiveStreamID string
	// InputSHA256 is the input's SHA-256 when its source already knows it (an
	// upload hashes its chunks as they arrive): a master that is the input
	// itself then needs no hashing pass. Set by the app, never from a request.
	InputSHA256 string
	// Notify marks an asset a person added (the window, a watch folder, "Open with", a live
	// stream): the desktop window tells them when its master is ready or fails. Set by the
	// app, never from a request's body.
	Notify bool

	credentials *url.Userinfo // split off an http input by Validate; kept apart from the asset
}

// Validate checks the parameters and fills in defaults.
func (p *CreateParams) Validate() error {
	in, err := fetch.Parse(p.Input)
	if err != nil {
		return invalid("input", "%s", err.Error())
	}
	if p.Source == "" {
		p.Source = SourceFile
		if in.Remote {
			p.Source = SourceURL
		}
	}
	if !in.Remote {
		p.Input = in.Path
	} else {
		p.Input, p.credentials = in.URL, in.Credentials
	}
	if p.IngestType == "" {
		p.IngestType = "on_demand_url"
	}
	if err := p.AssetSettings.Validate(); err != nil {
		return err
	}
	p.AssetSettings = p.AssetSettings.WithDefaults()
	return nil
}

func (m Meta) validate() error {
	for _, err := range []error{
		maxLen("meta.title", m.Title, 512),
		maxLen("meta.creator_id", m.CreatorID, 128),
		maxLen("meta.external_id", m.ExternalID, 128),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// Create records a new asset and queues the building of its master.
func (s *Service) Create(ctx context.Context, p CreateParams) (Asset, error) {
	if err := p.Validate(); err != nil {
		return Asset{}, err
	}
	return s.CreateInTx(ctx, nil, p)
}

// CreateInTx is Create inside a caller's transaction (tx may be nil), so a
// source can record its own change (an upload completing) atomically with the
// new asset. p must have been validated.
func (s *Service) CreateInTx(ctx context.Context, tx *store.Tx, p CreateParams) (Asset, error) {
	a := Asset{
		ID: strings.ReplaceAll(uuid.NewString(), "-", ""), CreatedAt: s.now(),
		Status: StatusPreparing, Source: p.Source, Input: p.Input, IngestType: p.IngestType,
		MaxResolutionTier: p.MaxResolutionTier, VideoQuality: p.VideoQuality, Passthrough: p.Passthrough,
		Meta: p.Meta, UploadID: p.UploadID, LiveStreamID: p.LiveStreamID, InputSHA256: p.InputSHA256,
		ProgressState: ProgressIngesting, MasterAccess: p.MasterAccess, LinkGeneration: 1,
	}
	if a.MasterAccess == AccessTemporary {
		a.MasterStatus = MasterPreparing
	}
	write := func(tx *store.Tx) error {
		if err := saveAsset(ctx, tx, &a); err != nil {
			return err
		}
		if err := saveInputCredentials(ctx, tx, a.ID, p.credentials); err != nil {
			return err
		}
		if err := addPlaybackIDs(ctx, tx, &a, p.PlaybackPolicies); err != nil {
			return err
		}
		if err := markNotify(ctx, tx, a.ID, p.Notify); err != nil {
			return err
		}
		rs, err := s.addRenditionsInTx(ctx, tx, a, p.StaticRenditions, p.MP4Support)
		if err != nil {
			return err
		}
		a.Renditions = rs
		if err := s.emit(ctx, tx, "video.asset.created", a); err != nil {
			return err
		}
		if a.MasterAccess == AccessTemporary {
			if err := s.emit(ctx, tx, "video.asset.master.preparing", a); err != nil {
				return err
			}
		}
		first := jobBuildMaster
		if in, err := fetch.Parse(a.Input); err == nil && in.Remote {
			first = jobDownloadInput
		}
		return s.jobs.Enqueue(ctx, tx, first, a.ID, 0)
	}
	if tx != nil {
		return a, write(tx)
	}
	return a, s.db.Tx(ctx, write)
}

// UpdateParams is what PATCH may change (as Mux: passthrough and meta).
type UpdateParams struct {
	Passthrough   *string
	Meta          *Meta
	ThumbnailTime *float64 // seconds into the master; the thumbnail is made again there
	// ClearThumbnailTime goes back to the default frame (Mux's DELETE .../thumbnail-time).
	ClearThumbnailTime bool
}

// maxThumbnailTime bounds thumbnail_time before the duration is known: Mux's
// longest asset, 12 hours.
const maxThumbnailTime = 12 * 60 * 60

// Update changes the user's labels of an asset.
func (s *Service) Update(ctx context.Context, id string, p UpdateParams) (Asset, error) {
	if p.Passthrough != nil {
		if err := maxLen("passthrough", *p.Passthrough, 255); err != nil {
			return Asset{}, err
		}
	}
	if p.Meta != nil {
		if err := p.Meta.validate(); err != nil {
			return Asset{}, err
		}
	}
	if t := p.ThumbnailTime; t != nil && (math.IsNaN(*t) || *t < 0 || *t > maxThumbnailTime) {
		return Asset{}, fail.Invalid("thumbnail_time", "must be between 0 and the asset's duration in seconds")
	}
	return s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if p.Passthrough != nil {
			a.Passthrough = *p.Passthrough
		}
		if t := p.ThumbnailTime; t != nil || (p.ClearThumbnailTime && a.ThumbnailTime != nil) {
			if t != nil && a.Duration > 0 && *t > a.Duration {
				return fail.Invalid("thumbnail_time", "%g is past the asset's end (%.3f s)", *t, a.Duration)
			}
			a.ThumbnailTime = t
			if a.Status == StatusReady {
				if err := s.jobs.Enqueue(ctx, tx, jobThumbnail, a.ID, 0); err != nil {
					return err
				}
			}
		}
		if p.Meta != nil {
			a.Meta = *p.Meta
		}
		return s.emit(ctx, tx, "video.asset.updated", *a)
	})
}

// Delete removes an asset, its master and thumbnail. A build in progress is
// stopped. The input file is never touched.
func (s *Service) Delete(ctx context.Context, id string) error {
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	// Free the space first, then record: on a full disk the database needs
	// room to commit, and deleting is how the user makes room.
	s.cancelBuild(id)
	if a.Rebuild != nil {
		s.cancelBuild(rebuildKey(a.Rebuild.ID))
	}
	s.removeFiles(a)
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := getAsset(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM input_credentials WHERE asset_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_previews WHERE asset_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_playback WHERE asset_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_rebuilds WHERE asset_id = ?`, id); err != nil {
			return err
		}
		// Its playback IDs stop serving with it.
		if err := playback.RemoveAll(ctx, tx, playback.ObjectAsset, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_notices WHERE asset_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM static_renditions WHERE asset_id = ?`, id); err != nil {
			return err
		}
		// The record that lets start-up remove this asset's files, and only these.
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO deleted_assets (id, deleted_at) VALUES (?, ?)`, id, s.now().Unix()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE ref = ? AND kind LIKE 'asset.%' AND state != 'running'`, id); err != nil {
			return err
		}
		if a.MasterStatus == MasterReady && a.MasterAccess == AccessTemporary {
			a.MasterAccess, a.MasterStatus = AccessNone, ""
			if err := s.emit(ctx, tx, "video.asset.master.deleted", a); err != nil {
				return err
			}
		}
		if err := s.emit(ctx, tx, "video.asset.deleted", a); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			s.setWaiting(id, "")
			s.removeFiles(a) // a build that finished meanwhile
			if s.cfg.Deleted != nil {
				s.cfg.Deleted(id)
			}
		})
		return nil
	})
	return err
}

// removeFiles removes what the app made for an asset: the master (and a
// half-written one), the thumbnail and previews, the downloaded input. Never the input.
func (s *Service) removeFiles(a Asset) {
	for _, f := range []string{a.MasterFile, a.ThumbnailFile} {
		if f != "" {
			os.Remove(s.abs(f))
		}
	}
	os.Remove(filepath.Join(s.mastersDir(), a.ID+".mp4.part"))
	if a.Rebuild != nil {
		s.removeRebuildFiles(a.ID, a.Rebuild.ID)
	}
	for _, r := range a.Renditions {
		s.cancelBuild(r.ID)
		s.removeRenditionFiles(r)
	}
	s.removePreviewFiles(a.ID)
	s.removePlaybackCopyFiles(a.ID)
	s.dropDownload(a.ID)
}

func saveInputCredentials(ctx context.Context, tx *store.Tx, id string, creds *url.Userinfo) error {
	if creds == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO input_credentials (asset_id, userinfo) VALUES (?, ?)`, id, creds.String())
	return err
}

// inputCredentials is what saveInputCredentials kept for an asset, or nil.
func inputCredentials(ctx context.Context, q queryer, id string) (*url.Userinfo, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT userinfo FROM input_credentials WHERE asset_id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := url.Parse("http://" + raw + "@host")
	if err != nil {
		return nil, err
	}
	return u.User, nil
}

// Notifies reports whether a person added the asset (CreateParams.Notify), so that the
// desktop window tells them about it.
func (s *Service) Notifies(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM asset_notices WHERE asset_id = ?`, id).Scan(&n)
	return n > 0, err
}

func markNotify(ctx context.Context, tx *store.Tx, id string, notify bool) error {
	if !notify {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO asset_notices (asset_id) VALUES (?)`, id)
	return err
}
