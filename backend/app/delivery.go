package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"

	"reelvault/backend/archive"
	"reelvault/backend/delivery"
	"reelvault/backend/links"
	"reelvault/backend/live"
)

// playbackLibrary is the archive as delivery URLs see it: ready masters of
// assets, and the latest ready recording of a live stream.
type playbackLibrary struct {
	archive *archive.Service
	live    *live.Service
	dataDir string
}

func (l playbackLibrary) AssetMedia(ctx context.Context, id string) (delivery.Media, error) {
	a, err := l.archive.Get(ctx, id)
	if errors.Is(err, archive.ErrNotFound) {
		return delivery.Media{}, delivery.ErrGone
	}
	if err != nil {
		return delivery.Media{}, err
	}
	if a.Status != archive.StatusReady || a.MasterFile == "" {
		return delivery.Media{}, delivery.ErrNotReady
	}
	master := delivery.File{Path: filepath.Join(l.dataDir, a.MasterFile), Size: a.MasterSize, SHA256: a.MasterSHA256,
		Name: links.SafeFileName(a.Title())}
	if st, err := os.Stat(master.Path); err == nil {
		master.ModTime = st.ModTime()
	}
	noPicture := !slices.ContainsFunc(a.Tracks, func(t archive.Track) bool { return t.Type == "video" })
	return delivery.Media{AssetID: a.ID, Master: master, Duration: a.Duration, ThumbnailTime: a.ThumbnailTime, NoPicture: noPicture}, nil
}

// Rendition is an asset's ready static rendition named name ("720p.mp4",
// "audio.m4a", "capped-1080p.mp4") for /{PLAYBACK_ID}/{name} (delivery.Renditions).
func (l playbackLibrary) Rendition(ctx context.Context, assetID, name string) (delivery.File, error) {
	a, err := l.archive.Get(ctx, assetID)
	if errors.Is(err, archive.ErrNotFound) {
		return delivery.File{}, delivery.ErrGone
	}
	if err != nil {
		return delivery.File{}, err
	}
	r, ok := a.ReadyRendition(name)
	if !ok {
		return delivery.File{}, delivery.ErrNoRendition
	}
	f := delivery.File{Path: l.archive.RenditionFile(r), Size: r.FileSize, SHA256: r.SHA256,
		Name: r.DownloadName(a.Title()), MimeType: r.MimeType()}
	if st, err := os.Stat(f.Path); err == nil {
		f.ModTime = st.ModTime()
	}
	return f, nil
}

func (l playbackLibrary) LiveStreamMedia(ctx context.Context, id string) (delivery.Media, error) {
	st, err := l.live.Get(ctx, id)
	if errors.Is(err, live.ErrNotFound) {
		return delivery.Media{}, delivery.ErrGone
	}
	if err != nil {
		return delivery.Media{}, err
	}
	recent := slices.Clone(st.RecentAssetIDs)
	slices.Reverse(recent) // newest first
	for _, assetID := range recent {
		m, err := l.AssetMedia(ctx, assetID)
		if errors.Is(err, delivery.ErrGone) || errors.Is(err, delivery.ErrNotReady) {
			continue
		}
		return m, err
	}
	return delivery.Media{}, delivery.ErrNotReady
}
