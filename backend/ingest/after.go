package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"reelvault/backend/archive"
	"reelvault/backend/internal/partfile"
)

// finishWatchedFiles moves ingested files to their folder's done folder once
// their master is ready. A file whose asset errored or was deleted, or that
// changed since, is left where it is, with a note. Files are never deleted.
func (s *Service) finishWatchedFiles(ctx context.Context) error {
	type waiting struct {
		id                    int64
		folderID, path, asset string
		size, mtimeNS         int64
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, coalesce(folder_id, ''), path, coalesce(asset_id, ''), size, mtime_ns
		FROM watch_files WHERE after_state = 'waiting' ORDER BY id LIMIT 200`)
	if err != nil {
		return err
	}
	var list []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.folderID, &w.path, &w.asset, &w.size, &w.mtimeNS); err != nil {
			rows.Close()
			return err
		}
		list = append(list, w)
	}
	rows.Close()
	for _, w := range list {
		state, movedTo, note := s.finishOne(ctx, w.folderID, w.path, w.asset, fileStamp{w.size, w.mtimeNS})
		if state == "" {
			continue // master not ready yet
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE watch_files SET after_state = ?, moved_to = ?,
			note = CASE WHEN ? = '' THEN note ELSE ? END WHERE id = ?`, state, nullable(movedTo), note, note, w.id); err != nil {
			return err
		}
	}
	return nil
}

// finishOne decides about one file: "" (not yet), "moved" or "left".
func (s *Service) finishOne(ctx context.Context, folderID, path, assetID string, stamp fileStamp) (state, movedTo, note string) {
	folder, err := getFolder(ctx, s.db, folderID)
	if err != nil {
		if errors.Is(err, ErrFolderNotFound) {
			return "left", "", "the watch folder was removed; the file was left in place"
		}
		return "", "", ""
	}
	if folder.After != AfterMove {
		return "left", "", ""
	}
	a, err := s.archive.Get(ctx, assetID)
	switch {
	case errors.Is(err, archive.ErrNotFound):
		return "left", "", "its asset was deleted; the file was left in place"
	case err != nil:
		return "", "", ""
	case a.Status == archive.StatusErrored:
		return "left", "", "its asset errored (" + a.ErrorMessage + "); the file was left in place"
	case a.Status != archive.StatusReady:
		return "", "", ""
	}
	dst, err := moveToDone(folder, path, stamp)
	if err != nil {
		s.log.Warn("watched file not moved to the done folder", "path", path, "err", err)
		return "left", "", "not moved to the done folder: " + err.Error()
	}
	s.log.Info("watched file moved to the done folder", "path", path, "to", dst)
	return "moved", dst, ""
}

// moveToDone moves a file into folder's done folder, keeping its place
// below the watched folder and never overwriting (a name taken gets " (2)").
func moveToDone(folder Folder, path string, stamp fileStamp) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("the file is gone (%v)", err)
	}
	if stampOf(st) != stamp {
		return "", errors.New("the file changed after it was ingested")
	}
	rel, err := filepath.Rel(folder.Path, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		rel = filepath.Base(path)
	}
	dst := filepath.Join(folder.DoneDir(), rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	dst = freeName(dst)
	err = os.Rename(path, dst)
	if errors.Is(err, syscall.EXDEV) {
		err = copyThenRemove(path, dst) // a done folder on another drive
	}
	if err != nil {
		return "", err
	}
	partfile.SyncDir(filepath.Dir(dst))
	return dst, nil
}

// freeName returns path, or "name (2).ext", "name (3).ext"... if taken.
func freeName(path string) string {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 2; ; i++ {
		p := fmt.Sprintf("%s (%d)%s", base, i, ext)
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}

// copyThenRemove moves across file systems: the copy is made under a part
// name and flushed to disk before the original is removed, so the file
// exists safely at every moment and a cut-short copy never looks whole.
func copyThenRemove(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := partfile.Create(dst, 0o644)
	if err != nil {
		return err
	}
	defer out.Abort() // a no-op once committed
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	return os.Remove(src)
}
