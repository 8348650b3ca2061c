package kit

import (
	"log"
	"os"
	"path/filepath"
	"time"
)

// Input1080p returns the shared input clip in work, a 60 s 1080p30 H.264
// 20 Mb/s + AAC MP4 (~150 MB), and generates it on first use; later runs
// and the other benchmarks reuse it.
func Input1080p(work string) string {
	input := filepath.Join(work, "input-1080p-60s.mp4")
	if _, err := os.Stat(input); err == nil {
		return input
	}
	log.Println("generating a 60 s 1080p H.264/AAC clip at 20 Mb/s (once)...")
	FFmpeg(30*time.Minute, "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-maxrate", "20M", "-bufsize", "20M",
		"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2", input+".tmp.mp4")
	Must(os.Rename(input+".tmp.mp4", input))
	return input
}

// InputFaststart is the shared clip with its index moved to the front (what
// most editors and phones write), made once from Input1080p.
func InputFaststart(work string) string {
	out := filepath.Join(work, "input-1080p-60s-faststart.mp4")
	if _, err := os.Stat(out); err != nil {
		FFmpeg(5*time.Minute, "-i", Input1080p(work), "-c", "copy", "-movflags", "+faststart", out+".tmp.mp4")
		Must(os.Rename(out+".tmp.mp4", out))
	}
	return out
}

// SyncFile fsyncs path, for the baselines that include the flush to disk.
func SyncFile(path string) {
	f, err := os.Open(path)
	Must(err)
	Must(f.Sync())
	f.Close()
}
