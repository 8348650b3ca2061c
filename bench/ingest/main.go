// Command ingest measures Reelvault's ingest sources against the core path
// and plain tools, in one run on the same file (make bench):
//   - watch folder: from the last byte of a ~150 MB 1080p file written into a
//     watched folder until its master is ready, against POST /video/v1/assets
//     of the same file (the settle wait should be the only difference);
//   - direct upload: throughput of the upload URL on loopback (one PUT, and
//     UpChunk-style chunks of 30 MiB, 5 MiB and 256 KiB), against cp + fsync of the
//     same file in the same run, with the server's CPU time and bytes read/written;
//   - upload -> ready: a faststart file's last byte until its master is ready.
package main

import (
	"flag"
	"os"
	"path/filepath"

	"reelvault/bench/kit"
)

func main() {
	only := flag.String("only", "", "run one part: watch, ready (upload -> ready) or upload (throughput)")
	b := &bench{Bench: kit.Setup("repetitions of each timing; the median is reported")}
	st, err := os.Stat(b.Input)
	kit.Must(err)
	b.Say("input: %s (%.1f MB)", filepath.Base(b.Input), kit.MB(st.Size()))
	for _, part := range []struct {
		name string
		run  func()
	}{{"watch", b.benchWatch}, {"ready", b.benchUploadToReady}, {"upload", b.benchUpload}} {
		if *only == "" || *only == part.name {
			part.run()
		}
	}
	b.Summary()
}

type bench struct{ kit.Bench }
