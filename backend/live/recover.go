package live

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/quarantine"
	"reelvault/backend/store"
)

// sweepInterval is how often recordings already turned into masters are
// removed from the live folder.
const sweepInterval = 5 * time.Minute

// Recover readies the service after a start. No encoder can be connected
// to a process that just started, so every recording that was open when
// the last one died (killed mid-stream, or stopped inside a reconnect
// window) is finished from the parts on disk. Call before the job queue
// and the RTMP server run.
func (s *Service) Recover(ctx context.Context) error {
	open, err := streamsWhere(ctx, s.db, `connected = 1 OR active_asset_id IS NOT NULL`)
	if err != nil {
		return err
	}
	for _, st := range open {
		s.log.Info("finishing a recording interrupted by a stop or a crash", "stream", st.ID, "asset", st.ActiveAssetID)
		_, err := s.change(ctx, st.ID, func(tx *store.Tx, st *Stream) error {
			return s.finishInTx(ctx, tx, st)
		})
		if err != nil {
			return err
		}
	}
	// A join cut short leaves its temporary output behind.
	tmps, _ := filepath.Glob(filepath.Join(s.liveDir(), "*", "*.joining.mp4*"))
	for _, p := range tmps {
		os.Remove(p)
	}
	return nil
}

// Run receives encoders on the listener (if any), finishes recordings
// whose encoder did not come back within the reconnect window, and sweeps
// old recordings, until ctx ends; then every publisher is dropped.
func (s *Service) Run(ctx context.Context) error {
	s.lnMu.Lock()
	s.runCtx = ctx
	if s.ln != nil {
		s.acceptOn(ctx, s.ln)
	}
	s.lnMu.Unlock()
	s.expireLoop(ctx)
	s.serving.Wait()
	s.dropPublishers()
	return nil
}

// acceptOn starts accepting encoders on ln until ctx ends or ln is closed
// (moved). The caller holds lnMu.
func (s *Service) acceptOn(ctx context.Context, ln net.Listener) {
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		s.serve(ctx, ln)
	}()
}

func (s *Service) expireLoop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	lastSweep := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.wake:
		}
		wait := 30 * time.Second
		next, err := s.expireWindows(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("reconnect windows", "err", err)
		}
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 10*time.Millisecond))
		}
		if time.Since(lastSweep) >= sweepInterval {
			lastSweep = time.Now()
			s.sweepRecordings(ctx)
		}
		timer.Reset(wait)
	}
}

// expireWindows finishes every recording whose reconnect window is over and
// returns when the next one ends (zero if none is running).
func (s *Service) expireWindows(ctx context.Context) (time.Time, error) {
	waiting, err := streamsWhere(ctx, s.db, `active_asset_id IS NOT NULL AND connected = 0 AND disconnected_ns IS NOT NULL`)
	if err != nil {
		return time.Time{}, err
	}
	var next time.Time
	now := s.now()
	for _, st := range waiting {
		if deadline := st.reconnectDeadline(); now.Before(deadline) {
			if next.IsZero() || deadline.Before(next) {
				next = deadline
			}
			continue
		}
		_, err := s.change(ctx, st.ID, func(tx *store.Tx, st *Stream) error {
			if st.Connected || st.DisconnectedAt.IsZero() || now.Before(st.reconnectDeadline()) {
				return nil // the encoder came back meanwhile
			}
			s.log.Info("reconnect window over", "stream", st.ID, "window_s", st.ReconnectWindow)
			return s.finishInTx(ctx, tx, st)
		})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return next, err
		}
	}
	return next, nil
}

// sweepRecordings removes recording files whose asset has its master (the
// master holds the same bits) or was deleted; a recording the database knows
// nothing of goes to quarantine. Recordings of errored
// assets are kept: they may be all there is of that session.
func (s *Service) sweepRecordings(ctx context.Context) {
	dirs, err := os.ReadDir(s.liveDir())
	if err != nil {
		return
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(s.liveDir(), d.Name())
		files, _ := os.ReadDir(dir)
		left := len(files)
		for _, f := range files {
			assetID, _, _ := strings.Cut(strings.TrimSuffix(f.Name(), ".mp4"), "-part")
			assetID, _, _ = strings.Cut(assetID, ".")
			if s.recordingInProgress(assetID) {
				continue
			}
			a, err := s.archive.Get(ctx, assetID)
			gone := errors.Is(err, archive.ErrNotFound)
			if err != nil && !gone {
				continue
			}
			path := filepath.Join(dir, f.Name())
			switch {
			case gone && !s.assetWasDeleted(ctx, assetID):
				// No row and no record of a deletion: the database may be an
				// older copy, and this recording the only one there is.
				if it, err := quarantine.Move(s.cfg.DataDir, path, "a live recording no asset in the database owns (a restored or older database?)", s.now()); err == nil {
					s.log.Warn("a recording no asset owns was moved to quarantine, not deleted", "path", path, "quarantine", it.ID)
					left--
				}
			case gone || (a.Status == archive.StatusReady && !a.IsLive):
				if os.Remove(path) == nil {
					left--
				}
			}
		}
		if left == 0 {
			if _, err := getStream(ctx, s.db, d.Name()); errors.Is(err, ErrNotFound) {
				os.Remove(dir)
			}
		}
	}
}

func (s *Service) assetWasDeleted(ctx context.Context, id string) bool {
	deleted, err := s.archive.WasDeleted(ctx, id)
	return err == nil && deleted
}
