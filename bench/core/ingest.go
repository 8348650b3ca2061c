package main

import (
	"os"
	"path/filepath"
	"time"

	"reelvault/bench/kit"
)

// benchIngest: create -> master ready, against plain ffmpeg remux and cp.
func (b *bench) benchIngest() {
	out := filepath.Join(b.Work, "baseline.mp4")
	var cp, remux, remuxSync, ours []time.Duration
	for i := 0; i < b.Runs; i++ {
		os.Remove(out)
		cp = append(cp, kit.Timed(func() { kit.Run(5*time.Minute, "cp", b.Input, out) }))
		os.Remove(out)
		remux = append(remux, kit.Timed(func() {
			kit.FFmpeg(5*time.Minute, "-i", b.Input, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out)
		}))
		os.Remove(out)
		remuxSync = append(remuxSync, kit.Timed(func() {
			kit.FFmpeg(5*time.Minute, "-i", b.Input, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out)
			kit.SyncFile(out)
		}))
		os.Remove(out)
	}
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-ingest"))
	defer s.Stop()
	for i := 0; i < b.Runs; i++ {
		_, d := s.Ingest(b.Input)
		ours = append(ours, d)
	}
	mc, mr, mrs, mo := kit.Median(cp), kit.Median(remux), kit.Median(remuxSync), kit.Median(ours)
	b.Say("ingest (median of %d): cp %v, ffmpeg remux+faststart %v, same + fsync %v, reelvault create->master ready %v",
		b.Runs, mc.Round(time.Millisecond), mr.Round(time.Millisecond), mrs.Round(time.Millisecond), mo.Round(time.Millisecond))
	b.Say("* ingest: reelvault/ffmpeg-remux = %.2fx (target <= 1.3x); reelvault/(ffmpeg remux + fsync) = %.2fx; reelvault/cp = %.1fx",
		mo.Seconds()/mr.Seconds(), mo.Seconds()/mrs.Seconds(), mo.Seconds()/mc.Seconds())
}
