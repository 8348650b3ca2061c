// Command ingest measures Reelvault's ingest sources against the core path
// and plain tools, in one run on the same file (make bench):
//   - watch folder: from the last byte of a ~150 MB 1080p file written into a
//     watched folder until its master is ready, against POST /video/v1/assets
//     of the same file (the settle wait should be the only difference);
//   - direct upload: throughput of the upload URL on loopback (one PUT, and
//     UpChunk-style 30 MiB chunks), against cp of the same file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	bin := flag.String("bin", "./reelvault", "the reelvault binary (make build-serve)")
	work := flag.String("work", "bench/out", "folder for generated media (kept between runs)")
	runs := flag.Int("runs", 3, "repetitions of each timing; the median is reported")
	flag.Parse()
	log.SetFlags(0)
	must(os.MkdirAll(*work, 0o755))
	b := &bench{bin: *bin, work: mustAbs(*work), runs: *runs}
	b.prepareMedia()
	b.benchWatch()
	b.benchUpload()
	b.report()
}

type bench struct {
	bin, work string
	runs      int
	input     string // ~150 MB 1080p H.264/AAC (shared with bench/core)
	lines     []string
}

// prepareMedia makes the input once; bench/core makes the same file.
func (b *bench) prepareMedia() {
	b.input = filepath.Join(b.work, "input-1080p-60s.mp4")
	if _, err := os.Stat(b.input); err != nil {
		log.Println("generating a 60 s 1080p H.264/AAC clip at 20 Mb/s (once)...")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y",
			"-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
			"-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-maxrate", "20M", "-bufsize", "20M",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2", b.input+".tmp.mp4")
		cmd.Stderr = os.Stderr
		must(cmd.Run())
		must(os.Rename(b.input+".tmp.mp4", b.input))
	}
	st, err := os.Stat(b.input)
	must(err)
	b.say("input: %s (%.1f MB)", filepath.Base(b.input), mb(st.Size()))
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

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	must(err)
	return a
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
