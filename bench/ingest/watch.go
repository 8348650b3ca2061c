package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"reelvault/bench/kit"
)

// benchWatch: last byte written into a watched folder -> master ready,
// against POST /video/v1/assets -> master ready for the same file.
func (b *bench) benchWatch() {
	inbox := filepath.Join(b.Work, "watch-inbox")
	os.RemoveAll(inbox)
	kit.Must(os.MkdirAll(inbox, 0o755))
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-watch"), "--watch", inbox)
	defer s.Stop()
	// The --watch folder gets default settings; ask for master links, as the
	// core measurement does, so both wait for the same thing.
	var folders struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	s.Call("GET", "/ui/v1/watch-folders", nil, &folders)
	s.Call("PATCH", "/ui/v1/watch-folders/"+folders.Data[0].ID, map[string]any{"master_access": "temporary"}, nil)

	var core, watched, writes []time.Duration
	for i := 0; i < b.Runs; i++ {
		settleDisk()
		_, took := s.Ingest(b.Input)
		core = append(core, took)

		settleDisk()
		dst := filepath.Join(inbox, fmt.Sprintf("run-%d.mp4", i))
		writes = append(writes, kit.Timed(func() { copyInto(b.Input, dst) }))
		lastByte := time.Now()
		id := s.FindAsset(dst, 2*time.Minute)
		s.WaitMasterReady(id)
		watched = append(watched, time.Since(lastByte))
	}
	mc, mw := kit.Median(core), kit.Median(watched)
	b.Say("watch folder (median of %d): writing the file took %v; last byte -> master ready %v; POST /video/v1/assets -> master ready %v",
		b.Runs, kit.Median(writes).Round(time.Millisecond), mw.Round(time.Millisecond), mc.Round(time.Millisecond))
	b.Say("* watch: last byte -> ready = %.2fx the core path (+%v: the settle wait, 3 s by default, is the expected overhead)",
		mw.Seconds()/mc.Seconds(), (mw - mc).Round(time.Millisecond))
}

// copyInto writes src to dst in 1 MB writes, as a file manager's copy does.
func copyInto(src, dst string) {
	in, err := os.Open(src)
	kit.Must(err)
	defer in.Close()
	out, err := os.Create(dst)
	kit.Must(err)
	_, err = io.CopyBuffer(out, in, make([]byte, 1<<20))
	kit.Must(err)
	kit.Must(out.Close())
}
