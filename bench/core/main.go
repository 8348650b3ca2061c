// Command core measures the archive's core path against plain tools, in one
// run on the same files (make bench):
//   - create -> ready of a ~150 MB 1080p H.264/AAC MP4, against
//     `ffmpeg -c copy -movflags +faststart` (and against cp);
//   - download throughput of a master over loopback, against nginx serving
//     the same file;
//   - peak RSS of `serve` while four clients download a 1 GB master at once.
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
	runs := flag.Int("runs", 3, "repetitions of each timing; the median is reported")
	flag.Parse()
	log.SetFlags(0)
	if err := os.MkdirAll(*work, 0o755); err != nil {
		log.Fatal(err)
	}
	b := &bench{bin: *bin, work: mustAbs(*work), runs: *runs}
	b.prepareMedia()
	b.benchIngest()
	b.benchDownload()
	b.benchMemory()
	b.report()
}

type bench struct {
	bin, work string
	runs      int
	input     string // ~150 MB 1080p H.264/AAC
	big       string // ~1 GB, same streams looped
	lines     []string
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
	if err != nil {
		log.Fatal(err)
	}
	return a
}
