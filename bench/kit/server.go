package kit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"
)

const (
	// serveTimeout bounds one `serve`: one benchmark's whole use of it.
	serveTimeout = time.Hour
	// startupTimeout bounds the wait for serve to print its addresses.
	startupTimeout = 20 * time.Second
	// The API credentials the benchmarks give serve (REELVAULT_TOKEN_*).
	tokenID, tokenSecret = "bench", "bench-secret"
)

// Server is a running `reelvault serve` on a fresh data folder, every
// listener on a free loopback port.
type Server struct {
	API      string // UI and API base URL, e.g. http://127.0.0.1:PORT
	ShareURL string // download links base URL
	RTMPURL  string // RTMP ingest base URL without the stream key, e.g. rtmp://127.0.0.1:PORT/app; "" if RTMP is unavailable
	DataDir  string
	proc     *Proc
}

// StartServer empties dataDir, starts bin serve on it (extraArgs added to
// the command line) and waits until it prints its addresses.
func StartServer(bin, dataDir string, extraArgs ...string) *Server {
	os.RemoveAll(dataDir)
	args := append([]string{"serve", "--data", dataDir, "--listen", "127.0.0.1:0",
		"--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0"}, extraArgs...)
	p := Command(serveTimeout, bin, args...)
	p.Cmd.Env = append(os.Environ(), "REELVAULT_TOKEN_ID="+tokenID, "REELVAULT_TOKEN_SECRET="+tokenSecret)
	// serve's log goes to a file next to the data folder (kept for a look
	// after the run) rather than through a pipe this process must drain.
	logPath := strings.TrimSuffix(dataDir, "/") + "-serve.log"
	logFile, err := os.Create(logPath)
	Must(err)
	p.Cmd.Stderr = logFile
	out, err := p.Cmd.StdoutPipe()
	Must(err)
	p.Start()
	logFile.Close() // serve holds its own copy
	s := &Server{DataDir: dataDir, proc: p}
	// Killing serve ends the scan below if it hangs before its addresses.
	hung := time.AfterFunc(startupTimeout, p.cancel)
	sc := bufio.NewScanner(out)
	var rtmpSeen bool
	for (s.API == "" || s.ShareURL == "" || !rtmpSeen) && sc.Scan() {
		key, value, _ := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		value = strings.TrimSpace(value)
		switch key {
		case "UI and API":
			s.API = value
		case "download links":
			s.ShareURL = value
		case "RTMP ingest":
			rtmpSeen = true
			if strings.HasPrefix(value, "rtmp://") {
				s.RTMPURL = strings.TrimSuffix(value, "/STREAM_KEY")
			}
		}
	}
	if !hung.Stop() || s.API == "" { // killed as hung, or exited
		p.Kill()
		log.Fatalf("serve did not print its address (waited up to %s); the end of %s:\n%s", startupTimeout, logPath, logTail(logPath))
	}
	go io.Copy(io.Discard, out)
	return s
}

// Pid is serve's process id, for reading its memory and CPU in /proc.
func (s *Server) Pid() int { return s.proc.Cmd.Process.Pid }

// Stop asks serve to shut down (SIGTERM) and kills it after 10 s.
func (s *Server) Stop() {
	s.proc.Cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.proc.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.proc.cancel()
		<-done
	}
}

// Call sends method path with body as JSON (none if nil) and Basic auth,
// and decodes the answer into out (unless nil). Any failure or status >= 300
// exits the program.
func (s *Server) Call(method, path string, body any, out any) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		Must(err)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.API+path, rd)
	Must(err)
	req.SetBasicAuth(tokenID, tokenSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	Must(err)
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(resp.Body)
		log.Fatalf("%s %s: %s %s", method, path, resp.Status, msg)
	}
	if out != nil {
		Must(json.NewDecoder(resp.Body).Decode(out))
	}
}

// logTail is the end of serve's log, for the error message when it fails.
func logTail(path string) string {
	b, _ := os.ReadFile(path)
	return string(b[max(0, len(b)-2048):])
}

// Get sends GET path with Basic auth and returns the status, discarding the body.
func (s *Server) Get(path string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.API+path, nil)
	Must(err)
	req.SetBasicAuth(tokenID, tokenSecret)
	resp, err := http.DefaultClient.Do(req)
	Must(err)
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}
