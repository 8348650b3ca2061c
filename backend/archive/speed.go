package archive

import "time"

// Speed is how fast an asset's running work goes, in the unit an editor reads for it:
// a transcode in multiples of real time (ffmpeg's own speed=), work that copies bytes
// (a download, a remux) in bytes per second. One of the two is set.
type Speed struct {
	Realtime       float64
	BytesPerSecond float64
}

// setSpeed records how fast an asset's work goes; a zero Speed forgets it (not known).
// It is kept in memory: it means something only while the work runs, and the work's
// end (track's done) forgets it.
func (s *Service) setSpeed(id string, sp Speed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp == (Speed{}) {
		delete(s.speeds, id)
		return
	}
	s.speeds[id] = sp
}

// withSpeed fills in how fast the asset's running work goes (its first build, or a
// rebuild at another size).
func (s *Service) withSpeed(a *Asset) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp, ok := s.speeds[a.ID]; ok {
		a.Speed = &sp
	}
}

// Bytes per second are measured over the last rateWindow of samples, once they
// span at least rateMinSpan: long enough that one slow write does not make the
// figure jump, short enough that it follows a link that slows down.
const (
	rateWindow  = 5 * time.Second
	rateMinSpan = time.Second
)

// byteRate is how fast a byte count grows, from samples of it.
type byteRate struct {
	samples []rateSample
}

type rateSample struct {
	at time.Time
	n  int64
}

// add records that n bytes were done at the time given and returns the bytes per
// second over the window; ok is false while the samples span too little to say.
func (r *byteRate) add(at time.Time, n int64) (perSecond float64, ok bool) {
	if last := len(r.samples) - 1; last >= 0 && (n < r.samples[last].n || at.Before(r.samples[last].at)) {
		r.samples = r.samples[:0] // started over (or the clock went back): measure afresh
	}
	r.samples = append(r.samples, rateSample{at, n})
	// Drop the oldest while the next one still spans the whole window.
	for len(r.samples) > 2 && at.Sub(r.samples[1].at) >= rateWindow {
		r.samples = r.samples[1:]
	}
	first := r.samples[0]
	span := at.Sub(first.at)
	if span < rateMinSpan {
		return 0, false
	}
	return float64(n-first.n) / span.Seconds(), true
}
