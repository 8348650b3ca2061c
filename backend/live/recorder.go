package live

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"

	"reelvault/backend/internal/partfile"
)

// recorder writes one part of a recording as fragmented MP4: the header
// (ftyp+moov) once every track's parameters are known, then one fragment
// (moof+mdat) about every fragmentDuration, each written in one call and
// flushed to disk. A killed app or a power cut loses at most the fragment
// being gathered, and a torn last fragment is cut off by repairPart.
//
// Bits are copied as the encoder sent them: nothing is decoded.
type recorder struct {
	path             string
	file             *os.File
	fragmentDuration time.Duration
	tracks           []*recTrack
	hasVideo         bool

	started   bool          // the first sample was taken (a video keyframe when there is video)
	startDTS  time.Duration // encoder timestamp of that sample: time zero of the file
	fragStart time.Duration // encoder timestamp where the fragment being gathered began
	headerOut bool
	seq       uint32
	bytes     int64
	err       error // the first write error; the session ends on it

	fragmentWritten func(fragments int) // tests: see Service.fragmentWritten
	meter           *meter              // the session's health counts; nil counts nothing
}

// recTrack is one recorded track and the samples gathered for the next fragment.
type recTrack struct {
	id        int
	codec     mp4codecs.Codec
	timeScale uint32
	video     bool
	ready     bool          // codec parameters known (some come from the first frame)
	defaultD  uint32        // duration of a last sample when no next one tells it
	pending   *fmp4.Sample  // the newest sample: its duration is known once the next arrives
	pendingAt time.Duration // its DTS relative to the file's start
	lastDur   uint32
	frag      *fmp4.PartTrack
}

func newRecorder(path string, fragmentDuration time.Duration, tracks []*recTrack) (*recorder, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	partfile.SyncDir(filepath.Dir(path))
	rec := &recorder{path: path, file: f, fragmentDuration: fragmentDuration, tracks: tracks}
	for i, t := range tracks {
		t.id = i + 1
		rec.hasVideo = rec.hasVideo || t.video
	}
	return rec, nil
}

// ticks converts a duration to a track's time scale without overflowing
// on long recordings.
func ticks(d time.Duration, timeScale uint32) int64 {
	sec := int64(d / time.Second)
	rem := int64(d % time.Second)
	return sec*int64(timeScale) + rem*int64(timeScale)/int64(time.Second)
}

// push takes one sample of track t with its decode timestamp.
func (rec *recorder) push(t *recTrack, dts time.Duration, s *fmp4.Sample) {
	if rec.err != nil || !t.ready {
		return
	}
	rec.meter.packet(t.video, len(s.Payload), dts, t.video && !s.IsNonSyncSample, s.Payload, t.codec)
	if !rec.started {
		// A part must start on a picture a player can decode on its own.
		if rec.hasVideo && (!t.video || s.IsNonSyncSample) {
			return
		}
		rec.started, rec.startDTS, rec.fragStart = true, dts, dts
	}
	at := dts - rec.startDTS
	if at < 0 {
		return // audio from before the first keyframe
	}
	if t.pending != nil {
		if at < t.pendingAt {
			rec.meter.drop()
			return // timestamps going back (an encoder glitch): drop rather than corrupt the file
		}
		d := ticks(at, t.timeScale) - ticks(t.pendingAt, t.timeScale)
		t.pending.Duration = uint32(d)
		t.lastDur = t.pending.Duration
		t.gather(t.pending, t.pendingAt)
	}
	t.pending, t.pendingAt = s, at
	// Fragments are cut on the video timeline (or the audio one when there is
	// no video), whatever the keyframe interval: crash safety must not depend
	// on the encoder's GOP.
	if (t.video || !rec.hasVideo) && dts-rec.fragStart >= rec.fragmentDuration {
		rec.flush()
		rec.fragStart = dts
	}
}

func (t *recTrack) gather(s *fmp4.Sample, at time.Duration) {
	if t.frag == nil {
		t.frag = &fmp4.PartTrack{ID: t.id, BaseTime: uint64(ticks(at, t.timeScale))}
	}
	t.frag.Samples = append(t.frag.Samples, s)
}

// flush writes the gathered samples as one fragment and syncs the file.
func (rec *recorder) flush() {
	if rec.err != nil {
		return
	}
	var parts []*fmp4.PartTrack
	for _, t := range rec.tracks {
		if t.frag != nil && len(t.frag.Samples) > 0 {
			parts = append(parts, t.frag)
		}
		t.frag = nil
	}
	if len(parts) == 0 {
		return
	}
	if !rec.headerOut {
		if rec.err = rec.writeHeader(); rec.err != nil {
			return
		}
	}
	rec.seq++
	var buf seekablebuffer.Buffer
	if err := (&fmp4.Part{SequenceNumber: rec.seq, Tracks: parts}).Marshal(&buf); err != nil {
		rec.err = fmt.Errorf("encode fragment: %w", err)
		return
	}
	rec.write(buf.Bytes())
	if rec.err == nil && rec.fragmentWritten != nil {
		rec.fragmentWritten(int(rec.seq))
	}
}

// writeHeader writes ftyp+moov with the tracks whose parameters are known;
// a track still unknown by the first fragment (no frame arrived) is left out.
func (rec *recorder) writeHeader() error {
	var init fmp4.Init
	for _, t := range rec.tracks {
		if t.ready {
			init.Tracks = append(init.Tracks, &fmp4.InitTrack{ID: t.id, TimeScale: t.timeScale, Codec: t.codec})
		}
	}
	var buf seekablebuffer.Buffer
	if err := init.Marshal(&buf); err != nil {
		return fmt.Errorf("encode header: %w", err)
	}
	rec.headerOut = true
	rec.write(buf.Bytes())
	return rec.err
}

func (rec *recorder) write(b []byte) {
	if _, err := rec.file.Write(b); err != nil {
		rec.err = fmt.Errorf("write %s: %w", rec.path, err)
		return
	}
	rec.bytes += int64(len(b))
	if err := rec.file.Sync(); err != nil {
		rec.err = fmt.Errorf("sync %s: %w", rec.path, err)
	}
}

// close writes what is left (the last sample of each track lasts as long
// as the one before it) and closes the file.
func (rec *recorder) close() error {
	for _, t := range rec.tracks {
		if t.pending != nil {
			d := t.lastDur
			if d == 0 {
				d = t.defaultD
			}
			t.pending.Duration = d
			t.gather(t.pending, t.pendingAt)
			t.pending = nil
		}
	}
	rec.flush()
	if err := rec.file.Close(); err != nil && rec.err == nil {
		rec.err = err
	}
	return rec.err
}
