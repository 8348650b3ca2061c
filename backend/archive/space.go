package archive

import (
	"context"
	"errors"
	"strings"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/jobs"
	"reelvault/backend/media"
)

// Work that writes to disk first checks there is room for it plus the
// reserve (Config.Space). When there is not, it waits: the asset stays
// preparing and says what it waits for (Asset.Waiting), and the job looks
// again every Config.SpaceRecheck until the space is there.

// room returns nil when dir's disk has need bytes free beyond the reserve;
// otherwise it records the wait on the asset and returns the job's Later.
func (s *Service) room(ctx context.Context, id, dir string, need int64) error {
	if err := s.cfg.Space.Check(dir, need); err != nil {
		if diskspace.IsShort(err) {
			return s.waitForSpace(ctx, id, err)
		}
		return err
	}
	s.setWaiting(id, "")
	return nil
}

// waitForSpace records that the asset waits for free space and asks the
// queue to run the job again later (without using up an attempt).
func (s *Service) waitForSpace(ctx context.Context, id string, cause error) error {
	msg := "Waiting for free space: the disk filled up"
	var short *diskspace.Short
	if errors.As(cause, &short) {
		msg = "Waiting for " + diskspace.Human(short.Missing()) + " of free space"
	}
	s.log.Warn("waiting for disk space", "asset", id, "status", msg, "err", cause)
	s.setWaiting(id, msg)
	return jobs.Later(s.cfg.SpaceRecheck, &waitError{msg})
}

type waitError struct{ msg string }

func (e *waitError) Error() string { return e.msg }

// outOfSpace reports whether err says the disk is full, from a check, a
// write (ENOSPC) or ffmpeg's own words.
func outOfSpace(err error) bool {
	if diskspace.IsShort(err) {
		return true
	}
	var we *waitError
	if errors.As(err, &we) {
		return true
	}
	var me *media.Error
	return errors.As(err, &me) && strings.Contains(me.Detail+me.Message, "No space left on device")
}

// setWaiting records (or, with "", clears) what an asset waits for. It is
// kept in memory: after a restart the job checks again and says it again.
func (s *Service) setWaiting(id, msg string) {
	s.mu.Lock()
	changed := s.waiting[id] != msg
	if msg == "" {
		delete(s.waiting, id)
	} else {
		s.waiting[id] = msg
	}
	s.mu.Unlock()
	if changed && s.cfg.Changed != nil {
		s.cfg.Changed(id)
	}
}

// withWaiting fills in what the asset waits for.
func (s *Service) withWaiting(a *Asset) {
	s.mu.Lock()
	a.Waiting = s.waiting[a.ID]
	s.mu.Unlock()
}
