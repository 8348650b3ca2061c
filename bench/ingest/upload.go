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

// chunkSizes are UpChunk's default (30720 KiB) and two smaller ones clients use.
var chunkSizes = []int64{30 << 20, 5 << 20, 256 << 10}

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
	var cp, cpSync, single []time.Duration
	chunked := make([][]time.Duration, len(chunkSizes))
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
		for j, c := range chunkSizes {
			settleDisk()
			chunked[j] = append(chunked[j], timedUpload(s, b.Input, size, c))
		}
	}
	rate := func(d time.Duration) float64 { return kit.MB(size) / d.Seconds() }
	mcp, mcs, ms := kit.Median(cp), kit.Median(cpSync), kit.Median(single)
	b.Say("upload of %.0f MB (median of %d): one PUT %.0f MB/s (%v); cp %.0f MB/s (%v), cp + sync %.0f MB/s (%v)",
		kit.MB(size), b.Runs, rate(ms), ms.Round(time.Millisecond),
		rate(mcp), mcp.Round(time.Millisecond), rate(mcs), mcs.Round(time.Millisecond))
	b.Say("* upload: one PUT = %.2fx cp throughput, %.2fx cp + sync", rate(ms)/rate(mcp), rate(ms)/rate(mcs))
	for j, c := range chunkSizes {
		m := kit.Median(chunked[j])
		b.Say("* upload: %s chunks %.0f MB/s (%v) = %.2fx cp + sync (target >= 0.8x)", chunkLabel(c), rate(m), m.Round(time.Millisecond), rate(m)/rate(mcs))
	}
}

func chunkLabel(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// timedUpload creates an upload, sends the file in chunks of chunk bytes
// and returns the time from the first byte to the final answer (the file is
// then on disk and its asset exists). It then waits for the master and its
// thumbnail, so neither runs during the next measurement (the thumbnail job
// starts after ready and decodes the 1080p master: it used to overlap the
// measurement that followed).
func timedUpload(s *kit.Server, path string, size, chunk int64) time.Duration {
	start := time.Now()
	assetID, answered, _ := sendUpload(s, path, size, chunk)
	s.WaitMasterReady(assetID)
	s.WaitThumbnail(assetID)
	return answered.Sub(start)
}

// sendUpload creates an upload and sends the file in chunks of chunk bytes.
// It returns the asset made, when the final answer came and when the last
// byte was handed to the connection (the transport read the body's end).
func sendUpload(s *kit.Server, path string, size, chunk int64) (assetID string, answered, lastByte time.Time) {
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
	for off := int64(0); off < size; off += chunk {
		n := min(chunk, size-off)
		last := off+n == size
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		var body io.Reader = io.NewSectionReader(f, off, n)
		if last {
			body = &endStamp{r: body, at: &lastByte}
		}
		req, _ := http.NewRequestWithContext(ctx, "PUT", u.Data.URL, body)
		req.ContentLength = n
		if chunk < size {
			req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size))
		}
		resp, err := http.DefaultClient.Do(req)
		kit.Must(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		cancel()
		if (last && resp.StatusCode != http.StatusOK) || (!last && resp.StatusCode != http.StatusPermanentRedirect) {
			log.Fatalf("upload chunk at %d: %s", off, resp.Status)
		}
	}
	answered = time.Now()
	var done struct {
		Data struct {
			AssetID string `json:"asset_id"`
		} `json:"data"`
	}
	s.Call("GET", "/video/v1/uploads/"+u.Data.ID, nil, &done)
	return done.Data.AssetID, answered, lastByte
}

// endStamp records when its reader's last byte was read.
type endStamp struct {
	r  io.Reader
	at *time.Time
}

func (e *endStamp) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF && e.at.IsZero() {
		*e.at = time.Now()
	}
	return n, err
}

// benchUploadToReady: a faststart MP4 (most editors' and phones' output) sent
// in UpChunk's 30 MiB chunks, from its last byte until its master is ready
// (it becomes the master without a copy or a hashing pass), against the fsync
// of a fresh copy of the same file measured in the same run: the flush any
// durable landing of the bytes pays.
func (b *bench) benchUploadToReady() {
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-upload-ready"))
	defer s.Stop()
	input := kit.InputFaststart(b.Work)
	st, err := os.Stat(input)
	kit.Must(err)
	dst := filepath.Join(b.Work, "upload-ready-baseline.mp4")
	var flush, answer, ready []time.Duration
	for i := 0; i < b.Runs; i++ {
		os.Remove(dst)
		settleDisk()
		kit.Run(5*time.Minute, "cp", input, dst)
		flush = append(flush, kit.Timed(func() { kit.SyncFile(dst) }))
		os.Remove(dst)
		settleDisk()
		assetID, answered, lastByte := sendUpload(s, input, st.Size(), 30<<20)
		s.WaitMasterReady(assetID)
		ready = append(ready, time.Since(lastByte))
		answer = append(answer, answered.Sub(lastByte))
		s.WaitThumbnail(assetID)
	}
	mr, ma, mf := kit.Median(ready), kit.Median(answer), kit.Median(flush)
	b.Say("upload of a faststart %.0f MB file, last byte -> answer %v, -> master ready %v (median of %d); fsync of a fresh copy %v",
		kit.MB(st.Size()), ma.Round(time.Millisecond), mr.Round(time.Millisecond), b.Runs, mf.Round(time.Millisecond))
	b.Say("* upload (faststart) -> ready after the last byte: %v (target <= 0.3 s); fsync of a fresh copy alone %v", mr.Round(time.Millisecond), mf.Round(time.Millisecond))
}

// settleDisk flushes every dirty page before a measurement, so none pays
// for the writeback of the one before it (the masters built in between).
func settleDisk() {
	kit.Run(5*time.Minute, "sync")
	time.Sleep(200 * time.Millisecond)
}
