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
// receives 0..100, increasing, at most ~4 times a second, and 100 once the master is
// complete. Cancelling ctx kills ffmpeg's process group and returns an error wrapping
// ctx.Err(); other failures are *Error. A partly written output is left for the caller
// to remove.
func BuildMaster(ctx context.Context, input, output string, info *Info, plan Plan, onProgress func(pct float64)) error {
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

// progressReader parses ffmpeg's -progress key=value lines as they are written to stdout.
type progressReader struct {
	duration float64
	report   func(float64)

	mu       sync.Mutex
	partial  []byte
	last     float64
	lastSent time.Time
}

func newProgressReader(duration float64, report func(float64)) *progressReader {
	return &progressReader{duration: duration, report: report, last: -1}
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
	// out_time_ms is also in microseconds (an old ffmpeg misnomer); out_time_us is preferred.
	if !ok || (key != "out_time_us" && key != "out_time_ms") || p.report == nil || p.duration <= 0 {
		return
	}
	us, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return // "N/A" before the first frame
	}
	// Below 100 while running: 100 means the master is complete, which only done() knows.
	pct := min(99, max(0, float64(us)/1e6/p.duration*100))
	if pct <= p.last || time.Since(p.lastSent) < progressInterval {
		return
	}
	p.last, p.lastSent = pct, time.Now()
	p.report(pct)
}

func (p *progressReader) done() {
	if p.report != nil {
		p.report(100)
	}
}
