package kit

import (
	"flag"
	"log"
	"os"
)

// Bench is what every benchmark program starts from: its command line, the
// shared input clip and the report.
type Bench struct {
	Report
	Bin   string // the reelvault binary (-bin)
	Work  string // absolute folder for generated media, kept between runs (-work)
	Runs  int    // repetitions of each timing (-runs)
	Input string // the shared 60 s 1080p clip in Work (Input1080p)
}

// Setup parses the command line: -bin, -work, -runs (described by
// runsUsage) and any flag the program defined before calling it. It then
// makes the work folder and the input clip.
func Setup(runsUsage string) Bench {
	bin := flag.String("bin", "./reelvault", "the reelvault binary (make build-serve)")
	work := flag.String("work", "bench/out", "folder for generated media (kept between runs)")
	runs := flag.Int("runs", 3, runsUsage)
	flag.Parse()
	log.SetFlags(0)
	Must(os.MkdirAll(*work, 0o755))
	b := Bench{Bin: *bin, Work: MustAbs(*work), Runs: *runs}
	b.Input = Input1080p(b.Work)
	return b
}
