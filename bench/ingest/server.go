package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is a running `reelvault serve` on a fresh data folder.
type server struct {
	cmd *exec.Cmd
	api string
}

func (b *bench) startServer(dataDir string, extra ...string) *server {
	os.RemoveAll(dataDir)
	args := append([]string{"serve", "--data", dataDir, "--listen", "127.0.0.1:0", "--share-listen", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(b.bin, args...)
	cmd.Env = append(os.Environ(), "REELVAULT_TOKEN_ID=bench", "REELVAULT_TOKEN_SECRET=bench-secret")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	must(err)
	must(cmd.Start())
	s := &server{cmd: cmd}
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for s.api == "" && time.Now().Before(deadline) && sc.Scan() {
		if line := sc.Text(); strings.Contains(line, "UI and API:") {
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
	ID     string `json:"id"`
	Status string `json:"status"`
	Input  string `json:"input"`
	Master *struct {
		Status string `json:"status"`
	} `json:"master"`
	Errors any `json:"errors"`
}

// waitMasterReady polls the asset every 5 ms until its master link is ready.
func (s *server) waitMasterReady(id string) {
	start := time.Now()
	for {
		var a struct{ Data assetView }
		s.call("GET", "/video/v1/assets/"+id, nil, &a)
		if a.Data.Status == "errored" {
			log.Fatalf("asset errored: %v", a.Data.Errors)
		}
		if a.Data.Master != nil && a.Data.Master.Status == "ready" {
			return
		}
		if time.Since(start) > 10*time.Minute {
			log.Fatalf("asset %s not ready after 10 min", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// findAsset polls the asset list every 5 ms for the asset made from input.
func (s *server) findAsset(input string, timeout time.Duration) string {
	start := time.Now()
	for time.Since(start) < timeout {
		var l struct{ Data []assetView }
		s.call("GET", "/video/v1/assets?limit=5&q="+url.QueryEscape(input), nil, &l)
		for _, a := range l.Data {
			if a.Input == input {
				return a.ID
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	log.Fatalf("no asset for %s after %s", input, timeout)
	return ""
}
