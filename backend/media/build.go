package media

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// progressInterval throttles onProgress: a UI bar needs no more than ~4 updates a second.
const progressInterval = 250 * time.Millisecond

// buildTimeout is generous (2160p premium transcodes run near 0.4x real time on 2 cores)
// but finite, so a wedged ffmpeg cannot hold a job forever.
func buildTimeout(duration float64) time.Duration {
	return 10*time.Minute + time.Duration(20*duration*float64(time.Second))
}

// BuildMaster runs ffmpeg for the plan, writing exactly to output (the caller's temp path,
// e.g. "ID.mp4.part"; MP4 is forced whatever the extension). onProgress (may be nil)
// receives the percentage 0..100, increasing, at most ~4 times a second, with ffmpeg's
// speed and output size, and 100 once the master is complete. Cancelling ctx kills ffmpeg's process group and returns an error wrapping
// ctx.Err(); other failures are *Error. A partly written output is left for the caller
// to remove.
func BuildMaster(ctx context.Context, input, output string, info *Info, plan Plan, onProgress func(Progress)) error {
	if plan.Mode == "" || (plan.VideoIndex < 0 && plan.AudioIndex < 0) {
		return &Error{Kind: KindUnsupported, Message: "no master plan was made for this file"}
	}
	if e := checkInput(input); e != nil {
		return e
	}
	var duration float64
	if info != nil {
		duration = info.Duration
	}
	timeout := buildTimeout(duration)
	progress := newProgressReader(duration, onProgress)
	started := time.Now()
	res := run(ctx, toolRun{bin: ffmpegBin(), args: plan.Args(input, output), timeout: timeout, stdout: progress, memLimit: buildMemLimit})
	if res.err != nil {
		err := res.failure("ffmpeg", timeout, func(stderr string) *Error { return classifyFFmpegError(input, "make the master", stderr) })
		if res.canceled != nil {
			log().Info("master build cancelled", "input", input, "mode", plan.Mode)
		} else {
			log().Warn("master build failed", "input", input, "mode", plan.Mode, "err", err, "stderr", res.stderr)
		}
		return err
	}
	// ffmpeg exits 0 on an input whose tail is missing; an archive must not keep half a file.
	if strings.Contains(res.stderr, "partial file") {
		e := classifyInputError(input, res.stderr)
		e.Detail = res.stderr
		return e
	}
	if st, err := os.Stat(output); err != nil || st.Size() == 0 {
		return &Error{Kind: KindFFmpegFailed, Message: "ffmpeg finished without writing the master", Detail: res.stderr}
	}
	progress.done()
	log().Info("master built", "input", input, "mode", plan.Mode, "tier", plan.ResolutionTier,
		"elapsed", time.Since(started).Round(time.Millisecond))
	return nil
}

// Progress is how far an ffmpeg run is, and how fast it goes.
type Progress struct {
	Percent float64 // 0..100 of the input's duration
	// Speed is ffmpeg's own speed= (seconds of media made per second of work since it
	// started: 2.4 is 2.4× real time); 0 while ffmpeg does not know it yet.
	Speed float64
	// Bytes is how much of the output ffmpeg has written (its total_size=); 0 while unknown.
	Bytes int64
}

// minSpeedMedia is how much media (µs) ffmpeg must have made before its speed means something.
const minSpeedMedia = 500_000

// maxSpeed bounds a believable speed= (a remux of a tiny file reaches thousands).
const maxSpeed = 1e6

// progressReader parses ffmpeg's -progress key=value lines as they are written to stdout.
// Each block of keys ends with progress=continue (or end); the block is reported then.
type progressReader struct {
	duration float64
	report   func(Progress)

	mu       sync.Mutex
	partial  []byte
	block    Progress
	outUs    int64 // out_time_us of the block; -1 while ffmpeg says N/A
	last     float64
	lastSent time.Time
}

func newProgressReader(duration float64, report func(Progress)) *progressReader {
	return &progressReader{duration: duration, report: report, last: -1, outUs: -1}
}

func (p *progressReader) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			break
		}
		p.line(string(bytes.TrimSpace(p.partial[:i])))
		p.partial = p.partial[i+1:]
	}
	return len(b), nil
}

func (p *progressReader) line(l string) {
	key, val, ok := strings.Cut(l, "=")
	if !ok || p.report == nil {
		return
	}
	switch key {
	case "out_time_us", "out_time_ms": // out_time_ms is also in microseconds (an old ffmpeg misnomer)
		if us, err := strconv.ParseInt(val, 10, 64); err == nil && us >= 0 {
			p.outUs = us
		} // "N/A" before the first frame
	case "speed": // "2.4x", "6.83e+03x", "N/A"
		p.block.Speed = 0
		if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), "x"), 64); err == nil && v > 0 && v < maxSpeed {
			p.block.Speed = v
		}
	case "total_size":
		p.block.Bytes = 0
		if n, err := strconv.ParseInt(val, 10, 64); err == nil && n > 0 {
			p.block.Bytes = n
		}
	case "progress":
		p.send()
	}
}

// send reports the block just ended, throttled, while the percentage grows.
func (p *progressReader) send() {
	us := p.outUs
	p.outUs = -1
	if us < 0 || p.duration <= 0 {
		return
	}
	// Below 100 while running: 100 means the master is complete, which only done() knows.
	pct := min(99, max(0, float64(us)/1e6/p.duration*100))
	if pct <= p.last || time.Since(p.lastSent) < progressInterval {
		return
	}
	p.last, p.lastSent = pct, time.Now()
	b := p.block
	b.Percent = pct
	if us < minSpeedMedia {
		// ffmpeg's speed is media made over time since it started: before the encoder's
		// first output it is near 0 (0.0001x), which says nothing yet.
		b.Speed = 0
	}
	p.report(b)
}

func (p *progressReader) done() {
	if p.report != nil {
		p.report(Progress{Percent: 100})
	}
}
