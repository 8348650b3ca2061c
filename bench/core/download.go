package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"reelvault/bench/kit"
)

// benchDownload: a master over loopback through a Reelvault link, against
// nginx (Debian's, sendfile on) serving the very same file.
func (b *bench) benchDownload() {
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-download"))
	defer s.Stop()
	a, _ := s.Ingest(b.big)
	master := filepath.Join(s.DataDir, "masters", a.ID+".mp4")
	nginxURL, stopNginx := startNginx(b.Work, master)
	defer stopNginx()

	var ours, theirs []time.Duration
	for i := 0; i < b.Runs+2; i++ {
		theirs = append(theirs, kit.Timed(func() { download(nginxURL, a.MasterSize) }))
		ours = append(ours, kit.Timed(func() { download(a.Master.URL, a.MasterSize) }))
	}
	mo, mn := kit.Median(ours), kit.Median(theirs)
	rate := func(d time.Duration) float64 { return kit.MB(a.MasterSize) / d.Seconds() }
	b.Say("download of a %.0f MB master (median of %d): reelvault %.0f MB/s, nginx %.0f MB/s", kit.MB(a.MasterSize), b.Runs+2, rate(mo), rate(mn))
	b.Say("* download: reelvault/nginx throughput = %.2fx (target >= 0.9x)", rate(mo)/rate(mn))
}

func download(url string, want int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	kit.Must(err)
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	kit.Must(err)
	if resp.StatusCode != 200 || n != want {
		log.Fatalf("download %s: %s, %d of %d bytes", url, resp.Status, n, want)
	}
}

// startNginx serves file's folder on a free loopback port.
func startNginx(work, file string) (string, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	kit.Must(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := filepath.Join(work, "nginx")
	root := filepath.Join(dir, "root")
	kit.Must(os.MkdirAll(root, 0o755))
	// The data folder is private (0700) and nginx's workers run as www-data:
	// a hard link serves the very same file from a folder they can read.
	served := filepath.Join(root, filepath.Base(file))
	os.Remove(served)
	kit.Must(os.Link(file, served))
	kit.Must(os.Chmod(file, 0o644))
	conf := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { video/mp4 mp4; }
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  server { listen 127.0.0.1:%[2]d; root %[3]s; }
}
`, dir, port, root)
	confPath := filepath.Join(dir, "nginx.conf")
	kit.Must(os.WriteFile(confPath, []byte(conf), 0o644))
	nginx := kit.Command(time.Hour, "/usr/sbin/nginx", "-c", confPath, "-p", dir).Start()
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/" + filepath.Base(file)
	for i := 0; i < 100; i++ {
		if resp, err := http.Head(url); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return url, nginx.Kill
}

// benchMemory: peak RSS of serve while four clients download 1 GB at once.
func (b *bench) benchMemory() {
	s := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-memory"))
	defer s.Stop()
	a, _ := s.Ingest(b.big)
	pid := s.Pid()
	before := rssKB(pid, "VmRSS")
	var peak int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				if r := rssKB(pid, "VmRSS"); r > peak {
					peak = r
				}
			}
		}
	}()
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); download(a.Master.URL, a.MasterSize) }()
	}
	wg.Wait()
	took := time.Since(start)
	close(stop)
	sampler.Wait()
	hwm := rssKB(pid, "VmHWM")
	b.Say("memory: serve RSS %.1f MB before, peak %.1f MB sampled during 4 parallel downloads of %.0f MB (%.0f MB/s total); VmHWM over the whole run (incl. ingest) %.1f MB",
		float64(before)/1024, float64(peak)/1024, kit.MB(a.MasterSize), 4*kit.MB(a.MasterSize)/took.Seconds(), float64(hwm)/1024)
	b.Say("* memory: peak RSS during 4 x 1 GB downloads = %.1f MB (target < 150 MB)", float64(peak)/1024)
}

func rssKB(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	kit.Must(err)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field+":") {
			n, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return n
		}
	}
	return 0
}
