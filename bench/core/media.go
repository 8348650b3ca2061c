package main

import (
	"log"
	"os"
	"path/filepath"
	"time"

	"reelvault/bench/kit"
)

// prepareMedia makes the 1 GB input once (kit.Setup made the clip it loops);
// later runs reuse it.
func (b *bench) prepareMedia() {
	b.big = filepath.Join(b.Work, "input-1GB.mp4")
	if _, err := os.Stat(b.big); err != nil {
		log.Println("looping it to a ~1 GB file (once)...")
		kit.FFmpeg(10*time.Minute, "-stream_loop", "6", "-i", b.Input, "-c", "copy", "-movflags", "+faststart", b.big+".tmp.mp4")
		kit.Must(os.Rename(b.big+".tmp.mp4", b.big))
	}
	st, _ := os.Stat(b.Input)
	big, _ := os.Stat(b.big)
	b.Say("inputs: %s (%.1f MB), %s (%.1f MB)", filepath.Base(b.Input), kit.MB(st.Size()), filepath.Base(b.big), kit.MB(big.Size()))
}
