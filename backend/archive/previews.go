package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// jobPreviews makes an asset's hover-skim sprite (video) or waveform (audio only) after its
// master is ready: a lane of its own with one worker, so it never delays a build.
const jobPreviews = "asset.previews"

// previewsTimeout bounds one attempt; each ffmpeg run has its own, shorter bound too.
const previewsTimeout = 10 * time.Minute

// Previews are what the window shows beyond the thumbnail: a sprite to skim on hover and
// a waveform for audio. Empty fields mean none was made (yet).
type Previews struct {
	SpriteFile   string // absolute
	Sprite       *media.Sprite
	WaveformFile string // absolute
}

func spriteName(id string) string   { return filepath.Join("thumbs", id+".sprite.jpg") }
func waveformName(id string) string { return filepath.Join("thumbs", id+".wave.png") }

func (s *Service) registerPreviews(q *jobs.Queue) {
	q.Register(jobPreviews, jobs.Handler{Run: s.runPreviews, Workers: 1, MaxAttempts: 2, Timeout: previewsTimeout})
}

// enqueuePreviews asks for an asset's previews in the transaction that made its master ready.
func (s *Service) enqueuePreviews(ctx context.Context, tx *store.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM asset_previews WHERE asset_id = ?`, id); err != nil {
		return err
	}
	return s.jobs.Enqueue(ctx, tx, jobPreviews, id, 0)
}

// runPreviews makes the sprite or waveform from the master. A failure is logged and
// recorded as "none": previews are a convenience, the asset is ready either way.
func (s *Service) runPreviews(ctx context.Context, job jobs.Job) error {
	a, err := s.Get(ctx, job.Ref)
	if errors.Is(err, ErrNotFound) || (err == nil && (a.Status != StatusReady || a.MasterFile == "")) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.cfg.Space.Check(s.thumbsDir(), 4<<20); diskspace.IsShort(err) {
		return jobs.Later(s.cfg.SpaceRecheck, err)
	}
	master := s.abs(a.MasterFile)
	info, err := media.Probe(ctx, master)
	if err != nil {
		return s.masterFault(ctx, a, err)
	}
	var spriteRel, layoutJSON, waveRel sql.NullString
	if info.Video != nil {
		if layout, err := s.makePreviewFile(ctx, spriteName(a.ID), ".jpg", func(part string) (media.Sprite, error) {
			return media.MakeSprite(ctx, master, part, info)
		}); err != nil {
			if ctx.Err() != nil {
				return err
			}
			if s.masterReplaced(ctx, a.ID, a.MasterFile) {
				return errMasterReplaced
			}
			s.log.Warn("no hover sprite", "asset", a.ID, "err", err)
		} else {
			b, _ := json.Marshal(layout)
			spriteRel, layoutJSON = sql.NullString{String: spriteName(a.ID), Valid: true}, sql.NullString{String: string(b), Valid: true}
		}
	} else if info.Audio != nil {
		if _, err := s.makePreviewFile(ctx, waveformName(a.ID), ".png", func(part string) (media.Sprite, error) {
			return media.Sprite{}, media.MakeWaveform(ctx, master, part, info)
		}); err != nil {
			if ctx.Err() != nil {
				return err
			}
			if s.masterReplaced(ctx, a.ID, a.MasterFile) {
				return errMasterReplaced
			}
			s.log.Warn("no waveform", "asset", a.ID, "err", err)
		} else {
			waveRel = sql.NullString{String: waveformName(a.ID), Valid: true}
		}
	}
	res, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO asset_previews (asset_id, sprite_file, sprite, waveform_file, made_ns)
		SELECT id, ?, ?, ?, ? FROM assets WHERE id = ?`, spriteRel, layoutJSON, waveRel, s.now().UnixNano(), a.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Deleted meanwhile: its files go too.
		s.removePreviewFiles(a.ID)
		return nil
	}
	if s.cfg.Changed != nil {
		s.cfg.Changed(a.ID)
	}
	return nil
}

// makePreviewFile writes rel through a part file that make fills, then renames it into place.
func (s *Service) makePreviewFile(ctx context.Context, rel, ext string, make func(part string) (media.Sprite, error)) (media.Sprite, error) {
	base := rel[:len(rel)-len(ext)]
	part := s.abs(base + partfile.Suffix + ext) // ffmpeg picks the format by extension
	defer os.Remove(part)
	layout, err := make(part)
	if err != nil {
		return media.Sprite{}, err
	}
	return layout, partfile.Finish(part, s.abs(rel))
}

// Previews is what was made for an asset; ErrNotFound for an unknown asset.
func (s *Service) Previews(ctx context.Context, id string) (Previews, error) {
	var sprite, layout, wave sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT p.sprite_file, p.sprite, p.waveform_file FROM assets a
		LEFT JOIN asset_previews p ON p.asset_id = a.id WHERE a.id = ?`, id).Scan(&sprite, &layout, &wave)
	if errors.Is(err, sql.ErrNoRows) {
		return Previews{}, ErrNotFound
	}
	if err != nil {
		return Previews{}, err
	}
	var p Previews
	if sprite.Valid && layout.Valid {
		var l media.Sprite
		if json.Unmarshal([]byte(layout.String), &l) == nil {
			p.SpriteFile, p.Sprite = s.abs(sprite.String), &l
		}
	}
	if wave.Valid {
		p.WaveformFile = s.abs(wave.String)
	}
	return p, nil
}

// removePreviewFiles deletes an asset's sprite and waveform (and their part files).
func (s *Service) removePreviewFiles(id string) {
	for _, rel := range []string{spriteName(id), waveformName(id)} {
		os.Remove(s.abs(rel))
	}
}
