package ingest

import (
	"os"
	"time"
)

// settler tracks files that may still be changing. A file is settled once
// two looks at it, SettleDelay apart, find the same size and modification
// time: a file still being copied keeps changing and is never taken
// half-way. Not safe for concurrent use: its watcher guards it.
type settler struct {
	delay   time.Duration
	pending map[string]*candidate
}

type candidate struct {
	stamp     fileStamp // as last seen
	since     time.Time // when it was first seen with this stamp
	firstSeen time.Time
}

func newSettler(delay time.Duration) *settler {
	return &settler{delay: delay, pending: map[string]*candidate{}}
}

// observe records what a stat of path says now (from an event or a scan).
func (s *settler) observe(path string, st fileStamp, now time.Time) {
	c := s.pending[path]
	if c == nil {
		s.pending[path] = &candidate{stamp: st, since: now, firstSeen: now}
		return
	}
	if c.stamp != st {
		c.stamp, c.since = st, now
	}
}

// forget drops a path (removed, renamed away, or taken for ingest).
func (s *settler) forget(path string) { delete(s.pending, path) }

// due returns the files that have kept their stamp for the settle delay,
// after checking each once more with stat; they leave the pending set.
// stat is os.Lstat, replaceable in tests.
func (s *settler) due(now time.Time, stat func(string) (os.FileInfo, error)) map[string]fileStamp {
	var out map[string]fileStamp
	for path, c := range s.pending {
		if now.Sub(c.since) < s.delay {
			continue
		}
		st, err := stat(path)
		if err != nil || !st.Mode().IsRegular() {
			delete(s.pending, path) // gone, or replaced by something that is not a file
			continue
		}
		if cur := stampOf(st); cur != c.stamp {
			c.stamp, c.since = cur, now // still changing: look again a delay from now
			continue
		}
		if out == nil {
			out = map[string]fileStamp{}
		}
		out[path] = c.stamp
		delete(s.pending, path)
	}
	return out
}
