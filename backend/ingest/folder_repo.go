package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const folderColumns = `id, path, max_resolution_tier, master_access, video_quality, after, done_path,
	from_command_line, created_ns`

func scanFolder(row interface{ Scan(...any) error }) (Folder, error) {
	var f Folder
	var createdNS int64
	err := row.Scan(&f.ID, &f.Path, &f.MaxResolutionTier, &f.MasterAccess, &f.VideoQuality, &f.After, &f.DonePath,
		&f.FromCommandLine, &createdNS)
	f.CreatedAt = time.Unix(0, createdNS)
	return f, err
}

func getFolder(ctx context.Context, q queryer, id string) (Folder, error) {
	f, err := scanFolder(q.QueryRowContext(ctx, `SELECT `+folderColumns+` FROM watch_folders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Folder{}, ErrFolderNotFound
	}
	return f, err
}

func getFolderByPath(ctx context.Context, q queryer, path string) (Folder, error) {
	f, err := scanFolder(q.QueryRowContext(ctx, `SELECT `+folderColumns+` FROM watch_folders WHERE path = ?`, path))
	if errors.Is(err, sql.ErrNoRows) {
		return Folder{}, ErrFolderNotFound
	}
	return f, err
}

func listFolders(ctx context.Context, q queryer) ([]Folder, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+folderColumns+` FROM watch_folders ORDER BY created_ns, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Folder{}
	for rows.Next() {
		f, err := scanFolder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func insertFolder(ctx context.Context, q queryer, f Folder) error {
	_, err := q.ExecContext(ctx, `INSERT INTO watch_folders (`+folderColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.Path, f.MaxResolutionTier, f.MasterAccess, f.VideoQuality, f.After, f.DonePath, f.FromCommandLine,
		f.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("save watch folder: %w", err)
	}
	return nil
}

func updateFolder(ctx context.Context, q queryer, f Folder) error {
	res, err := q.ExecContext(ctx, `UPDATE watch_folders SET path = ?, max_resolution_tier = ?, master_access = ?,
		video_quality = ?, after = ?, done_path = ? WHERE id = ?`,
		f.Path, f.MaxResolutionTier, f.MasterAccess, f.VideoQuality, f.After, f.DonePath, f.ID)
	if err != nil {
		return fmt.Errorf("save watch folder: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrFolderNotFound
	}
	return nil
}

func deleteFolder(ctx context.Context, q queryer, id string) error {
	res, err := q.ExecContext(ctx, `DELETE FROM watch_folders WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrFolderNotFound
	}
	return nil
}

// watchedFile is one row of watch_files: a (path, content) seen in a folder.
type watchedFile struct {
	Path        string
	Size        int64
	MtimeNS     int64
	Fingerprint string
	Outcome     string // ingested | skipped
	AssetID     string
	Note        string
	AfterState  string // "" | waiting | moved | left
	MovedTo     string
	SeenAt      time.Time
}

const fileColumns = `path, size, mtime_ns, fingerprint, outcome, coalesce(asset_id, ''), note,
	coalesce(after_state, ''), coalesce(moved_to, ''), seen_ns`

func scanFile(row interface{ Scan(...any) error }) (watchedFile, error) {
	var w watchedFile
	var seen int64
	err := row.Scan(&w.Path, &w.Size, &w.MtimeNS, &w.Fingerprint, &w.Outcome, &w.AssetID, &w.Note, &w.AfterState, &w.MovedTo, &seen)
	w.SeenAt = time.Unix(0, seen)
	return w, err
}

func recentFiles(ctx context.Context, q queryer, folderID string, limit int) ([]watchedFile, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fileColumns+` FROM watch_files WHERE folder_id = ?
		ORDER BY seen_ns DESC, id DESC LIMIT ?`, folderID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []watchedFile
	for rows.Next() {
		w, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// insertFile records a file once per (path, content); it reports false when
// that content at that path was recorded before.
func insertFile(ctx context.Context, q queryer, folderID string, w watchedFile) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO watch_files (folder_id, path, size, mtime_ns, fingerprint, outcome,
		asset_id, note, after_state, seen_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (path, fingerprint) DO NOTHING`,
		folderID, w.Path, w.Size, w.MtimeNS, w.Fingerprint, w.Outcome, nullable(w.AssetID), w.Note,
		nullable(w.AfterState), w.SeenAt.UnixNano())
	if err != nil {
		return false, fmt.Errorf("record watched file: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
