package archive

import (
	"context"
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

// runRendition makes one static rendition from its asset's master. It is a
// durable job, queued when the master is ready: a kill leaves at most a
// .part file, and the job runs again.
func (s *Service) runRendition(ctx context.Context, job jobs.Job) error {
	r, err := getRendition(ctx, s.db, job.Ref)
	if errors.Is(err, ErrRenditionNotFound) || (err == nil && r.Status != RenditionPreparing) {
		return nil // deleted, or done
	}
	if err != nil {
		return err
	}
	a, err := getAsset(ctx, s.db, r.AssetID)
	if errors.Is(err, ErrNotFound) || (err == nil && a.Status != StatusReady) {
		return nil // deleted; or not ready, and queued again when it is
	}
	if err != nil {
		return err
	}
	ctx, done := s.track(ctx, r.ID)
	defer done()
	log := s.log.With("asset", a.ID, "rendition", r.ID, "resolution", r.Resolution)

	master := s.abs(a.MasterFile)
	failed := func(err error) error {
		if s.masterReplaced(ctx, a.ID, a.MasterFile) {
			return errMasterReplaced
		}
		return s.failRendition(ctx, r, err)
	}
	info, err := media.Probe(ctx, master)
	if err != nil {
		return failed(err)
	}
	plan, skip := planRendition(info, r)
	if skip != "" {
		log.Info("static rendition skipped", "reason", skip)
		return s.finishRendition(ctx, r, func(cur *Rendition) { cur.Status, cur.Error = RenditionSkipped, skip })
	}
	// A proxy is much smaller than its master; half the master's size is room enough.
	if err := s.cfg.Space.Check(s.renditionsDir(), a.MasterSize/2); diskspace.IsShort(err) {
		return jobs.Later(s.cfg.SpaceRecheck, err)
	}
	rel := renditionPath(r)
	final := s.abs(rel)
	part := final + partfile.Suffix
	defer os.Remove(part) // a no-op once renamed
	started := time.Now()
	if err := media.BuildProxy(ctx, master, part, plan, nil); err != nil {
		return failed(err)
	}
	out, err := media.Probe(ctx, part)
	if err != nil {
		return failed(err)
	}
	size, sum, err := syncAndHash(part)
	if err != nil {
		return err
	}
	if err := partfile.Finish(part, final); err != nil {
		return err
	}
	err = s.finishRendition(ctx, r, func(cur *Rendition) {
		cur.Status, cur.File, cur.FileSize, cur.SHA256, cur.Error = RenditionReady, rel, size, sum, ""
		cur.Width, cur.Height = plan.Width, plan.Height
		cur.Bitrate = out.BitRate
		if out.Duration > 0 && cur.Bitrate == 0 {
			cur.Bitrate = int64(float64(size*8) / out.Duration)
		}
	})
	if err != nil {
		return err
	}
	log.Info("static rendition ready", "size", size, "width", plan.Width, "height", plan.Height,
		"elapsed", time.Since(started).Round(time.Millisecond))
	return nil
}

// planRendition plans r from a master, or says why the master cannot give it (skip).
func planRendition(master *media.Info, r Rendition) (media.Proxy, string) {
	resolution, capShort := r.Resolution, 0
	if r.Legacy {
		lr := legacyRenditions[r.Resolution]
		resolution, capShort = lr.proxy, lr.capShort
	}
	return media.PlanProxy(master, resolution, capShort)
}

// finishRendition records how a rendition ended, with its event, unless it
// was deleted meanwhile (then its file goes).
func (s *Service) finishRendition(ctx context.Context, r Rendition, set func(*Rendition)) error {
	var gone bool
	var final Rendition
	err := s.db.DurableTx(ctx, func(tx *store.Tx) error {
		cur, err := getRendition(ctx, tx, r.ID)
		if errors.Is(err, ErrRenditionNotFound) {
			gone = true
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := getAsset(ctx, tx, r.AssetID); errors.Is(err, ErrNotFound) {
			gone = true
			return nil
		}
		set(&cur)
		if err := saveRendition(ctx, tx, cur); err != nil {
			return err
		}
		final = cur
		return s.emitRendition(ctx, tx, cur.Status, cur)
	})
	if err != nil {
		return err
	}
	if gone {
		s.removeRenditionFiles(r)
		return nil
	}
	s.changed(final.AssetID)
	return nil
}

// failRendition errors a rendition when the master or ffmpeg is at fault;
// a cancelled build or a full disk is tried again instead.
func (s *Service) failRendition(ctx context.Context, r Rendition, cause error) error {
	if ctx.Err() != nil {
		return ctx.Err() // stopped: deleted, or shutting down
	}
	if outOfSpace(cause) {
		return jobs.Later(s.cfg.SpaceRecheck, cause)
	}
	if toolMissing(cause) {
		return jobs.Later(s.cfg.ToolRecheck, cause)
	}
	var me *media.Error
	if !errors.As(cause, &me) {
		return cause
	}
	s.log.Warn("static rendition errored", "asset", r.AssetID, "rendition", r.ID, "err", me.Message)
	return s.finishRendition(ctx, r, func(cur *Rendition) { cur.Status, cur.Error = RenditionErrored, me.Message })
}

// giveUpRendition errors a rendition whose retries are used up.
func (s *Service) giveUpRendition(ctx context.Context, job jobs.Job, err error) {
	r, gerr := getRendition(ctx, s.db, job.Ref)
	if gerr != nil || r.Status != RenditionPreparing {
		return
	}
	if e := s.finishRendition(ctx, r, func(cur *Rendition) {
		cur.Status, cur.Error = RenditionErrored, "The proxy could not be made: "+withoutPaths(err)
	}); e != nil {
		s.log.Error("mark static rendition errored", "rendition", r.ID, "err", e)
	}
}

// RenditionFile is the absolute path of a ready rendition's file.
func (s *Service) RenditionFile(r Rendition) string {
	return filepath.Join(s.cfg.DataDir, filepath.FromSlash(r.File))
}
