package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
)

// runFinish hands a closed recording to the archive: its parts are
// repaired (a torn last fragment cut off), joined when the encoder
// reconnected, and the result becomes the asset's input. It is a durable
// job: after a crash it runs again, and every step can be repeated.
func (s *Service) runFinish(ctx context.Context, job jobs.Job) error {
	if s.recordingInProgress(job.Ref) {
		return errors.New("a part of this recording is still being written")
	}
	a, err := s.archive.Get(ctx, job.Ref)
	if errors.Is(err, archive.ErrNotFound) || (err == nil && (!a.IsLive || a.Status != archive.StatusPreparing)) {
		return nil // deleted meanwhile, or already handed over
	}
	if err != nil {
		return err
	}
	log := s.log.With("asset", a.ID, "stream", a.LiveStreamID)
	parts, err := s.usableParts(a.LiveStreamID, a.ID)
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		log.Warn("recording holds no media")
		return s.archive.FailLive(ctx, a.ID, "Nothing was recorded: the encoder disconnected before sending a full second of video or audio.")
	}
	input := parts[0]
	if len(parts) > 1 {
		if input, err = s.joinParts(ctx, s.streamDir(a.LiveStreamID), a.ID, parts); err != nil {
			return err
		}
	}
	log.Info("recording handed to the archive", "input", input, "parts", len(parts))
	return s.archive.FinishLive(ctx, a.ID, input)
}

func (s *Service) giveUpFinish(ctx context.Context, job jobs.Job, cause error) {
	if err := s.archive.FailLive(ctx, job.Ref, "The recording could not be put together: "+cause.Error()); err != nil {
		s.log.Error("mark live asset errored", "asset", job.Ref, "err", err)
	}
}

// partFiles lists assetID's recording parts in order.
func (s *Service) partFiles(streamID, assetID string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(s.streamDir(streamID), assetID+"-part*.mp4"))
	if err != nil {
		return nil, err
	}
	num := func(p string) int {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), assetID+"-part"), ".mp4"))
		return n
	}
	sort.Slice(matches, func(i, j int) bool { return num(matches[i]) < num(matches[j]) })
	return matches, nil
}

// usableParts repairs assetID's parts and returns those holding media.
func (s *Service) usableParts(streamID, assetID string) ([]string, error) {
	files, err := s.partFiles(streamID, assetID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range files {
		st, err := repairPart(p)
		if err != nil {
			return nil, err
		}
		if st.Cut > 0 {
			s.log.Info("cut a torn fragment off a recording part", "path", p, "bytes", st.Cut)
		}
		if st.Fragments > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// joinParts makes one file of a recording's parts, in order, each
// continuing where the one before ended. Parts with the same tracks and
// codec parameters (an encoder reconnecting with its settings unchanged)
// are joined without re-encoding; otherwise they are re-encoded to the
// first part's picture size.
func (s *Service) joinParts(ctx context.Context, dir, assetID string, parts []string) (string, error) {
	out := filepath.Join(dir, assetID+".mp4")
	if _, err := os.Stat(out); err == nil {
		return out, nil // joined before a crash, not yet handed over
	}
	tmp := filepath.Join(dir, assetID+".joining.mp4")
	defer os.Remove(tmp)
	same, err := sameHeaders(parts)
	if err != nil {
		return "", err
	}
	if same {
		err = concatCopy(ctx, tmp, parts)
	} else {
		s.log.Info("recording parts differ: joining them by re-encoding", "asset", assetID, "parts", len(parts))
		err = concatTranscode(ctx, tmp, parts)
	}
	if err != nil {
		return "", fmt.Errorf("join %d parts: %w", len(parts), err)
	}
	if err := partfile.Finish(tmp, out); err != nil {
		return "", err
	}
	return out, nil
}

func sameHeaders(parts []string) (bool, error) {
	first, err := readHeader(parts[0])
	if err != nil {
		return false, err
	}
	for _, p := range parts[1:] {
		h, err := readHeader(p)
		if err != nil {
			return false, err
		}
		if string(h) != string(first) {
			return false, nil
		}
	}
	return true, nil
}
