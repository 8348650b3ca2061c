package delivery

import (
	"context"

	"reelvault/backend/media"
)

// HoldFrames makes t's ffmpeg runs wait for release before they start, so a
// test can fill the queue deterministically; the runs are then the real
// media.Frame. ffmpeg cannot be paused from outside, hence this seam.
func HoldFrames(t *Thumbnails, release <-chan struct{}, started chan<- struct{}) {
	t.frame = func(ctx context.Context, in, out string, o media.FrameOptions) error {
		started <- struct{}{}
		<-release
		return media.Frame(ctx, in, out, o)
	}
}
