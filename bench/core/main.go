// Command core measures the archive's core path against plain tools, in one
// run on the same files (make bench):
//   - create -> ready of a ~150 MB 1080p H.264/AAC MP4, against
//     `ffmpeg -c copy -movflags +faststart` (and against cp);
//   - download throughput of a master over loopback, against nginx serving
//     the same file;
//   - peak RSS of `serve` while four clients download a 1 GB master at once.
package main

import "reelvault/bench/kit"

func main() {
	b := &bench{Bench: kit.Setup("repetitions of each timing; the median is reported")}
	b.prepareMedia()
	b.benchIngest()
	b.benchDownload()
	b.benchMemory()
	b.Summary()
}

type bench struct {
	kit.Bench
	big string // ~1 GB, the input's streams looped
}
