package archive

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// jobPlaybackCopy makes, after the master, a copy the window's player can play when
// browsers cannot play the master (HEVC 4:2:2 10-bit, ALAC). A lane of its own with one
// worker: it never delays a build, nor the sprites of the previews lane. It is
// Reelvault's own file, served on the UI API only: no Mux client asked for a static
// rendition, so none appears in the asset's static_renditions.
const jobPlaybackCopy = "asset.playback_copy"

// Playback copy states, as the window reads them.
const (
	PlaybackPreparing = "preparing"
	PlaybackReady     = "ready"
	PlaybackFailed    = "failed"
	PlaybackNotNeeded = "not_needed"
)

// PlaybackCopy is the state of an asset's playback copy; File is absolute once ready.
// A zero State means none is known (the master plays as it is, as far as is known).
type PlaybackCopy struct {
	State string
	File  string
}

func playbackCopyName(id string, audioOnly bool) string {
	if audioOnly {
		return filepath.Join("thumbs", id+".play.m4a")
	}
	return filepath.Join("thumbs", id+".play.mp4")
}

// playbackCopyNames are the files an asset's playback copy may be: a video's and an audio-only one.
func playbackCopyNames(id string) []string {
	return []string{playbackCopyName(id, false), playbackCopyName(id, true)}
}

func (s *Service) registerPlaybackCopy(q *jobs.Queue) {
	q.Register(jobPlaybackCopy, jobs.Handler{Run: s.runPlaybackCopy, Workers: 1, MaxAttempts: 2})
}

// enqueuePlaybackCopy asks, in the transaction that made a's master ready or swapped a
// rebuilt one in, for the playback copy. When the recorded codecs already say a browser
// cannot play the master, the window says a copy is coming at once. A previous copy's
// file stays recorded until the job replaces or removes it.
func (s *Service) enqueuePlaybackCopy(ctx context.Context, tx *store.Tx, a Asset) error {
	state := PlaybackNotNeeded
	if !media.CodecsMayPlay(a.MasterVideoCodec, a.MasterAudioCodec) {
		state = PlaybackPreparing
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO asset_playback (asset_id, state, made_ns) VALUES (?, ?, ?)
		ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state, made_ns = excluded.made_ns`,
		a.ID, state, s.now().UnixNano()); err != nil {
		return err
	}
	return s.jobs.Enqueue(ctx, tx, jobPlaybackCopy, a.ID, 0)
}

// runPlaybackCopy probes the master and, when a browser cannot play it, makes the copy
// with the proxy builder (H.264 + AAC, timecode and duration kept, decoded whole with
// -xerror). A failure is logged and recorded: the master is ready either way.
func (s *Service) runPlaybackCopy(ctx context.Context, job jobs.Job) error {
	a, err := getAsset(ctx, s.db, job.Ref) // the stored row: Get's duplicates, rebuilds and queue are not needed here
	if errors.Is(err, ErrNotFound) || (err == nil && (a.Status != StatusReady || a.MasterFile == "")) {
		return nil
	}
	if err != nil {
		return err
	}
	master := s.abs(a.MasterFile)
	info, err := media.Probe(ctx, master)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		if s.masterReplaced(ctx, a.ID, a.MasterFile) {
			return errMasterReplaced
		}
		return s.recordPlaybackCopy(ctx, a, PlaybackFailed, "", err)
	}
	if media.BrowserPlays(info) {
		return s.recordPlaybackCopy(ctx, a, PlaybackNotNeeded, "", nil)
	}
	plan, skip := media.PlanPlaybackCopy(info)
	if skip != "" {
		return s.recordPlaybackCopy(ctx, a, PlaybackFailed, "", errors.New(skip))
	}
	// Known only now (an H.264 master at 10 bits): the window says a copy is coming.
	res, err := s.db.ExecContext(ctx, `UPDATE asset_playback SET state = ? WHERE asset_id = ? AND state != ?`,
		PlaybackPreparing, a.ID, PlaybackPreparing)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.changed(a.ID)
	}
	// A copy at up to 720p is far smaller than its master; half the master's size is room enough.
	if err := s.cfg.Space.Check(s.thumbsDir(), a.MasterSize/2+(4<<20)); diskspace.IsShort(err) {
		return jobs.Later(s.cfg.SpaceRecheck, err)
	}
	rel := playbackCopyName(a.ID, plan.AudioOnly())
	part := s.abs(rel) + partfile.Suffix
	defer os.Remove(part) // a no-op once renamed
	if err := media.BuildProxy(ctx, master, part, plan, nil); err != nil {
		switch {
		case ctx.Err() != nil:
			return err
		case s.masterReplaced(ctx, a.ID, a.MasterFile):
			return errMasterReplaced
		case outOfSpace(err):
			return jobs.Later(s.cfg.SpaceRecheck, err)
		case toolMissing(err):
			return jobs.Later(s.cfg.ToolRecheck, err)
		}
		return s.recordPlaybackCopy(ctx, a, PlaybackFailed, "", err)
	}
	if s.masterReplaced(ctx, a.ID, a.MasterFile) {
		return errMasterReplaced
	}
	if err := partfile.Finish(part, s.abs(rel)); err != nil {
		return err
	}
	s.log.Info("playback copy ready", "asset", a.ID, "width", plan.Width, "height", plan.Height)
	return s.recordPlaybackCopy(ctx, a, PlaybackReady, rel, nil)
}

// recordPlaybackCopy records how the job ended and removes copies no longer recorded (a
// rebuilt master's old copy, or all of them when the asset was deleted meanwhile).
func (s *Service) recordPlaybackCopy(ctx context.Context, a Asset, state, rel string, cause error) error {
	if cause != nil {
		s.log.Warn("no playback copy", "asset", a.ID, "err", cause)
	}
	file := sql.NullString{String: rel, Valid: rel != ""}
	res, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO asset_playback (asset_id, state, file, made_ns)
		SELECT id, ?, ?, ? FROM assets WHERE id = ?`, state, file, s.now().UnixNano(), a.ID)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected() // 0: the asset was deleted meanwhile
	for _, old := range playbackCopyNames(a.ID) {
		if n == 0 || old != rel {
			os.Remove(s.abs(old))
		}
	}
	s.changed(a.ID)
	return nil
}

// PlaybackCopy is the state of an asset's playback copy; ErrNotFound for an unknown asset.
func (s *Service) PlaybackCopy(ctx context.Context, id string) (PlaybackCopy, error) {
	var state, file sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT p.state, p.file FROM assets a
		LEFT JOIN asset_playback p ON p.asset_id = a.id WHERE a.id = ?`, id).Scan(&state, &file)
	if errors.Is(err, sql.ErrNoRows) {
		return PlaybackCopy{}, ErrNotFound
	}
	if err != nil {
		return PlaybackCopy{}, err
	}
	switch {
	case state.String == PlaybackNotNeeded:
		return PlaybackCopy{}, nil
	case state.String == PlaybackReady && !file.Valid:
		return PlaybackCopy{State: PlaybackFailed}, nil
	case state.String == PlaybackReady:
		return PlaybackCopy{State: PlaybackReady, File: s.abs(file.String)}, nil
	}
	return PlaybackCopy{State: state.String}, nil
}

// removePlaybackCopyFiles deletes an asset's playback copies.
func (s *Service) removePlaybackCopyFiles(id string) {
	for _, rel := range playbackCopyNames(id) {
		os.Remove(s.abs(rel))
	}
}
