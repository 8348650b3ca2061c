package app

import (
	"context"
	"log/slog"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// settingFFmpegPath is the folder (or ffmpeg file) chosen in Settings, tried after the copy
// next to the binary and PATH.
const settingFFmpegPath = "tools.ffmpeg_path"

// ffmpegLookout finds ffmpeg: at start, when the setting changes, and every `every` while it
// is missing (the user may install it while Reelvault runs). Once found, builds that wait for
// it go on at once.
type ffmpegLookout struct {
	db      *store.DB
	archive *archive.Service
	log     *slog.Logger
	every   time.Duration
}

// locate looks again with the saved setting; it returns what is wrong, "" when fine.
func (l *ffmpegLookout) locate(ctx context.Context) string {
	configured, _, err := l.db.Setting(ctx, settingFFmpegPath)
	if err != nil {
		l.log.Warn("reading the ffmpeg setting", "err", err)
	}
	problem := media.LocateTools(ctx, configured)
	if problem == "" && l.archive != nil {
		if err := l.archive.ToolsFound(ctx); err != nil {
			l.log.Warn("resuming the builds that waited for ffmpeg", "err", err)
		}
	}
	return problem
}

// Run looks again while ffmpeg is missing; it ends with ctx.
func (l *ffmpegLookout) Run(ctx context.Context) error {
	tick := time.NewTicker(l.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if media.ToolsProblem() == "" {
				continue
			}
			if l.locate(ctx) == "" {
				ff, _ := media.ToolsPaths()
				l.log.Info("ffmpeg found: builds that waited for it go on", "ffmpeg", ff)
			}
		}
	}
}
