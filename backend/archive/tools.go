package archive

import (
	"context"
	"errors"

	"reelvault/backend/jobs"
	"reelvault/backend/media"
)

// A build that finds no ffmpeg or ffprobe waits for them like one that finds the disk full:
// the asset stays preparing and says so (Asset.Waiting), and the job tries again every
// Config.ToolRecheck, or at once when ToolsFound is called.

// toolMissing reports whether err says ffmpeg or ffprobe could not be started.
func toolMissing(err error) bool {
	var me *media.Error
	return errors.As(err, &me) && me.Kind == media.KindToolMissing
}

// waitForTools records that the asset waits for ffmpeg and asks the queue to run the build
// again later (without using up an attempt).
func (s *Service) waitForTools(id string, cause error) error {
	msg := "Waiting for ffmpeg"
	var me *media.Error
	if errors.As(cause, &me) {
		msg += ": " + me.Message
	}
	s.log.Warn("waiting for ffmpeg", "asset", id, "err", cause)
	s.setWaiting(id, msg)
	return jobs.Later(s.cfg.ToolRecheck, &waitError{msg})
}

// ToolsFound makes the builds that wait for ffmpeg (or anything else) try again now.
func (s *Service) ToolsFound(ctx context.Context) error {
	for _, kind := range []string{jobBuildMaster, jobTranscodeMaster} {
		if err := s.jobs.Hurry(ctx, kind); err != nil {
			return err
		}
	}
	return nil
}
