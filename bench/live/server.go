package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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
	cmd     *exec.Cmd
	api     string
	rtmp    string // base URL, e.g. rtmp://127.0.0.1:PORT/app
	dataDir string
}

func (b *bench) startServer(dataDir string) *server {
	os.RemoveAll(dataDir)
	cmd := exec.Command(b.bin, "serve", "--data", dataDir, "--listen", "127.0.0.1:0",
		"--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REELVAULT_TOKEN_ID=bench", "REELVAULT_TOKEN_SECRET=bench-secret")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	must(err)
	must(cmd.Start())
	s := &server{cmd: cmd, dataDir: dataDir}
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for (s.api == "" || s.rtmp == "") && time.Now().Before(deadline) && sc.Scan() {
		key, value, _ := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		value = strings.TrimSpace(value)
		switch key {
		case "UI and API":
			s.api = value
		case "RTMP ingest":
			s.rtmp = strings.TrimSuffix(value, "/STREAM_KEY")
		}
	}
	if s.api == "" || s.rtmp == "" {
		log.Fatal("serve did not print its API and RTMP addresses")
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

type streamView struct {
	Data struct {
		ID            string `json:"id"`
		StreamKey     string `json:"stream_key"`
		ActiveAssetID string `json:"active_asset_id"`
		Connected     bool   `json:"connected"`
	} `json:"data"`
}

type assetView struct {
	Data struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Master *struct {
			Status string `json:"status"`
		} `json:"master"`
		Duration   float64 `json:"duration"`
		MasterMode string  `json:"master_mode"`
		MasterSize int64   `json:"master_size"`
		Errors     any     `json:"errors"`
	} `json:"data"`
}

// waitRecording polls until the stream records and returns its asset id.
func (s *server) waitRecording(id string) string {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var st streamView
		s.call("GET", "/video/v1/live-streams/"+id, nil, &st)
		if st.Data.ActiveAssetID != "" {
			return st.Data.ActiveAssetID
		}
		if time.Now().After(deadline) {
			log.Fatal("the stream did not start recording in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMasterReady polls every 5 ms (so the poll adds little) until the
// asset's master is ready.
func (s *server) waitMasterReady(assetID string) assetView {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		var a assetView
		s.call("GET", "/video/v1/assets/"+assetID, nil, &a)
		if a.Data.Status == "errored" {
			log.Fatalf("asset errored: %v", a.Data.Errors)
		}
		if a.Data.Master != nil && a.Data.Master.Status == "ready" {
			return a
		}
		if time.Now().After(deadline) {
			log.Fatalf("asset %s not ready after 10 min", assetID)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cpuTime is the user+system CPU a process has used so far (/proc/PID/stat).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + itoa(pid) + "/stat")
	must(err)
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	// utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(atoi(f[11])+atoi(f[12])) * time.Second / ticksPerSecond
}
