package testmedia

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ProgressArgs make ffmpeg report its progress on stdout ten times a second;
// Progress reads it.
var ProgressArgs = []string{"-progress", "pipe:1", "-stats_period", "0.1"}

// Progress is how far an ffmpeg run with ProgressArgs is. For an encoder
// pushing in real time (-re) it is what a recording should hold, which the
// wall clock is not: on a loaded machine the encoder falls behind it.
type Progress struct {
	mu   sync.Mutex
	sent time.Duration
}

// Follow reads ffmpeg's stdout (key=value lines) until it ends.
func (p *Progress) Follow(r io.Reader) {
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		key, value, _ := strings.Cut(lines.Text(), "=")
		if us, err := strconv.ParseInt(value, 10, 64); key == "out_time_us" && err == nil {
			p.mu.Lock()
			p.sent = time.Duration(us) * time.Microsecond
			p.mu.Unlock()
		}
	}
	io.Copy(io.Discard, r)
}

// Seconds is the media time ffmpeg has written so far.
func (p *Progress) Seconds() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent.Seconds()
}
