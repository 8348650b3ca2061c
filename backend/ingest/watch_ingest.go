package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// errAlreadyRecorded rolls back an ingest that lost a race with another
// recording of the same (path, content): no second asset.
var errAlreadyRecorded = errors.New("this file was already recorded")

// ingestWatched turns a settled file into an asset, or notes why not. The
// file is identified by path and content fingerprint: content already seen
// at this path is never ingested again (a restart, a touch, a rescan); new
// content at a known path is a new asset.
func (s *Service) ingestWatched(ctx context.Context, f settledFile) error {
	fp, stamp, err := fingerprint(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // gone before its turn
	}
	if err != nil {
		return err
	}
	if stamp != f.stamp {
		f.w.reobserve(f.path, stamp) // changed again: settle again
		return nil
	}
	folder, err := getFolder(ctx, s.db, f.w.folder.ID)
	if errors.Is(err, ErrFolderNotFound) {
		return nil // the folder was removed meanwhile
	}
	if err != nil {
		return err
	}
	seen, err := s.seenBefore(ctx, folder.ID, f.path, fp, stamp)
	if err != nil || seen {
		return err
	}
	rec := watchedFile{Path: f.path, Size: stamp.size, MtimeNS: stamp.mtimeNS, Fingerprint: fp, SeenAt: s.now()}
	if reason, err := s.notAVideo(ctx, f.path); err != nil {
		return err
	} else if reason != "" {
		rec.Outcome, rec.Note = "skipped", reason
		if _, err := insertFile(ctx, s.db, folder.ID, rec); err != nil {
			return err
		}
		s.remember(f.path, stamp)
		s.log.Info("watched file skipped", "folder", folder.ID, "path", f.path, "reason", reason)
		return nil
	}
	if st, err := os.Lstat(f.path); err != nil || stampOf(st) != stamp {
		if err == nil {
			f.w.reobserve(f.path, stampOf(st)) // changed while it was probed
		}
		return nil
	}
	return s.createWatchedAsset(ctx, folder, rec)
}

// seenBefore reports whether this content at this path was recorded
// already, refreshing the record's stat so the next rescan skips it cheaply.
func (s *Service) seenBefore(ctx context.Context, folderID, path, fp string, stamp fileStamp) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE watch_files SET size = ?, mtime_ns = ?, folder_id = coalesce(folder_id, ?)
		WHERE path = ? AND fingerprint = ?`, stamp.size, stamp.mtimeNS, folderID, path, fp)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	s.remember(path, stamp)
	return true, nil
}

// notAVideo says why a file is not taken ("" if it is a video): the
// extension first (cheap), then ffprobe. Audio-only files and pictures are
// not taken from watch folders.
func (s *Service) notAVideo(ctx context.Context, path string) (string, error) {
	if !isVideoName(path) {
		ext := filepath.Ext(path)
		if ext == "" {
			return "not a video file (no file extension)", nil
		}
		return fmt.Sprintf("not a video file (%s)", strings.ToLower(ext)), nil
	}
	info, err := media.Probe(ctx, path)
	var me *media.Error
	switch {
	case errors.As(err, &me):
		return "not a playable video: " + me.Message, nil
	case err != nil:
		return "", err // cancelled, or the machine's trouble: try again later
	case info.Video == nil:
		return "no video stream (audio-only files are not taken from watch folders)", nil
	}
	return "", nil
}

// createWatchedAsset creates the asset and records the file in one
// transaction: a crash leaves either both or neither.
func (s *Service) createWatchedAsset(ctx context.Context, folder Folder, rec watchedFile) error {
	params := archive.CreateParams{Input: rec.Path, Source: archive.SourceWatch, AssetSettings: folder.AssetSettings, Notify: true}
	if err := params.Validate(); err != nil {
		return err
	}
	var asset archive.Asset
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := s.archive.CreateInTx(ctx, tx, params)
		if err != nil {
			return err
		}
		rec.Outcome, rec.AssetID = "ingested", a.ID
		if folder.After == AfterMove {
			rec.AfterState = "waiting"
		}
		ok, err := insertFile(ctx, tx, folder.ID, rec)
		if err != nil {
			return err
		}
		if !ok {
			return errAlreadyRecorded
		}
		asset = a
		return nil
	})
	if errors.Is(err, errAlreadyRecorded) {
		s.remember(rec.Path, fileStamp{rec.Size, rec.MtimeNS})
		return nil
	}
	if err != nil {
		return err
	}
	s.remember(rec.Path, fileStamp{rec.Size, rec.MtimeNS})
	s.log.Info("watched file ingested", "folder", folder.ID, "path", rec.Path, "asset", asset.ID, "bytes", rec.Size)
	return nil
}
