package archive

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"reelvault/backend/store"
)

// ProgressLive is Mux's progress state of an asset still being recorded.
const ProgressLive = "live"

// CreateLiveInTx records the asset of a live recording that is just
// starting, inside the live stream's transaction. Unlike CreateInTx it queues
// no build: the input does not exist yet. FinishLive hands the recording
// over once the stream ends. p must have been validated.
func (s *Service) CreateLiveInTx(ctx context.Context, tx *store.Tx, p CreateParams) (Asset, error) {
	a := Asset{
		ID: strings.ReplaceAll(uuid.NewString(), "-", ""), CreatedAt: s.now(),
		Status: StatusPreparing, Source: p.Source, Input: p.Input, IngestType: p.IngestType,
		MaxResolutionTier: p.MaxResolutionTier, VideoQuality: p.VideoQuality, Passthrough: p.Passthrough,
		Meta: p.Meta, LiveStreamID: p.LiveStreamID, IsLive: true,
		ProgressState: ProgressLive, MasterAccess: p.MasterAccess, LinkGeneration: 1,
	}
	if a.MasterAccess == AccessTemporary {
		a.MasterStatus = MasterPreparing
	}
	if err := saveAsset(ctx, tx, &a); err != nil {
		return Asset{}, err
	}
	if err := markNotify(ctx, tx, a.ID, p.Notify); err != nil {
		return Asset{}, err
	}
	if err := addPlaybackIDs(ctx, tx, &a, p.PlaybackPolicies); err != nil {
		return Asset{}, err
	}
	rs, err := s.addRenditionsInTx(ctx, tx, a, p.StaticRenditions, p.MP4Support)
	if err != nil {
		return Asset{}, err
	}
	a.Renditions = rs
	if err := s.emit(ctx, tx, "video.asset.created", a); err != nil {
		return Asset{}, err
	}
	if a.MasterAccess == AccessTemporary {
		if err := s.emit(ctx, tx, "video.asset.master.preparing", a); err != nil {
			return Asset{}, err
		}
	}
	return a, nil
}

// FinishLive makes a finished recording the input of its live asset and
// queues the building of its master (video.asset.live_stream_completed).
// It is idempotent: an asset already handed over, or deleted, is left alone.
func (s *Service) FinishLive(ctx context.Context, id, inputPath string) error {
	_, err := s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if !a.IsLive || a.Status != StatusPreparing {
			return nil
		}
		a.Input, a.IsLive, a.ProgressState, a.Progress = inputPath, false, ProgressIngesting, 0
		if err := s.emit(ctx, tx, "video.asset.live_stream_completed", *a); err != nil {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, jobBuildMaster, a.ID, 0)
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// FailLive ends a live asset whose recording holds nothing usable: it
// becomes errored with the reason, as a bad input would.
func (s *Service) FailLive(ctx context.Context, id, message string) error {
	_, err := s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if !a.IsLive || a.Status != StatusPreparing {
			return nil
		}
		a.IsLive = false
		return s.errorInTx(ctx, tx, a, "invalid_input", message)
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
