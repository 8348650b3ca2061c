package main

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"reelvault/bench/kit"
)

// chunkSizes are UpChunk's default (30720 KiB) and two smaller ones clients use.
var chunkSizes = []int64{30 << 20, 5 << 20, 256 << 10}

// benchUpload: the direct-upload URL on loopback, in one PUT and in
// UpChunk-sized chunks, against cp + fsync of the same file (an upload is on
// disk, flushed, when its last chunk is answered) measured in the same run,
// run by run: each upload is compared with the cp + fsync just before it, and
// the headline is the median of those ratios. The server's CPU time and the
// bytes it read and wrote (/proc/PID/io, its children included) are steadier
// than wall time on a shared machine and are shown beside cp's.
func (b *bench) benchUpload() {
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-upload"))
	defer s.Stop()
	st, err := os.Stat(b.Input)
	kit.Must(err)
	size := st.Size()
	dst := filepath.Join(b.Work, "upload-baseline.mp4")
	type sample struct {
		took   time.Duration
		ratio  float64 // cp + fsync of this run / took
		server kit.IOCount
		client time.Duration
	}
	var cpSync []time.Duration
	var cpIO []kit.IOCount
	labels := []string{"one PUT"}
	sizes := []int64{size}
	for _, c := range chunkSizes {
		labels, sizes = append(labels, chunkLabel(c)+" chunks"), append(sizes, c)
	}
	samples := make([][]sample, len(sizes))
	for i := 0; i < b.Runs; i++ {
		for j, chunk := range sizes {
			os.Remove(dst)
			settleDisk()
			var cio kit.IOCount
			base := kit.Timed(func() {
				cio = kit.RunCounted(5*time.Minute, "cp", b.Input, dst)
				kit.SyncFile(dst)
			})
			cpSync, cpIO = append(cpSync, base), append(cpIO, cio)
			os.Remove(dst)
			settleDisk()
			srv0, cli0 := kit.ReadIO(s.Pid()), kit.SelfCPU()
			assetID, answered, _, started := sendUpload(s, b.Input, size, chunk)
			srv := kit.ReadIO(s.Pid()).Sub(srv0)
			took := answered.Sub(started)
			samples[j] = append(samples[j], sample{took, base.Seconds() / took.Seconds(), srv, kit.SelfCPU() - cli0})
			// The master and its thumbnail are made before the next measurement.
			s.WaitMasterReady(assetID)
			s.WaitThumbnail(assetID)
		}
	}
	rate := func(d time.Duration) float64 { return kit.MB(size) / d.Seconds() }
	mcs := kit.Median(cpSync)
	cpCPU := make([]time.Duration, len(cpIO))
	for i, c := range cpIO {
		cpCPU[i] = c.CPU
	}
	b.Say("upload of %.0f MB on loopback (median of %d runs; the client sends with sendfile): cp + fsync %v (%.0f MB/s), cp's CPU %v",
		kit.MB(size), b.Runs, mcs.Round(time.Millisecond), rate(mcs), kit.Median(cpCPU).Round(time.Millisecond))
	for j, label := range labels {
		var took, srvCPU, cliCPU []time.Duration
		var ratios []float64
		for _, x := range samples[j] {
			took, ratios = append(took, x.took), append(ratios, x.ratio)
			srvCPU, cliCPU = append(srvCPU, x.server.CPU), append(cliCPU, x.client)
		}
		m := kit.Median(took)
		last := samples[j][len(samples[j])-1].server
		b.Say("  %s: %v (%.0f MB/s); server CPU %v (median), read %.0f MB, written %.0f MB, to disk %.0f MB (last run); client CPU %v",
			label, m.Round(time.Millisecond), rate(m), kit.Median(srvCPU).Round(time.Millisecond),
			kit.MB(last.RChar), kit.MB(last.WChar), kit.MB(last.WriteBytes), kit.Median(cliCPU).Round(time.Millisecond))
		target := " (target >= 0.8x)"
		if j == 0 {
			target = ""
		}
		b.Say("* upload: %s = %.2fx cp + fsync (median of per-run ratios %s)%s", label, medianFloat(ratios), ratioList(ratios), target)
	}
}

func medianFloat(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ratioList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, " ")
}

func chunkLabel(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// sendUpload creates an upload and sends the file in chunks of chunk bytes
// (one PUT without Content-Range when chunk covers it). It returns the asset
// made, when the final answer came, when the last byte was handed to the
// connection, and when the first one was.
func sendUpload(s *kit.Server, path string, size, chunk int64) (assetID string, answered, lastByte, firstByte time.Time) {
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
	c := dialPut(u.Data.URL)
	defer c.close()
	firstByte = time.Now()
	for off := int64(0); off < size; off += chunk {
		n := min(chunk, size-off)
		last := off+n == size
		contentRange := ""
		if chunk < size {
			contentRange = fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size)
		}
		status := c.put(f, off, n, contentRange, &lastByte)
		if (last && status != http.StatusOK) || (!last && status != http.StatusPermanentRedirect) {
			log.Fatalf("upload chunk at %d: %d", off, status)
		}
	}
	answered = time.Now()
	var done struct {
		Data struct {
			AssetID string `json:"asset_id"`
		} `json:"data"`
	}
	s.Call("GET", "/video/v1/uploads/"+u.Data.ID, nil, &done)
	return done.Data.AssetID, answered, lastByte, firstByte
}

// putClient sends PUTs over one kept-alive connection, each body straight
// from the file with sendfile, as a lean uploader does: a client copying
// through its own memory would take, on two shared cores, much of the CPU the
// server's figure is about.
type putClient struct {
	conn       net.Conn
	br         *bufio.Reader
	host, path string
}

func dialPut(rawURL string) *putClient {
	u, err := url.Parse(rawURL)
	kit.Must(err)
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	kit.Must(err)
	return &putClient{conn: conn, br: bufio.NewReader(conn), host: u.Host, path: u.RequestURI()}
}

func (c *putClient) close() { c.conn.Close() }

// put sends bytes [off, off+n) of f and returns the answer's status; sent is
// when the body had been handed to the connection.
func (c *putClient) put(f *os.File, off, n int64, contentRange string, sent *time.Time) int {
	kit.Must(c.conn.SetDeadline(time.Now().Add(5 * time.Minute)))
	head := fmt.Sprintf("PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", c.path, c.host, n)
	if contentRange != "" {
		head += "Content-Range: " + contentRange + "\r\n"
	}
	_, err := io.WriteString(c.conn, head+"\r\n")
	kit.Must(err)
	_, err = f.Seek(off, io.SeekStart)
	kit.Must(err)
	// A TCP connection reading from a limited *os.File sends it with sendfile.
	sentN, err := io.Copy(c.conn, io.LimitReader(f, n))
	kit.Must(err)
	if sentN != n {
		log.Fatalf("sent %d of %d bytes", sentN, n)
	}
	*sent = time.Now()
	resp, err := http.ReadResponse(c.br, nil)
	kit.Must(err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
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
		assetID, answered, lastByte, _ := sendUpload(s, input, st.Size(), 30<<20)
		s.WaitMasterReady(assetID)
		ready = append(ready, time.Since(lastByte))
		answer = append(answer, answered.Sub(lastByte))
		s.WaitThumbnail(assetID)
	}
	mr, ma, mf := kit.Median(ready), kit.Median(answer), kit.Median(flush)
	b.Say("upload of a faststart %.0f MB file, last byte -> answer %v, -> master ready %v (median of %d); fsync of a fresh copy %v",
		kit.MB(st.Size()), ma.Round(time.Millisecond), mr.Round(time.Millisecond), b.Runs, mf.Round(time.Millisecond))
	list := make([]string, len(ready))
	for i, d := range ready {
		list[i] = d.Round(time.Millisecond).String()
	}
	b.Say("* upload (faststart) -> ready after the last byte: %v (target <= 0.3 s; runs %s) = %.1fx the fsync of a fresh copy alone (%v)",
		mr.Round(time.Millisecond), strings.Join(list, " "), mr.Seconds()/mf.Seconds(), mf.Round(time.Millisecond))
}

// settleDisk flushes every dirty page before a measurement, so none pays
// for the writeback of the one before it (the masters built in between).
func settleDisk() {
	kit.Run(5*time.Minute, "sync")
	time.Sleep(200 * time.Millisecond)
}
