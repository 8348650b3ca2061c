package archive

import (
	"context"
	"os"
	"sync"
	"time"

	"reelvault/backend/media"
)

// probeAheadKeep bounds the descriptions started ahead and not yet taken by
// their build (an upload whose asset was never committed leaves one): the
// oldest goes first.
const probeAheadKeep = 16

// earlyProbe is ffprobe's description of a file, started before its build
// asked for it. It is good for the file as it was then (size and mtime).
type earlyProbe struct {
	path    string
	size    int64
	modTime time.Time
	done    chan struct{}
	info    *media.Info
	err     error
}

// probesAhead holds the early probes by input path, oldest first.
type probesAhead struct {
	mu   sync.Mutex
	list []*earlyProbe
}

// ProbeAhead starts describing path (ffprobe, the build's first step) now, for
// the build that will ask for it in a moment: an upload's file is probed while
// its last bytes are flushed and its asset committed, so its build does not
// wait for ffprobe's start-up (the larger part of a probe's 50-200 ms). The
// file must not change afterwards; a build finds the description only if it
// did not (same size and modification time).
func (s *Service) ProbeAhead(path string) {
	st, err := os.Stat(path)
	if err != nil {
		return
	}
	ep := &earlyProbe{path: path, size: st.Size(), modTime: st.ModTime(), done: make(chan struct{})}
	s.ahead.mu.Lock()
	if len(s.ahead.list) >= probeAheadKeep {
		s.ahead.list = s.ahead.list[1:]
	}
	s.ahead.list = append(s.ahead.list, ep)
	s.ahead.mu.Unlock()
	go func() {
		defer close(ep.done)
		// Not the caller's context: the probe outlives the request that
		// started it. ffprobe's own timeout bounds it.
		ep.info, ep.err = media.Probe(context.Background(), path)
	}()
}

// take removes and returns the early probe of path, if there is one.
func (p *probesAhead) take(path string) *earlyProbe {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, ep := range p.list {
		if ep.path == path {
			p.list = append(p.list[:i], p.list[i+1:]...)
			return ep
		}
	}
	return nil
}

// probe describes a build's input: with the description started ahead for
// it if there is one for the file as it is now, else with ffprobe now. An
// early probe that failed is not trusted with the verdict: ffprobe runs again.
func (s *Service) probe(ctx context.Context, input string) (*media.Info, error) {
	if ep := s.ahead.take(input); ep != nil {
		select {
		case <-ep.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		st, err := os.Stat(input)
		if ep.err == nil && err == nil && st.Size() == ep.size && st.ModTime().Equal(ep.modTime) {
			return ep.info, nil
		}
	}
	return media.Probe(ctx, input)
}
