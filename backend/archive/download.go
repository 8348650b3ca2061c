package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"reelvault/backend/fetch"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
	"reelvault/backend/store"
)

// An http(s) input is downloaded by a job of its own, in a pool of
// several workers, so a slow or silent server holds one download slot and
// never a build. The build then reads the downloaded copy in tmp/, which is
// kept until the master is built (a restart that finds it gone downloads
// again).

// downloadPath is where an asset's http input is saved.
func (s *Service) downloadPath(id string) string {
	return filepath.Join(s.tmpDir(), id+".download")
}

// dropDownload removes the downloaded copy of an asset's input (the master
// is built, or will never be).
func (s *Service) dropDownload(id string) {
	os.Remove(s.downloadPath(id) + partfile.Suffix)
	os.Remove(s.downloadPath(id))
}

// runDownloadInput fetches an asset's http input, then queues its build.
func (s *Service) runDownloadInput(ctx context.Context, job jobs.Job) error {
	a, err := s.Get(ctx, job.Ref)
	if errors.Is(err, ErrNotFound) || (err == nil && a.Status != StatusPreparing) {
		return nil // deleted, or already built
	}
	if err != nil {
		return err
	}
	in, err := fetch.Parse(a.Input)
	if err != nil {
		return s.markErrored(ctx, a.ID, "invalid_input", err.Error())
	}
	dst := s.downloadPath(a.ID)
	if _, err := os.Stat(dst); err == nil || !in.Remote {
		return s.queueBuild(ctx, a.ID, jobBuildMaster) // already here (or nothing to fetch)
	}
	ctx, done := s.track(ctx, a.ID)
	defer done()
	if in.Credentials, err = inputCredentials(ctx, s.db, a.ID); err != nil {
		return err
	}
	s.setProgress(ctx, a.ID, ProgressIngesting, 0)
	got := new(transferred)
	stopProgress := s.followTransfer(ctx, a.ID, got, func(pct float64) { s.setProgress(ctx, a.ID, ProgressIngesting, pct) })
	err = fetch.Download(ctx, s.cfg.HTTPClient, in, dst, fetch.Limits{
		MaxBytes: s.cfg.MaxDownloadBytes, Total: s.cfg.DownloadTimeout,
		Header: s.cfg.HeaderTimeout, Idle: s.cfg.IdleTimeout,
	}, fetch.Hooks{
		Room:     func(size int64) error { return s.room(ctx, a.ID, s.tmpDir(), max(size, 0)) },
		Progress: func(n, total int64) { got.done.Store(n); got.total.Store(total) },
	})
	stopProgress()
	if err != nil {
		if ctx.Err() != nil {
			if deleted, _ := s.gone(context.WithoutCancel(ctx), a.ID); deleted {
				s.log.Info("download stopped: asset deleted", "asset", a.ID)
				return nil
			}
			return ctx.Err()
		}
		if outOfSpace(err) {
			return s.waitForSpace(ctx, a.ID, err)
		}
		var fe *fetch.Error
		if errors.As(err, &fe) {
			return s.markErrored(ctx, a.ID, "download_failed", fe.Message)
		}
		return err
	}
	s.setWaiting(a.ID, "")
	s.setProgress(ctx, a.ID, ProgressIngesting, 100)
	return s.queueBuild(ctx, a.ID, jobBuildMaster)
}

// queueBuild queues a job of kind for an asset that is still preparing.
func (s *Service) queueBuild(ctx context.Context, id, kind string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := getAsset(ctx, tx, id)
		if errors.Is(err, ErrNotFound) || (err == nil && a.Status != StatusPreparing) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, kind, id, 0)
	})
}

// track records the cancel of the work running for an asset (a download or
// a build), so Delete can stop it.
func (s *Service) track(ctx context.Context, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.building[id] = cancel
	s.mu.Unlock()
	return ctx, func() {
		cancel()
		s.mu.Lock()
		delete(s.building, id)
		delete(s.speeds, id) // a speed means something only while the work runs
		s.mu.Unlock()
	}
}

// gone reports whether the asset was deleted.
func (s *Service) gone(ctx context.Context, id string) (bool, error) {
	_, err := s.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	return false, err
}

// transferred is what a download has saved so far, and its total (-1 or 0: unknown).
type transferred struct{ done, total atomic.Int64 }

// percent is how far the transfer is, below 100 until it is over (0 while the total is unknown).
func (t *transferred) percent() float64 {
	if total := t.total.Load(); total > 0 {
		return min(99, float64(t.done.Load())*100/float64(total))
	}
	return 0
}

// followTransfer tells report the percentage of a transfer (a download, a one-pass
// copy) twice a second while it changes (the UI polls; the database is spared a write
// per packet), and keeps its speed in bytes per second, until stop is called.
func (s *Service) followTransfer(ctx context.Context, id string, got *transferred, report func(pct float64)) (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		written := 0.0
		var rate byteRate
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case now := <-t.C:
				if bps, ok := rate.add(now, got.done.Load()); ok {
					s.setSpeed(id, Speed{BytesPerSecond: bps})
				}
				if v := got.percent(); v != written {
					written = v
					report(v)
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// Working is how many downloads and builds run now (the window asks before it stops them).
func (s *Service) Working() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.building)
}
