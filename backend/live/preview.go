package live

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"

	"reelvault/backend/media"
)

// Preview pictures: small, and made at most this often per stream.
const (
	PreviewWidth    = 320
	previewInterval = 3 * time.Second
	previewTimeout  = 10 * time.Second
	// firstPreviewRetry: how often to look for the first keyframe to show.
	firstPreviewRetry = 500 * time.Millisecond
)

// annexB is the newest keyframe with its parameter sets, as a raw H.264 or
// H.265 elementary stream ffmpeg can decode on its own, and the file
// extension ffmpeg knows it by. ok is false when there is none (yet) or it
// was already shown.
func (m *meter) annexB() (stream []byte, ext string, seq int64, ok bool) {
	m.mu.Lock()
	payload, codec, seq := m.keyframe, m.codec, m.keySeq
	fresh := payload != nil && seq != m.previewSeq && !m.previewBusy
	if fresh {
		m.previewBusy = true
	}
	m.mu.Unlock()
	if !fresh {
		return nil, "", 0, false
	}
	var nalus h264.AVCC
	if err := nalus.Unmarshal(payload); err != nil {
		m.previewDone(nil, seq)
		return nil, "", 0, false
	}
	var au [][]byte
	switch c := codec.(type) {
	case *mp4codecs.H264:
		au, ext = append([][]byte{c.SPS, c.PPS}, nalus...), ".h264"
	case *mp4codecs.H265:
		au, ext = append([][]byte{c.VPS, c.SPS, c.PPS}, nalus...), ".hevc"
	default:
		m.previewDone(nil, seq)
		return nil, "", 0, false
	}
	b, err := h264.AnnexB(au).Marshal() // H.265 uses the same start codes
	if err != nil {
		m.previewDone(nil, seq)
		return nil, "", 0, false
	}
	return b, ext, seq, true
}

// previewDone records a finished attempt; jpeg nil keeps the old picture.
func (m *meter) previewDone(jpeg []byte, seq int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.previewBusy, m.previewSeq = false, seq
	if jpeg != nil {
		m.preview, m.previewAt = jpeg, m.now()
	}
}

// makePreview turns the newest keyframe into a small JPEG, if there is a
// new one. One at a time per stream (previewBusy); ffmpeg runs under a
// timeout on a copy, so the recorder never waits for it.
func (m *meter) makePreview(ctx context.Context) error {
	stream, ext, seq, ok := m.annexB()
	if !ok {
		return nil
	}
	var jpeg []byte
	defer func() { m.previewDone(jpeg, seq) }()
	tmp, err := os.MkdirTemp("", "reelvault-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	in, out := filepath.Join(tmp, "key"+ext), filepath.Join(tmp, "preview.jpg")
	if err := os.WriteFile(in, stream, 0o600); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	if err := media.Frame(ctx, in, out, media.FrameOptions{Width: PreviewWidth, Format: "jpg"}); err != nil {
		return err
	}
	jpeg, err = os.ReadFile(out)
	return err
}

// runPreviews refreshes the session's preview every previewInterval until
// the session ends; until the first picture is made (the first keyframe
// may not have arrived when recording starts) it looks more often.
func (s *Service) runPreviews(sess *session) {
	t := time.NewTimer(0)
	defer t.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-sess.done
		cancel()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := sess.meter.makePreview(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("live preview", "stream", sess.streamID, "err", err)
		}
		if _, _, ok := sess.meter.picture(); ok {
			t.Reset(previewInterval)
		} else {
			t.Reset(firstPreviewRetry)
		}
	}
}

// picture is the newest preview JPEG and when it was made.
func (m *meter) picture() ([]byte, time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.preview, m.previewAt, m.preview != nil
}

// Preview is the JPEG of stream id's recent keyframe while it is live.
func (s *Service) Preview(id string) ([]byte, time.Time, bool) {
	s.mu.Lock()
	sess := s.sessions[id]
	s.mu.Unlock()
	if sess == nil || sess.meter == nil {
		return nil, time.Time{}, false
	}
	return sess.meter.picture()
}
