package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is a running `reelvault serve` on a fresh data folder.
type server struct {
	cmd      *exec.Cmd
	api      string
	shareURL string
}

func (b *bench) startServer(dataDir string) *server {
	os.RemoveAll(dataDir)
	cmd := exec.Command(b.bin, "serve", "--data", dataDir, "--listen", "127.0.0.1:0", "--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REELVAULT_TOKEN_ID=bench", "REELVAULT_TOKEN_SECRET=bench-secret")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	must(err)
	must(cmd.Start())
	s := &server{cmd: cmd}
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for s.api == "" && time.Now().Before(deadline) && sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "UI and API:") {
			f := strings.Fields(line)
			s.api = f[len(f)-1]
		}
	}
	if s.api == "" {
		log.Fatal("serve did not print its address")
	}
	go io.Copy(io.Discard, out)
	return s
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
	}
}

func (s *server) call(method, path string, body any, out any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, s.api+path, rd)
	req.SetBasicAuth("bench", "bench-secret")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(err)
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(resp.Body)
		log.Fatalf("%s %s: %s %s", method, path, resp.Status, msg)
	}
	if out != nil {
		must(json.NewDecoder(resp.Body).Decode(out))
	}
}

type assetView struct {
	Data struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Master *struct {
			Status string `json:"status"`
			URL    string `json:"url"`
		} `json:"master"`
		MasterSize int64  `json:"master_size"`
		MasterMode string `json:"master_mode"`
		Errors     any    `json:"errors"`
	} `json:"data"`
}

// ingest creates an asset and waits until its master link is ready,
// polling every 5 ms so the poll adds little to the measurement.
func (s *server) ingest(input string) (assetView, time.Duration) {
	var a assetView
	start := time.Now()
	s.call("POST", "/video/v1/assets", map[string]any{"input": input, "master_access": "temporary"}, &a)
	id := a.Data.ID
	for {
		s.call("GET", "/video/v1/assets/"+id, nil, &a)
		if a.Data.Status == "errored" {
			log.Fatalf("asset errored: %v", a.Data.Errors)
		}
		if a.Data.Master != nil && a.Data.Master.Status == "ready" {
			return a, time.Since(start)
		}
		if time.Since(start) > 10*time.Minute {
			log.Fatal(fmt.Sprintf("asset %s not ready after 10 min", id))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
