package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// benchIngest: create -> master ready, against plain ffmpeg remux and cp.
func (b *bench) benchIngest() {
	out := filepath.Join(b.work, "baseline.mp4")
	var cp, remux, remuxSync, ours []time.Duration
	for i := 0; i < b.runs; i++ {
		os.Remove(out)
		cp = append(cp, timed(func() { copyFile(b.input, out) }))
		os.Remove(out)
		remux = append(remux, timed(func() {
			ffmpeg(5*time.Minute, "-i", b.input, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out)
		}))
		os.Remove(out)
		remuxSync = append(remuxSync, timed(func() {
			ffmpeg(5*time.Minute, "-i", b.input, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out)
			syncFile(out)
		}))
		os.Remove(out)
	}
	s := b.startServer(filepath.Join(b.work, "data-ingest"))
	defer s.stop()
	for i := 0; i < b.runs; i++ {
		_, d := s.ingest(b.input)
		ours = append(ours, d)
	}
	mc, mr, mrs, mo := median(cp), median(remux), median(remuxSync), median(ours)
	b.say("ingest (median of %d): cp %v, ffmpeg remux+faststart %v, same + fsync %v, reelvault create->master ready %v",
		b.runs, mc.Round(time.Millisecond), mr.Round(time.Millisecond), mrs.Round(time.Millisecond), mo.Round(time.Millisecond))
	b.say("* ingest: reelvault/ffmpeg-remux = %.2fx (target <= 1.3x); reelvault/(ffmpeg remux + fsync) = %.2fx; reelvault/cp = %.1fx",
		mo.Seconds()/mr.Seconds(), mo.Seconds()/mrs.Seconds(), mo.Seconds()/mc.Seconds())
}

func copyFile(src, dst string) {
	must(exec.Command("cp", src, dst).Run())
}
