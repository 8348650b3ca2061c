package archive

import (
	"context"

	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// addPlaybackIDs gives a new asset one playback ID per policy it was made with.
func addPlaybackIDs(ctx context.Context, tx *store.Tx, a *Asset, policies []string) error {
	ids, err := playback.AddAll(ctx, tx, playback.ObjectAsset, a.ID, policies, a.CreatedAt)
	a.PlaybackIDs = ids
	return err
}

// AddPlaybackID gives an asset a new playback ID (Mux's POST
// .../playback-ids). As Mux, the asset's change is a video.asset.updated.
func (s *Service) AddPlaybackID(ctx context.Context, assetID, policy string) (playback.ID, error) {
	if err := playback.CheckPolicy("policy", policy); err != nil {
		return playback.ID{}, err
	}
	var id playback.ID
	_, err := s.change(ctx, assetID, func(tx *store.Tx, a *Asset) error {
		var err error
		if id, err = playback.Add(ctx, tx, playback.ObjectAsset, a.ID, policy, s.now()); err != nil {
			return err
		}
		a.PlaybackIDs = append(a.PlaybackIDs, id)
		return s.emit(ctx, tx, "video.asset.updated", *a)
	})
	return id, err
}

// PlaybackID is one of an asset's playback IDs.
func (s *Service) PlaybackID(ctx context.Context, assetID, pid string) (playback.ID, error) {
	if _, err := getAsset(ctx, s.db, assetID); err != nil {
		return playback.ID{}, err
	}
	return playback.LookupOf(ctx, s.db, playback.ObjectAsset, assetID, pid)
}

// DeletePlaybackID removes one of an asset's playback IDs; URLs with it
// stop serving at once.
func (s *Service) DeletePlaybackID(ctx context.Context, assetID, pid string) error {
	_, err := s.change(ctx, assetID, func(tx *store.Tx, a *Asset) error {
		if err := playback.Remove(ctx, tx, playback.ObjectAsset, a.ID, pid); err != nil {
			return err
		}
		var err error
		if a.PlaybackIDs, err = playback.Of(ctx, tx, playback.ObjectAsset, a.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, "video.asset.updated", *a)
	})
	return err
}
