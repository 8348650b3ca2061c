package main

import (
	"context"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// prepareMedia makes the inputs once; later runs reuse them.
func (b *bench) prepareMedia() {
	b.input = filepath.Join(b.work, "input-1080p-60s.mp4")
	if _, err := os.Stat(b.input); err != nil {
		log.Println("generating a 60 s 1080p H.264/AAC clip at 20 Mb/s (once)...")
		ffmpeg(30*time.Minute, "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
			"-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-maxrate", "20M", "-bufsize", "20M",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2", b.input+".tmp.mp4")
		must(os.Rename(b.input+".tmp.mp4", b.input))
	}
	b.big = filepath.Join(b.work, "input-1GB.mp4")
	if _, err := os.Stat(b.big); err != nil {
		log.Println("looping it to a ~1 GB file (once)...")
		ffmpeg(10*time.Minute, "-stream_loop", "6", "-i", b.input, "-c", "copy", "-movflags", "+faststart", b.big+".tmp.mp4")
		must(os.Rename(b.big+".tmp.mp4", b.big))
	}
	st, _ := os.Stat(b.input)
	big, _ := os.Stat(b.big)
	b.say("inputs: %s (%.1f MB), %s (%.1f MB)", filepath.Base(b.input), mb(st.Size()), filepath.Base(b.big), mb(big.Size()))
}

func ffmpeg(timeout time.Duration, args ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", append([]string{"-v", "error", "-y"}, args...)...)
	cmd.Stderr = os.Stderr
	must(cmd.Run())
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func syncFile(path string) {
	f, err := os.Open(path)
	must(err)
	must(f.Sync())
	f.Close()
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
