package live

import (
	"context"

	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// AddPlaybackID gives a live stream a new playback ID (Mux's POST
// .../live-streams/{id}/playback-ids); a video.live_stream.updated follows.
func (s *Service) AddPlaybackID(ctx context.Context, streamID, policy string) (playback.ID, error) {
	if err := playback.CheckPolicy("policy", policy); err != nil {
		return playback.ID{}, err
	}
	var id playback.ID
	_, err := s.change(ctx, streamID, func(tx *store.Tx, st *Stream) error {
		var err error
		if id, err = playback.Add(ctx, tx, playback.ObjectLiveStream, st.ID, policy, s.now()); err != nil {
			return err
		}
		st.PlaybackIDs = append(st.PlaybackIDs, id)
		return s.emit(ctx, tx, "video.live_stream.updated", *st)
	})
	return id, err
}

// PlaybackID is one of a live stream's playback IDs.
func (s *Service) PlaybackID(ctx context.Context, streamID, pid string) (playback.ID, error) {
	if _, err := getStream(ctx, s.db, streamID); err != nil {
		return playback.ID{}, err
	}
	return playback.LookupOf(ctx, s.db, playback.ObjectLiveStream, streamID, pid)
}

// DeletePlaybackID removes one of a live stream's playback IDs.
func (s *Service) DeletePlaybackID(ctx context.Context, streamID, pid string) error {
	_, err := s.change(ctx, streamID, func(tx *store.Tx, st *Stream) error {
		if err := playback.Remove(ctx, tx, playback.ObjectLiveStream, st.ID, pid); err != nil {
			return err
		}
		var err error
		if st.PlaybackIDs, err = playback.Of(ctx, tx, playback.ObjectLiveStream, st.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, "video.live_stream.updated", *st)
	})
	return err
}
