// Command live measures live recording against plain ffmpeg, in one run on
// the same stream (make bench):
//   - time from the encoder's disconnect (reconnect_window 0) until the
//     recording's master.status is ready, for a 60 s 1080p recording, against
//     `ffmpeg -c copy -movflags +faststart` of the same recording;
//   - CPU used by `serve` while it records one 1080p stream in real time,
//     against ffmpeg's own RTMP listener recording the same stream to
//     fragmented MP4 (-c copy).
//
// The encoder is `ffmpeg -re -i clip.mp4 -c copy -f flv`, so the encoder
// itself costs almost nothing on the shared cores.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	bin := flag.String("bin", "./reelvault", "the reelvault binary (make build-serve)")
	work := flag.String("work", "bench/out", "folder for generated media (kept between runs)")
	runs := flag.Int("runs", 3, "fast pushes timed for disconnect -> ready; the median is reported")
	realtime := flag.Bool("realtime", true, "also run the two 60 s real-time pushes that measure CPU")
	flag.Parse()
	log.SetFlags(0)
	must(os.MkdirAll(*work, 0o755))
	b := &bench{bin: *bin, work: mustAbs(*work), runs: *runs}
	b.prepareInput()
	b.benchFinish(*realtime)
	if *realtime {
		b.benchFFmpegReceiver()
	}
	b.report()
}

type bench struct {
	bin, work string
	runs      int
	input     string // 60 s 1080p30 H.264 20 Mb/s + AAC
	lines     []string
}

// prepareInput makes the clip bench/core uses (same name, same settings),
// unless it is already there.
func (b *bench) prepareInput() {
	b.input = filepath.Join(b.work, "input-1080p-60s.mp4")
	if _, err := os.Stat(b.input); err != nil {
		log.Println("generating a 60 s 1080p H.264/AAC clip at 20 Mb/s (once)...")
		ffmpeg(30*time.Minute, "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
			"-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-maxrate", "20M", "-bufsize", "20M",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2", b.input+".tmp.mp4")
		must(os.Rename(b.input+".tmp.mp4", b.input))
	}
	st, _ := os.Stat(b.input)
	b.say("input: %s (%.1f MB), pushed with -c copy", filepath.Base(b.input), mb(st.Size()))
}

func (b *bench) say(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Println(line)
	b.lines = append(b.lines, line)
}

func (b *bench) report() {
	fmt.Println("\n== summary ==")
	for _, l := range b.lines {
		if len(l) > 0 && l[0] == '*' {
			fmt.Println(l)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	must(err)
	return a
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
