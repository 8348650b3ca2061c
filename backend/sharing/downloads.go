package sharing

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"reelvault/backend/store"
)

// openDownload finds the download a request of this client for this file
// continues, or 0. A request from byte 0 continues only an unfinished
// download (a retry); one from further in also joins a download that just
// completed (the other connections of a download manager, which may arrive
// after the first one has sent everything).
func openDownload(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, linkID, assetID, kind, client string, start int64, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM share_downloads WHERE link_id = ? AND asset_id = ? AND file_kind = ?
		AND client = ? AND ((complete = 0 AND last_at >= ?) OR (? AND complete = 1 AND last_at >= ?)) ORDER BY id DESC LIMIT 1`,
		linkID, assetID, kind, client, now.Add(-resumeWindow).Unix(), start > 0, now.Add(-joinWindow).Unix()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// MayStart reports whether a request for a file of l, from byte start, may
// be served: any link that is active, and an exhausted one only to finish
// a download this client already began (a limit of 1 lets a resumed first
// download finish).
func (s *Service) MayStart(ctx context.Context, l Link, assetID, kind, client string, start int64) (bool, error) {
	switch l.Status(s.cfg.Now()) {
	case StatusActive:
		return true, nil
	case StatusExhausted:
		id, err := openDownload(ctx, s.cfg.DB, l.ID, assetID, kind, client, start, s.cfg.Now())
		return id != 0, err
	}
	return false, nil
}

// Begin finds or starts the download a GET of a file belongs to: the
// client's unfinished one for this file (a resume, or another connection
// of a download manager, which starts while the first is running), else a
// new one. It is called before the response, so connections that overlap
// all join the same download.
func (s *Service) Begin(ctx context.Context, l Link, f File, client, userAgent string, start int64) (int64, error) {
	now := s.cfg.Now()
	var id int64
	err := s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = openDownload(ctx, tx, l.ID, f.AssetID, f.Kind, client, start, now); err != nil {
			return err
		}
		// A request from byte 0 while another is still sending that download
		// is a second download (the first's bytes are not yet counted).
		if id != 0 && (start > 0 || s.inflight(id) == 0) {
			s.track(id, 1)
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO share_downloads (link_id, asset_id, file_kind, started_at, last_at, client, user_agent,
			file_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, f.AssetID, f.Kind, now.Unix(), now.Unix(), client, truncate(userAgent, 512), f.Size)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		s.track(id, 1)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("begin download: %w", err)
	}
	return id, nil
}

// Served is one response's part of a file: n bytes from offset start.
type Served struct {
	Download int64 // from Begin
	Link     Link
	File     File
	Client   string // the client's address (host only)
	Start    int64
	Bytes    int64
}

// Record adds a response's bytes to its download. When the bytes served so
// far cover the whole file the download is complete; the link's first
// complete download is announced as a webhook event.
func (s *Service) Record(ctx context.Context, sv Served) error {
	defer s.track(sv.Download, -1)
	now := s.cfg.Now()
	var first bool
	err := s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
		var coveredJSON string
		var wasComplete bool
		if err := tx.QueryRowContext(ctx, `SELECT covered, complete FROM share_downloads WHERE id = ?`, sv.Download).Scan(&coveredJSON, &wasComplete); err != nil {
			return err
		}
		var covered [][2]int64
		if err := json.Unmarshal([]byte(coveredJSON), &covered); err != nil {
			return fmt.Errorf("download %d: covered: %w", sv.Download, err)
		}
		covered = addRange(covered, sv.Start, min(sv.Start+sv.Bytes, sv.File.Size))
		complete := wasComplete || (len(covered) == 1 && covered[0][0] == 0 && covered[0][1] >= sv.File.Size)
		cj, _ := json.Marshal(covered)
		if _, err := tx.ExecContext(ctx, `UPDATE share_downloads SET last_at = ?, bytes_sent = bytes_sent + ?, covered = ?, complete = ?
			WHERE id = ?`, now.Unix(), sv.Bytes, string(cj), complete, sv.Download); err != nil {
			return err
		}
		if !complete || wasComplete {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM share_downloads WHERE link_id = ? AND complete = 1`, sv.Link.ID).Scan(&n); err != nil {
			return err
		}
		if first = n == 1; first && s.cfg.Render != nil {
			l := sv.Link
			l.Downloads, l.LastDownload = 1, now.Truncate(time.Second)
			v, err := s.View(ctx, l)
			if err != nil {
				return err
			}
			v.Status = l.Status(now)
			_, err = tx.AppendEvent(ctx, now, EventDownloaded, "share_link", l.ID, s.cfg.Render(v))
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record download: %w", err)
	}
	if first {
		s.cfg.Log.Info("share link downloaded for the first time", "id", sv.Link.ID, "client", sv.Client)
	}
	return nil
}

// inflight is how many responses of a download are being sent.
func (s *Service) inflight(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sending[id]
}

func (s *Service) track(id int64, d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sending[id] += d; s.sending[id] <= 0 {
		delete(s.sending, id)
	}
}

// addRange merges [start, end) into sorted, disjoint ranges.
func addRange(rs [][2]int64, start, end int64) [][2]int64 {
	if end <= start {
		return rs
	}
	rs = append(rs, [2]int64{start, end})
	slices.SortFunc(rs, func(a, b [2]int64) int { return int(max(-1, min(1, a[0]-b[0]))) })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// SweepExpired announces, once each, the links that have expired.
func (s *Service) SweepExpired(ctx context.Context) (int, error) {
	now := s.cfg.Now()
	ls, err := s.query(ctx, `WHERE l.expires_at IS NOT NULL AND l.expires_at <= ? AND l.expired_notified = 0 AND l.revoked_at IS NULL`, now.Unix())
	if err != nil {
		return 0, err
	}
	for _, l := range ls {
		v, err := s.View(ctx, l)
		if err != nil {
			return 0, err
		}
		err = s.cfg.DB.Tx(ctx, func(tx *store.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE share_links SET expired_notified = 1 WHERE id = ? AND expired_notified = 0`, l.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 || s.cfg.Render == nil {
				return nil
			}
			_, err = tx.AppendEvent(ctx, now, EventExpired, "share_link", l.ID, s.cfg.Render(v))
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("share link %s expired: %w", l.ID, err)
		}
	}
	return len(ls), nil
}

// Run announces expired links every minute until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if _, err := s.SweepExpired(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Log.Warn("announcing expired share links failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
