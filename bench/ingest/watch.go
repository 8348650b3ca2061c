package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// benchWatch: last byte written into a watched folder -> master ready,
// against POST /video/v1/assets -> master ready for the same file.
func (b *bench) benchWatch() {
	inbox := filepath.Join(b.work, "watch-inbox")
	os.RemoveAll(inbox)
	must(os.MkdirAll(inbox, 0o755))
	s := b.startServer(filepath.Join(b.work, "data-watch"), "--watch", inbox)
	defer s.stop()
	// The --watch folder gets default settings; ask for master links, as the
	// core measurement does, so both wait for the same thing.
	var folders struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	s.call("GET", "/ui/v1/watch-folders", nil, &folders)
	s.call("PATCH", "/ui/v1/watch-folders/"+folders.Data[0].ID, map[string]any{"master_access": "temporary"}, nil)

	var core, watched, writes []time.Duration
	for i := 0; i < b.runs; i++ {
		settleDisk()
		start := time.Now()
		var a struct{ Data assetView }
		s.call("POST", "/video/v1/assets", map[string]any{"input": b.input, "master_access": "temporary"}, &a)
		s.waitMasterReady(a.Data.ID)
		core = append(core, time.Since(start))

		settleDisk()
		dst := filepath.Join(inbox, fmt.Sprintf("run-%d.mp4", i))
		writes = append(writes, timed(func() { copyInto(b.input, dst) }))
		lastByte := time.Now()
		id := s.findAsset(dst, 2*time.Minute)
		s.waitMasterReady(id)
		watched = append(watched, time.Since(lastByte))
	}
	mc, mw := median(core), median(watched)
	b.say("watch folder (median of %d): writing the file took %v; last byte -> master ready %v; POST /video/v1/assets -> master ready %v",
		b.runs, median(writes).Round(time.Millisecond), mw.Round(time.Millisecond), mc.Round(time.Millisecond))
	b.say("* watch: last byte -> ready = %.2fx the core path (+%v: the settle wait, 3 s by default, is the expected overhead)",
		mw.Seconds()/mc.Seconds(), (mw - mc).Round(time.Millisecond))
}

// copyInto writes src to dst in 1 MB writes, as a file manager's copy does.
func copyInto(src, dst string) {
	in, err := os.Open(src)
	must(err)
	defer in.Close()
	out, err := os.Create(dst)
	must(err)
	_, err = io.CopyBuffer(out, in, make([]byte, 1<<20))
	must(err)
	must(out.Close())
}
