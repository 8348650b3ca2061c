package ingest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"reelvault/backend/fail"
	"reelvault/backend/store"
)

// Mux's bounds on an upload's timeout, in seconds.
const (
	defaultUploadTimeout = 3600
	minUploadTimeout     = 60
	maxUploadTimeout     = 604800
)

// UploadParams is Mux's POST /video/v1/uploads body.
type UploadParams struct {
	NewAssetSettings json.RawMessage
	Timeout          int64 // seconds; 0 means 3600
	CORSOrigin       string
	Test             bool
	Notify           bool // a person is sending it (archive.CreateParams.Notify)
	// FileName is the file's name on the sender's computer (Reelvault's own, optional): the
	// kept original is shown and downloaded under it. A name only: no folders.
	FileName string
}

// maxFileName bounds file_name, as most file systems do (255 bytes).
const maxFileName = 255

func checkFileName(name string) error {
	if name == "" {
		return nil
	}
	if len(name) > maxFileName || strings.ContainsAny(name, "/\\\x00") || name == "." || name == ".." || !utf8.ValidString(name) {
		return invalid("file_name", "must be a file name (at most 255 bytes, no folders)")
	}
	return nil
}

// CreateUpload makes a waiting upload and its URL.
func (s *Service) CreateUpload(ctx context.Context, p UploadParams) (Upload, error) {
	// The asset settings are checked now, so a bad one is a 400 here rather
	// than an errored upload after the whole file has been sent.
	settings, err := s.cfg.ParseSettings(p.NewAssetSettings)
	if err != nil {
		return Upload{}, fail.Within("new_asset_settings", err)
	}
	if err := settings.Validate(); err != nil {
		return Upload{}, fail.Within("new_asset_settings", err)
	}
	if p.Timeout == 0 {
		p.Timeout = defaultUploadTimeout
	}
	if p.Timeout < minUploadTimeout || p.Timeout > maxUploadTimeout {
		return Upload{}, invalid("timeout", "must be between 60 and 604800 seconds")
	}
	origin, err := normalizeOrigin(p.CORSOrigin)
	if err != nil {
		return Upload{}, err
	}
	if err := checkFileName(p.FileName); err != nil {
		return Upload{}, err
	}
	given := p.NewAssetSettings
	if len(strings.TrimSpace(string(given))) == 0 || strings.TrimSpace(string(given)) == "null" {
		given = json.RawMessage("{}")
	}
	now := s.now()
	u := Upload{ID: strings.ReplaceAll(uuid.NewString(), "-", ""), Token: newToken(), CreatedAt: now,
		Status: UploadWaiting, Timeout: time.Duration(p.Timeout) * time.Second, NewAssetSettings: compactJSON(given),
		CORSOrigin: origin, Test: p.Test, TotalBytes: -1, FileName: p.FileName}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := insertUpload(ctx, tx, u, now); err != nil {
			return err
		}
		if p.Notify {
			if _, err := tx.ExecContext(ctx, `INSERT INTO upload_notices (upload_id) VALUES (?)`, u.ID); err != nil {
				return err
			}
		}
		return s.emitUpload(ctx, tx, "video.upload.created", u)
	})
	if err != nil {
		return Upload{}, err
	}
	s.log.Info("upload created", "upload", u.ID, "timeout", u.Timeout)
	return u, nil
}

// GetUpload returns one upload.
func (s *Service) GetUpload(ctx context.Context, id string) (Upload, error) {
	return getUpload(ctx, s.db, id)
}

// ListUploads returns a page of uploads, newest first (limit 1..100,
// default 25; page from 1).
func (s *Service) ListUploads(ctx context.Context, limit, page int) ([]Upload, error) {
	limit, page, err := store.NormalizePage(limit, page)
	if err != nil {
		return nil, err
	}
	return listUploads(ctx, s.db, limit, (page-1)*limit)
}

// CancelUpload cancels a waiting upload and removes the bytes received; an
// upload in any other state cannot be cancelled (Mux answers 403).
func (s *Service) CancelUpload(ctx context.Context, id string) (Upload, error) {
	release, err := s.locks.acquire(ctx, id, nil) // stops a transfer in progress
	if err != nil {
		return Upload{}, err
	}
	defer release()
	return s.closeUpload(ctx, id, UploadCancelled, "", "", "video.upload.cancelled")
}

// SweepUploads marks waiting uploads past their timeout timed_out and removes
// their bytes, and removes the files of uploads whose asset was deleted. A
// transfer still running is let finish; a later sweep catches it if it
// fails. Run calls this periodically; it returns how many timed out.
func (s *Service) SweepUploads(ctx context.Context) (int, error) {
	ids, err := uploadIDsWhere(ctx, s.db, `status = 'waiting' AND created_ns + timeout_s * 1000000000 <= ?`, s.now().UnixNano())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		release, ok := s.locks.tryAcquire(id)
		if !ok {
			continue
		}
		_, err := s.closeUpload(ctx, id, UploadTimedOut, "", "", "")
		release()
		if err == nil {
			n++
			s.log.Info("upload timed out", "upload", id)
		}
	}
	// A paused upload's part file is closed; its next chunk opens it again.
	for _, id := range s.sinks.idle(s.now().Add(-s.cfg.UploadIdleTimeout)) {
		if release, ok := s.locks.tryAcquire(id); ok {
			s.sinks.drop(id)
			release()
		}
	}
	return n, s.removeOrphanedUploadFiles(ctx)
}

// closeUpload ends a waiting upload (cancelled, timed out, errored) and
// removes its bytes once the change is committed. The caller holds the
// upload's lock.
func (s *Service) closeUpload(ctx context.Context, id, status, errType, errMsg, event string) (Upload, error) {
	// The bytes go first, then the record: on a full disk the database
	// needs the room they free to commit. If the commit still fails, the
	// upload stays waiting with nothing received, and can be sent again.
	s.sinks.drop(id) // closed before its file is removed
	if u, err := getUpload(ctx, s.db, id); err == nil && u.Status == UploadWaiting {
		os.Remove(s.partPath(id))
	}
	var out Upload
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		u, err := getUpload(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Status != UploadWaiting {
			return &NotWaitingError{Status: u.Status}
		}
		u.Status, u.ErrorType, u.ErrorMessage = status, errType, errMsg
		if err := saveUploadState(ctx, tx, u, s.now()); err != nil {
			return err
		}
		if event != "" {
			if err := s.emitUpload(ctx, tx, event, u); err != nil {
				return err
			}
		}
		tx.AfterCommit(func() { os.Remove(s.partPath(id)) })
		out = u
		return nil
	})
	return out, err
}

// removeOrphanedUploadFiles removes uploaded files whose asset was deleted:
// the asset was the reason to keep them. It reads the assets table directly,
// in one query, rather than asking the archive about every upload.
func (s *Service) removeOrphanedUploadFiles(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, file FROM uploads WHERE status = 'asset_created'
		AND file IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets WHERE assets.id = uploads.asset_id)`)
	if err != nil {
		return err
	}
	type orphan struct{ id, file string }
	var orphans []orphan
	for rows.Next() {
		var o orphan
		if err := rows.Scan(&o.id, &o.file); err != nil {
			rows.Close()
			return err
		}
		orphans = append(orphans, o)
	}
	rows.Close()
	for _, o := range orphans {
		if err := os.Remove(s.abs(o.file)); err != nil && !os.IsNotExist(err) {
			s.log.Warn("remove uploaded file of a deleted asset", "upload", o.id, "err", err)
			continue
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE uploads SET file = NULL WHERE id = ?`, o.id); err != nil {
			return err
		}
		s.log.Info("removed uploaded file of a deleted asset", "upload", o.id, "file", o.file)
	}
	return nil
}

// emitUpload appends an upload event in tx.
func (s *Service) emitUpload(ctx context.Context, tx *store.Tx, typ string, u Upload) error {
	_, err := tx.AppendEvent(ctx, s.now(), typ, "upload", u.ID, s.cfg.UploadEvent(s.UploadState(u)))
	return err
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// normalizeOrigin checks cors_origin: "*" or a web origin (scheme://host[:port]).
func normalizeOrigin(o string) (string, error) {
	o = strings.TrimSpace(o)
	if o == "" || o == "*" {
		return o, nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", invalid("cors_origin", "must be \"*\" or a web origin such as https://example.com")
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return json.RawMessage(buf.Bytes())
}
