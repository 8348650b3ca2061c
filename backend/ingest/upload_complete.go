package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/quarantine"
	"reelvault/backend/store"
)

// completeUpload turns a fully received upload into an asset: the file is
// moved to uploads/ID.ext (kept as the asset's input: it is the user's only
// copy) and flushed to disk (most of it already is: the sink started the
// writeback as the bytes arrived) while the build's ffprobe starts on it, and
// the asset is created in the same transaction as the upload's asset_created. A file that is not a video still becomes an
// asset, which errors in its build with the reason, as any bad input does
// (Mux does the same). The caller holds the upload's lock.
func (s *Service) completeUpload(ctx context.Context, u Upload, sk *partSink, total int64) (Upload, error) {
	part := s.partPath(u.ID)
	rel := filepath.Join("uploads", u.ID+sniffExtension(part))
	final := s.abs(rel)
	sum, err := sk.sum() // hashed as the chunks arrived
	if err != nil {
		return Upload{}, err
	}
	settings, err := s.cfg.ParseSettings(u.NewAssetSettings)
	if err != nil {
		return Upload{}, fail.Within("new_asset_settings", err)
	}
	var notify int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM upload_notices WHERE upload_id = ?`, u.ID).Scan(&notify); err != nil {
		return Upload{}, err
	}
	params := archive.CreateParams{Input: final, AssetSettings: settings, Source: archive.SourceUpload,
		IngestType: "on_demand_direct_upload", UploadID: u.ID, InputSHA256: sum, Notify: notify > 0}
	if err := params.Validate(); err != nil {
		return Upload{}, err
	}
	s.sinks.release(u.ID, sk) // closed before its rename
	// Renamed first, flushed after: the build's ffprobe starts now on the
	// lasting name, beside the flush and the commit. Until the commit the
	// upload still waits, and a crash puts the bytes back under .part
	// (recoverUploads): the name alone never makes the file finished.
	if err := os.Rename(part, final); err != nil {
		return Upload{}, err
	}
	s.archive.ProbeAhead(final)
	if err := partfile.Flush(final); err != nil {
		os.Rename(final, part)
		return Upload{}, err
	}

	var out Upload
	err = s.db.DurableTx(ctx, func(tx *store.Tx) error { // the uploader is told it is done: on disk first
		cur, err := getUpload(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if cur.Status != UploadWaiting {
			return &NotWaitingError{Status: cur.Status}
		}
		a, err := s.archive.CreateInTx(ctx, tx, params)
		if err != nil {
			return err
		}
		cur.Status, cur.AssetID, cur.File, cur.TotalBytes = UploadAssetCreated, a.ID, rel, total
		if err := saveUploadState(ctx, tx, cur, s.now()); err != nil {
			return err
		}
		out = cur
		return s.emitUpload(ctx, tx, "video.upload.asset_created", cur)
	})
	if err != nil {
		// Back to "every byte received": a retry of the last chunk, or the
		// next start's recovery, completes it.
		os.Rename(final, part)
		return Upload{}, fmt.Errorf("upload %s: create its asset: %w", u.ID, err)
	}
	s.log.Info("upload complete", "upload", u.ID, "asset", out.AssetID, "bytes", total)
	return out, nil
}

// recoverUploads repairs what a crash can leave in uploads/: a waiting
// upload whose file was moved but whose asset was not committed goes back to
// its .part name (all bytes received, ready to complete); bytes of uploads
// that are over, and half-received bytes of unknown uploads, are removed; a
// finished file of an unknown upload goes to quarantine.
func (s *Service) recoverUploads(ctx context.Context) error {
	entries, err := os.ReadDir(s.uploadsDir())
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		id, ext, _ := strings.Cut(name, ".")
		u, err := getUpload(ctx, s.db, id)
		switch {
		case err == ErrUploadNotFound && ext == "part":
			s.log.Info("removing the half-received bytes of an unknown upload", "file", name)
			os.Remove(filepath.Join(s.uploadsDir(), name))
		case err == ErrUploadNotFound:
			// A finished upload the database does not know: it may be the
			// user's only copy of the file (a restored or older database).
			path := filepath.Join(s.uploadsDir(), name)
			it, err := quarantine.Move(s.cfg.DataDir, path, "an uploaded file no upload in the database owns (a restored or older database?)", s.now())
			if err != nil {
				return fmt.Errorf("quarantine %s: %w", name, err)
			}
			s.log.Warn("an uploaded file no upload owns was moved to quarantine, not deleted", "file", name, "quarantine", it.ID)
		case err != nil:
			return err
		case u.Status == UploadWaiting && ext != "part":
			if _, err := os.Stat(s.partPath(id)); os.IsNotExist(err) {
				s.log.Info("upload was interrupted while completing; its bytes are kept", "upload", id)
				if err := os.Rename(filepath.Join(s.uploadsDir(), name), s.partPath(id)); err != nil {
					return err
				}
			}
		case u.Status == UploadAssetCreated && "uploads/"+name == filepath.ToSlash(u.File):
			// the asset's input: kept
		case u.Status != UploadWaiting:
			s.log.Info("removing bytes of a finished upload", "upload", id, "status", u.Status, "file", name)
			os.Remove(filepath.Join(s.uploadsDir(), name))
		}
	}
	return nil
}
