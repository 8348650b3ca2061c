package live

import (
	"slices"
	"sync"
	"time"

	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"
)

// Rates are counted per second of the stream's own timeline (the packets'
// timestamps), not per second of arrival. gortmplib reads ~2 s of media to
// learn the tracks and then hands it over at once, and an encoder catching
// up after a network hiccup sends faster than real time too: counted by
// arrival, those bursts read as 40-50 fps and twice the bitrate for the
// first seconds. Counted by timestamp, a second holds exactly the frames
// and bytes the encoder made for it, which is what fps and bitrate mean.
// Arrival time still decides one thing: a link that goes quiet reads 0.
const (
	// healthWindow is how many whole media seconds the rates look back
	// over: long enough to smooth a GOP's big keyframe, short enough to
	// show a drop within seconds.
	healthWindow = 3
	// quietAfter: with nothing arriving for this long, the rates read 0
	// (the encoder stalled or the link is down), whatever came before.
	quietAfter = 2 * time.Second
	// timelineJump: a timestamp this far from the newest one is a new
	// timeline (an encoder resetting its clock, or one bogus packet): the
	// rates start over on it rather than waiting for media to catch up.
	timelineJump = 10 * time.Second
)

// A video timestamp gap is a jump longer than gapFactor times the median
// of the last gapHistory intervals and longer than minGap. A fixed frame
// interval does not work: phones send variable frame rates (intervals of
// 20-70 ms, 66 ms when the light drops) and their jitter is no loss; the
// median follows the stream's own pace, and minGap keeps a fast stream's
// jitter (a 17 ms median) from counting a 70 ms frame as a gap. Until
// minGapHistory intervals are known there is no pace to judge against.
const (
	gapHistory    = 32
	gapFactor     = 4
	minGap        = 250 * time.Millisecond
	minGapHistory = 4
)

// Health is what a live publisher's packets say about the link.
type Health struct {
	Live bool
	// Measuring: connected, but not one whole second of media counted yet,
	// so there are no rates to show.
	Measuring bool
	// AudioOnly: media is arriving and none of it is video, so there is no frame rate to speak of.
	AudioOnly  bool
	Bitrate    int64   // bits per second of media over the last few seconds
	FrameRate  float64 // video frames per second of media over the same seconds
	Dropped    int64   // samples the recorder refused: timestamps going back
	Gaps       int64   // video timestamp jumps (see gapFactor)
	PreviewAt  time.Time
	HasPreview bool
}

// mediaSecond is what arrived for one second of the stream's timeline.
type mediaSecond struct {
	sec    int64
	bytes  int64
	frames int64
}

// meter counts a session's packets. The recorder calls it per packet
// (cheap: a lock, a few adds, a 32-element sort per video frame); readers
// take a snapshot. Its memory is fixed whatever the stream's length.
type meter struct {
	now func() time.Time

	mu          sync.Mutex
	seconds     [healthWindow + 1]mediaSecond // ring: media second s in slot s mod len
	started     bool
	firstSec    int64 // the first whole media second: rates never look before it
	newestSec   int64 // the media second of the newest timestamp
	lastArrival time.Time
	dropped     int64
	gaps        int64

	lastVideo  time.Duration // newest video DTS
	haveVideo  bool
	intervals  [gapHistory]time.Duration // recent video DTS intervals, a ring
	nIntervals int                       // how many of intervals are filled

	keyframe    []byte          // AVCC payload of the newest video keyframe
	keySeq      int64           // bumps with each keyframe
	codec       mp4codecs.Codec // the video track's parameters
	preview     []byte          // JPEG of a recent keyframe
	previewAt   time.Time
	previewSeq  int64 // keySeq the preview was made from
	previewBusy bool
}

func newMeter() *meter { return &meter{now: time.Now} }

// floorSecond and ceilSecond place a timestamp on the media timeline's
// seconds; timestamps before zero (B-frame offsets) round the right way.
func floorSecond(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second < 0 {
		s--
	}
	return s
}

func ceilSecond(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second > 0 {
		s++
	}
	return s
}

// packet counts one sample of a track with its decode timestamp; keyframe
// payloads are kept (not copied: the recorder never changes a sample's
// payload) for the preview.
func (m *meter) packet(video bool, size int, dts time.Duration, key bool, payload []byte, codec mp4codecs.Codec) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastArrival = m.now()
	m.count(video, int64(size), dts)
	if !video {
		return
	}
	m.checkGap(dts)
	if key {
		m.keyframe, m.codec = payload, codec
		m.keySeq++
	}
}

// count adds a packet to its media second.
func (m *meter) count(video bool, size int64, dts time.Duration) {
	sec := floorSecond(dts)
	if jump := sec - m.newestSec; !m.started || jump > int64(timelineJump/time.Second) || -jump > int64(timelineJump/time.Second) {
		m.started, m.firstSec, m.newestSec = true, ceilSecond(dts), sec
		m.seconds = [len(m.seconds)]mediaSecond{}
	}
	m.newestSec = max(m.newestSec, sec)
	if sec < m.newestSec-healthWindow {
		return // late, out of the window (an encoder interleaving loosely)
	}
	b := &m.seconds[((sec%int64(len(m.seconds)))+int64(len(m.seconds)))%int64(len(m.seconds))]
	if b.sec != sec {
		*b = mediaSecond{sec: sec}
	}
	b.bytes += size
	if video {
		b.frames++
	}
}

// checkGap counts a video timestamp jump against the stream's recent pace.
func (m *meter) checkGap(dts time.Duration) {
	if !m.haveVideo {
		m.lastVideo, m.haveVideo = dts, true
		return
	}
	d := dts - m.lastVideo
	if d <= 0 {
		return // the same or an earlier timestamp: the recorder drops it, and counts that
	}
	m.lastVideo = dts
	if m.nIntervals >= minGapHistory && d > minGap && d > gapFactor*m.medianInterval() {
		m.gaps++
	}
	// The gap itself joins the history: one hole barely moves a median of
	// 32, while a stream that really slows down is followed within ~16 frames.
	m.intervals[m.nIntervals%gapHistory] = d
	m.nIntervals++
	if m.nIntervals >= 2*gapHistory {
		m.nIntervals -= gapHistory // keeps the ring position, and the count from growing
	}
}

func (m *meter) medianInterval() time.Duration {
	n := min(m.nIntervals, gapHistory)
	recent := m.intervals // a copy, on the stack
	s := recent[:n]
	slices.Sort(s)
	return s[n/2]
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

// health is the counts as they stand: rates over the last whole media
// seconds before the newest one (which is still arriving).
func (m *meter) health() Health {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := Health{Live: true, Dropped: m.dropped, Gaps: m.gaps, PreviewAt: m.previewAt, HasPreview: m.preview != nil}
	if !m.started {
		h.Measuring = true
		return h
	}
	h.AudioOnly = !m.haveVideo
	if m.now().Sub(m.lastArrival) > quietAfter {
		return h // nothing arriving: 0 b/s, 0 fps
	}
	from := max(m.newestSec-healthWindow, m.firstSec)
	n := m.newestSec - from
	if n <= 0 {
		h.Measuring = true
		return h
	}
	var bytes, frames int64
	for _, b := range m.seconds {
		if b.sec >= from && b.sec < m.newestSec {
			bytes += b.bytes
			frames += b.frames
		}
	}
	h.Bitrate, h.FrameRate = bytes*8/n, float64(frames)/float64(n)
	return h
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

// healthReportInterval is how often a live stream's health is pushed.
const healthReportInterval = time.Second

// reportHealth hands the session's health to Config.HealthReport about
// once a second for as long as the session lasts (so nothing runs for a
// stream without an encoder), leaving out readings equal to the last one
// and those with no rates yet; a last reading, not live, goes when the
// encoder leaves.
func (s *Service) reportHealth(sess *session) {
	report := s.cfg.HealthReport
	if report == nil {
		return
	}
	t := time.NewTicker(healthReportInterval)
	defer t.Stop()
	var last Health
	for {
		select {
		case <-sess.done:
			report(sess.streamID, Health{})
			return
		case <-t.C:
		}
		h := sess.meter.health()
		if h.Measuring || h == last {
			continue
		}
		report(sess.streamID, h)
		last = h
	}
}
