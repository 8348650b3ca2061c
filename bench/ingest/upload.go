package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"reelvault/bench/kit"
)

// upChunkSize is UpChunk's default chunk size (30720 KiB).
const upChunkSize = 30 << 20

// benchUpload: the direct-upload URL on loopback, in one PUT and in
// UpChunk-sized chunks, against cp (and cp + sync: an upload is flushed to
// disk before its asset is created).
func (b *bench) benchUpload() {
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-upload"))
	defer s.Stop()
	st, err := os.Stat(b.Input)
	kit.Must(err)
	size := st.Size()
	dst := filepath.Join(b.Work, "upload-baseline.mp4")
	var cp, cpSync, single, chunked []time.Duration
	for i := 0; i < b.Runs; i++ {
		os.Remove(dst)
		settleDisk()
		cp = append(cp, kit.Timed(func() { kit.Run(5*time.Minute, "cp", b.Input, dst) }))
		os.Remove(dst)
		settleDisk()
		cpSync = append(cpSync, kit.Timed(func() {
			kit.Run(5*time.Minute, "cp", b.Input, dst)
			kit.SyncFile(dst)
		}))
		os.Remove(dst)
		settleDisk()
		single = append(single, timedUpload(s, b.Input, size, size))
		settleDisk()
		chunked = append(chunked, timedUpload(s, b.Input, size, upChunkSize))
	}
	rate := func(d time.Duration) float64 { return kit.MB(size) / d.Seconds() }
	mcp, mcs, ms, mch := kit.Median(cp), kit.Median(cpSync), kit.Median(single), kit.Median(chunked)
	b.Say("upload of %.0f MB (median of %d): one PUT %.0f MB/s (%v), 30 MiB chunks %.0f MB/s (%v); cp %.0f MB/s (%v), cp + sync %.0f MB/s (%v)",
		kit.MB(size), b.Runs, rate(ms), ms.Round(time.Millisecond), rate(mch), mch.Round(time.Millisecond),
		rate(mcp), mcp.Round(time.Millisecond), rate(mcs), mcs.Round(time.Millisecond))
	b.Say("* upload: one PUT = %.2fx cp throughput, %.2fx cp + sync; 30 MiB chunks = %.2fx cp + sync",
		rate(ms)/rate(mcp), rate(ms)/rate(mcs), rate(mch)/rate(mcs))
}

// timedUpload creates an upload, sends the file in chunks of chunk bytes
// and returns the time from the first byte to the final answer (the file is
// then on disk and its asset exists). It then waits for the master, so the
// build does not run during the next measurement.
func timedUpload(s *kit.Server, path string, size, chunk int64) time.Duration {
	var u struct {
		Data struct {
			ID  string `json:"id"`
			URL string `json:"url"`
		} `json:"data"`
	}
	s.Call("POST", "/video/v1/uploads", map[string]any{"new_asset_settings": map[string]any{"master_access": "temporary"}}, &u)
	f, err := os.Open(path)
	kit.Must(err)
	defer f.Close()
	start := time.Now()
	for off := int64(0); off < size; off += chunk {
		n := min(chunk, size-off)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		req, _ := http.NewRequestWithContext(ctx, "PUT", u.Data.URL, io.NewSectionReader(f, off, n))
		req.ContentLength = n
		if chunk < size {
			req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size))
		}
		resp, err := http.DefaultClient.Do(req)
		kit.Must(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		cancel()
		last := off+n == size
		if (last && resp.StatusCode != http.StatusOK) || (!last && resp.StatusCode != http.StatusPermanentRedirect) {
			log.Fatalf("upload chunk at %d: %s", off, resp.Status)
		}
	}
	took := time.Since(start)
	var done struct {
		Data struct {
			AssetID string `json:"asset_id"`
		} `json:"data"`
	}
	s.Call("GET", "/video/v1/uploads/"+u.Data.ID, nil, &done)
	s.WaitMasterReady(done.Data.AssetID)
	return took
}

// settleDisk flushes every dirty page before a measurement, so none pays
// for the writeback of the one before it (the masters built in between).
func settleDisk() {
	kit.Run(5*time.Minute, "sync")
	time.Sleep(200 * time.Millisecond)
}
