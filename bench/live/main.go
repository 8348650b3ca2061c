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
	"os"
	"path/filepath"

	"reelvault/bench/kit"
)

func main() {
	realtime := flag.Bool("realtime", true, "also run the two 60 s real-time pushes that measure CPU")
	b := &bench{Bench: kit.Setup("fast pushes timed for disconnect -> ready; the median is reported")}
	st, _ := os.Stat(b.Input)
	b.Say("input: %s (%.1f MB), pushed with -c copy", filepath.Base(b.Input), kit.MB(st.Size()))
	b.benchFinish(*realtime)
	if *realtime {
		b.benchFFmpegReceiver()
	}
	b.Summary()
}

type bench struct{ kit.Bench }
