package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/httpapi"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
)

const (
	testTokenID     = "test-token-id"
	testTokenSecret = "test-token-secret"
)

// apiEnv is the real API over a real archive: SQLite in t.TempDir(), the
// durable job queue, the link signer, and the handler on a real TCP port.
type apiEnv struct {
	t       *testing.T
	server  *httptest.Server
	api     *httpapi.Server
	archive *archive.Service
	dataDir string
	codes   chan string // one-time login codes, as serve would print them
}

type apiOptions struct {
	// runJobs starts the job queue, so masters get built; without it every
	// asset stays preparing, which is what the 412 test needs.
	runJobs bool
	ui      fstest.MapFS
	trusted bool // serve TrustedHandler instead of Handler
}

func newAPIEnv(t *testing.T, opt apiOptions) *apiEnv {
	t.Helper()
	dataDir := t.TempDir()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, filepath.Join(dataDir, "reelvault.db"), log)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	queue := jobs.New(db, log)
	// The share listener is not under test here; links only need a base.
	signer, err := links.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "http://127.0.0.1:1")
	if err != nil {
		t.Fatalf("links.NewSigner: %v", err)
	}
	svc, err := archive.New(db, queue, archive.Config{DataDir: dataDir, Signer: signer, Log: log})
	if err != nil {
		t.Fatalf("archive.New: %v", err)
	}
	var workers sync.WaitGroup
	if opt.runJobs {
		workers.Add(1)
		go func() { defer workers.Done(); queue.Run(ctx) }()
	}
	env := &apiEnv{t: t, archive: svc, dataDir: dataDir, codes: make(chan string, 16)}
	env.api = &httpapi.Server{
		Archive:      svc,
		Credentials:  httpapi.Credentials{TokenID: testTokenID, TokenSecret: testTokenSecret},
		LoopbackOnly: true,
		Log:          log,
		OnLoginCode:  func(code string) { env.codes <- code },
	}
	if opt.ui != nil {
		env.api.UI = opt.ui
	}
	handler := env.api.Handler()
	if opt.trusted {
		handler = env.api.TrustedHandler()
	}
	env.server = httptest.NewServer(handler)
	t.Cleanup(func() {
		env.server.Close()
		cancel()
		workers.Wait() // a running ffmpeg is killed and waited for
		db.Close()
	})
	return env
}

// syncBuffer collects the server's log for a failing test's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// reply is an answer as a client sees it.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) String() string {
	return http.StatusText(r.status) + " " + strings.TrimSpace(string(r.body))
}

// request sends a request with the access token and returns the answer.
func (e *apiEnv) request(method, path, body string) reply {
	e.t.Helper()
	return e.send(e.newRequest(method, path, body, true))
}

// anonymous sends a request without credentials.
func (e *apiEnv) anonymous(method, path, body string) reply {
	e.t.Helper()
	return e.send(e.newRequest(method, path, body, false))
}

func (e *apiEnv) newRequest(method, path, body string, withToken bool) *http.Request {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.server.URL+path, rd)
	if err != nil {
		e.t.Fatalf("NewRequest: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if withToken {
		req.SetBasicAuth(testTokenID, testTokenSecret)
	}
	return req
}

func (e *apiEnv) send(req *http.Request) reply {
	e.t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL.Path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// assetJSON is the part of Mux's asset object the tests look at; created_at
// is kept raw so its JSON type can be checked.
type assetJSON struct {
	ID                string          `json:"id"`
	CreatedAt         json.RawMessage `json:"created_at"`
	Status            string          `json:"status"`
	MaxResolutionTier string          `json:"max_resolution_tier"`
	ResolutionTier    string          `json:"resolution_tier"`
	VideoQuality      string          `json:"video_quality"`
	MasterAccess      string          `json:"master_access"`
	Master            *struct {
		Status string `json:"status"`
		URL    string `json:"url"`
	} `json:"master"`
	Passthrough string            `json:"passthrough"`
	Meta        map[string]string `json:"meta"`
	Input       string            `json:"input"`
	Duration    float64           `json:"duration"`
	Errors      *struct {
		Type     string   `json:"type"`
		Messages []string `json:"messages"`
	} `json:"errors"`
	Tracks []struct {
		Type      string `json:"type"`
		MaxWidth  int    `json:"max_width"`
		MaxHeight int    `json:"max_height"`
	} `json:"tracks"`
	Progress struct {
		State    string  `json:"state"`
		Progress float64 `json:"progress"`
	} `json:"progress"`
}

type errorJSON struct {
	Error struct {
		Type     string   `json:"type"`
		Messages []string `json:"messages"`
	} `json:"error"`
}

// decodeStrict decodes a body that must be exactly one JSON value.
func decodeStrict(t *testing.T, r reply, v any) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json (body %s)", ct, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, r.body)
	}
}

// asset decodes a {"data": asset} answer.
func asset(t *testing.T, r reply) assetJSON {
	t.Helper()
	var env struct {
		Data *assetJSON `json:"data"`
	}
	decodeStrict(t, r, &env)
	if env.Data == nil {
		t.Fatalf("answer has no data object: %s", r.body)
	}
	return *env.Data
}

// apiError decodes Mux's error body and checks its status and type.
func apiError(t *testing.T, r reply, status int, typ string) errorJSON {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d (%s)", r.status, status, r.body)
	}
	var e errorJSON
	decodeStrict(t, r, &e)
	if e.Error.Type != typ {
		t.Fatalf("error.type = %q, want %q (%s)", e.Error.Type, typ, r.body)
	}
	if len(e.Error.Messages) == 0 || strings.TrimSpace(e.Error.Messages[0]) == "" {
		t.Fatalf("error has no message: %s", r.body)
	}
	return e
}

type listJSON struct {
	Data       []assetJSON `json:"data"`
	NextCursor *string     `json:"next_cursor"`
}

// list fetches a page and checks Mux's list envelope.
func (e *apiEnv) list(query string) listJSON {
	e.t.Helper()
	r := e.request("GET", "/video/v1/assets"+query, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET /video/v1/assets%s: %s", query, r)
	}
	var raw map[string]json.RawMessage
	decodeStrict(e.t, r, &raw)
	if _, ok := raw["next_cursor"]; !ok {
		e.t.Fatalf("list has no next_cursor key: %s", r.body)
	}
	var l listJSON
	decodeStrict(e.t, r, &l)
	if l.Data == nil {
		e.t.Fatalf("list data is not an array: %s", r.body)
	}
	return l
}

// create posts body and expects 201 with the asset.
func (e *apiEnv) create(body string) assetJSON {
	e.t.Helper()
	r := e.request("POST", "/video/v1/assets", body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST /video/v1/assets %s: %s", body, r)
	}
	return asset(e.t, r)
}

// waitAsset polls the asset until done says so, or fails after timeout.
func (e *apiEnv) waitAsset(id string, timeout time.Duration, what string, done func(assetJSON) bool) assetJSON {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r := e.request("GET", "/video/v1/assets/"+id, "")
		if r.status != http.StatusOK {
			e.t.Fatalf("GET asset %s: %s", id, r)
		}
		a := asset(e.t, r)
		if done(a) {
			return a
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("asset %s: not %s after %s; last state %s", id, what, timeout, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// requireFFmpeg skips a test that needs the real tools when they are missing.
func requireFFmpeg(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed: %v", bin, err)
		}
	}
}

// makeClip writes a short H.264/AAC MP4 into a temp folder with real ffmpeg.
func makeClip(t *testing.T, size string, seconds string) string {
	t.Helper()
	requireFFmpeg(t)
	out := filepath.Join(t.TempDir(), "clip.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size="+size+":rate=25:duration="+seconds,
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+seconds,
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the test clip: %v\n%s", err, b)
	}
	return out
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
