package live

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"

	"reelvault/backend/media"
)

// healthWindow is how far back the rates look: long enough to smooth a
// GOP's big keyframe, short enough to show a drop within seconds.
const healthWindow = 3

// Preview pictures: small, and made at most this often per stream.
const (
	PreviewWidth    = 320
	previewInterval = 3 * time.Second
	previewTimeout  = 10 * time.Second
)

// lateGapFrames: a video DTS jump longer than this many frame intervals
// counts as a gap (frames the encoder never sent).
const lateGapFrames = 3

// Health is what a live publisher's packets say about the link, counted as
// they arrive.
type Health struct {
	Live       bool
	Bitrate    int64   // bits per second over the last few seconds
	FrameRate  float64 // video packets per second over the same seconds
	Dropped    int64   // samples the recorder refused: timestamps going back
	Gaps       int64   // video timestamp jumps of more than a few frames
	PreviewAt  time.Time
	HasPreview bool
}

// bucket is one wall-clock second of arrivals.
type bucket struct {
	sec    int64
	bytes  int64
	frames int64
}

// meter counts a session's arrivals. The recorder calls it per packet
// (cheap: a lock and a few adds); readers take a snapshot.
type meter struct {
	now func() time.Time

	mu          sync.Mutex
	buckets     [healthWindow + 1]bucket
	dropped     int64
	gaps        int64
	lastDTS     time.Duration
	frameDur    time.Duration // the usual interval between video packets
	haveDTS     bool
	keyframe    []byte          // AVCC payload of the newest video keyframe
	keySeq      int64           // bumps with each keyframe
	codec       mp4codecs.Codec // the video track's parameters
	preview     []byte          // JPEG of a recent keyframe
	previewAt   time.Time
	previewSeq  int64 // keySeq the preview was made from
	previewBusy bool
}

func newMeter() *meter { return &meter{now: time.Now} }

func (m *meter) bucketFor(now time.Time) *bucket {
	sec := now.Unix()
	b := &m.buckets[sec%int64(len(m.buckets))]
	if b.sec != sec {
		*b = bucket{sec: sec}
	}
	return b
}

// packet counts one sample of a track; keyframe payloads are kept (not
// copied: the recorder never changes a sample's payload) for the preview.
func (m *meter) packet(video bool, size int, dts time.Duration, key bool, payload []byte, codec mp4codecs.Codec) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.bucketFor(m.now())
	b.bytes += int64(size)
	if !video {
		return
	}
	b.frames++
	if m.haveDTS {
		d := dts - m.lastDTS
		if d > 0 && (m.frameDur == 0 || d < m.frameDur) {
			m.frameDur = d
		}
		if m.frameDur > 0 && d > lateGapFrames*m.frameDur {
			m.gaps++
		}
	}
	if !m.haveDTS || dts > m.lastDTS {
		m.lastDTS, m.haveDTS = dts, true
	}
	if key {
		m.keyframe, m.codec = payload, codec
		m.keySeq++
	}
}

// drop counts a sample the recorder refused.
func (m *meter) drop() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.dropped++
	m.mu.Unlock()
}

// health is the counts as they stand: rates over the last complete seconds.
func (m *meter) health() Health {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now().Unix()
	var bytes, frames int64
	for _, b := range m.buckets {
		if b.sec < now && b.sec >= now-healthWindow {
			bytes += b.bytes
			frames += b.frames
		}
	}
	return Health{Live: true, Bitrate: bytes * 8 / healthWindow, FrameRate: float64(frames) / healthWindow,
		Dropped: m.dropped, Gaps: m.gaps, PreviewAt: m.previewAt, HasPreview: m.preview != nil}
}

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
// the session ends.
func (s *Service) runPreviews(sess *session) {
	t := time.NewTicker(previewInterval)
	defer t.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-sess.done
		cancel()
	}()
	for {
		if err := sess.meter.makePreview(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("live preview", "stream", sess.streamID, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Health is stream id's publisher's health, Live false when none is connected.
func (s *Service) Health(id string) Health {
	s.mu.Lock()
	sess := s.sessions[id]
	s.mu.Unlock()
	if sess == nil || sess.meter == nil {
		return Health{}
	}
	return sess.meter.health()
}

// Preview is the JPEG of stream id's recent keyframe while it is live.
func (s *Service) Preview(id string) ([]byte, time.Time, bool) {
	s.mu.Lock()
	sess := s.sessions[id]
	s.mu.Unlock()
	if sess == nil || sess.meter == nil {
		return nil, time.Time{}, false
	}
	m := sess.meter
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.preview, m.previewAt, m.preview != nil
}
