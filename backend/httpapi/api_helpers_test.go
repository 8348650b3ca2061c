package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reelvault/backend/auth"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/feed"
	"reelvault/backend/httpapi"
	"reelvault/backend/ingest"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/live"
	"reelvault/backend/playback"
	"reelvault/backend/store"
	"reelvault/backend/webhooks"
	"reelvault/backend/wire"
)

const (
	testTokenID     = "test-token-id"
	testTokenSecret = "test-token-secret"
)

// apiEnv is the real API over a real archive: SQLite in t.TempDir(), the
// durable job queue, the link signer, and the handler on a real TCP port,
// with whichever other services apiOptions asks for.
type apiEnv struct {
	t        *testing.T
	server   *httptest.Server
	api      *httpapi.Server
	db       *store.DB
	archive  *archive.Service
	ingest   *ingest.Service   // with apiOptions.ingest
	webhooks *webhooks.Service // with apiOptions.webhooks
	clock    *testtime.Clock   // the API's, ingest's and webhooks' clock
	logs     *testmedia.LockedBuffer
	dataDir  string
	codes    chan string // one-time login codes, as serve would print them
	auth     *auth.Service
}

type apiOptions struct {
	// runJobs starts the job queue, so masters get built; without it every
	// asset stays preparing, which is what the 412 test needs.
	runJobs bool
	ui      fstest.MapFS
	trusted bool // serve TrustedHandler instead of Handler

	ingest          bool // uploads and watch folders (recovered, not run)
	runIngest       bool // also run watchers and sweeps (implies ingest)
	configureIngest func(*ingest.Config)

	dataDir string             // default: a fresh t.TempDir()
	space   *diskspace.Checker // the archive's and ingest's free-space check

	live     bool // live streams, with the RTMP server on a free port and running
	webhooks bool // webhook endpoints and deliveries, with short retries
	feed     bool // live updates at /ui/v1/stream
}

func newAPIEnv(t *testing.T, opt apiOptions) *apiEnv {
	t.Helper()
	dataDir := opt.dataDir
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	log, logs := testmedia.BufferLogger(t)
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
	assets := wire.NewAssets(signer)
	arch, err := archive.New(db, queue, archive.Config{DataDir: dataDir, AssetEvent: assets.Event, RenditionEvent: wire.RenditionEvent, Log: log,
		Space: opt.space, SpaceRecheck: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("archive.New: %v", err)
	}
	// Upload URLs are built on the listener's address, so it is bound first.
	server := httptest.NewUnstartedServer(nil)
	env := &apiEnv{t: t, server: server, db: db, archive: arch, clock: testtime.Running(), logs: logs, dataDir: dataDir, codes: make(chan string, 16)}
	cfg := httpapi.Config{
		Archive:      arch,
		Assets:       assets,
		Credentials:  httpapi.Credentials{TokenID: testTokenID, TokenSecret: testTokenSecret},
		LoopbackOnly: true,
		Log:          log,
		Playback:     &playback.Store{DB: db, Now: env.clock.Now},
	}
	env.auth = auth.New(auth.Config{DB: db, Now: env.clock.Now, Log: log, OnCode: func(code string) { env.codes <- code }})
	cfg.Auth = env.auth
	if opt.ui != nil {
		cfg.UI = opt.ui
	}
	hub := feed.NewHub()
	var runs []func(context.Context) error
	if opt.runJobs {
		runs = append(runs, queue.Run)
	}
	if opt.ingest || opt.runIngest {
		env.ingest = env.newIngest(ctx, arch, log, opt)
		cfg.Ingest = env.ingest
		if opt.runIngest {
			runs = append(runs, env.ingest.Run)
		}
	}
	if opt.live {
		rtmp, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("RTMP listen: %v", err)
		}
		// Health goes out on the feed's hub, as in the app.
		lv, err := live.New(db, queue, arch, live.Config{DataDir: dataDir, Log: log, Listener: rtmp, StreamEvent: wire.LiveStreamEvent,
			HealthReport: func(id string, h live.Health) { hub.LiveHealth(id, wire.NewLiveHealth(id, h)) }})
		if err != nil {
			t.Fatalf("live.New: %v", err)
		}
		cfg.Live = lv
		runs = append(runs, lv.Run)
	}
	if opt.webhooks {
		env.webhooks, err = webhooks.New(db, webhooks.Config{Log: log, Now: env.clock.Now, PollInterval: 100 * time.Millisecond,
			Retry: webhooks.RetryPolicy{First: 50 * time.Millisecond, Max: 200 * time.Millisecond}})
		if err != nil {
			t.Fatalf("webhooks.New: %v", err)
		}
		if err := env.webhooks.Recover(ctx); err != nil {
			t.Fatalf("webhooks Recover: %v", err)
		}
		cfg.Webhooks = env.webhooks
		runs = append(runs, env.webhooks.Run)
	}
	if opt.feed {
		f := feed.New(db, arch, hub, log)
		cfg.Feed = f
		runs = append(runs, f.Run)
	}
	env.api = httpapi.New(cfg)
	var workers sync.WaitGroup
	for _, run := range runs {
		workers.Add(1)
		go func() { defer workers.Done(); run(ctx) }()
	}
	server.Config.Handler = env.api.Handler()
	if opt.trusted {
		server.Config.Handler = env.api.TrustedHandler()
	}
	server.Start()
	t.Cleanup(func() {
		server.Close()
		cancel()
		workers.Wait() // a running ffmpeg is killed and waited for
		db.Close()
	})
	return env
}

// newIngest makes the ingest service with quick watch timings, uploads
// addressed to the test server, and the env's clock; it is recovered, as at
// startup.
func (e *apiEnv) newIngest(ctx context.Context, arch *archive.Service, log *slog.Logger, opt apiOptions) *ingest.Service {
	e.t.Helper()
	cfg := ingest.Config{DataDir: e.dataDir, BaseURL: "http://" + e.server.Listener.Addr().String(), Now: e.clock.Now, Log: log,
		UploadEvent: wire.UploadEvent, ParseSettings: wire.ParseNewAssetSettings, Space: opt.space,
		SettleDelay: 300 * time.Millisecond, RescanEvery: time.Second, PollEvery: 500 * time.Millisecond}
	if opt.configureIngest != nil {
		opt.configureIngest(&cfg)
	}
	svc, err := ingest.New(e.db, arch, cfg)
	if err != nil {
		e.t.Fatalf("ingest.New: %v", err)
	}
	if err := svc.Recover(ctx); err != nil {
		e.t.Fatalf("ingest Recover: %v", err)
	}
	return svc
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
	Waiting    string       `json:"waiting"`
	QueueAhead *int         `json:"queue_ahead"`
	Duplicates []string     `json:"duplicates"`
	Rebuild    *rebuildJSON `json:"rebuild"`
	MasterSize int64        `json:"master_size"`
	MasterSHA  string       `json:"master_sha256"`
}

// rebuildJSON is the asset's rebuild field (a change of master size underway).
type rebuildJSON struct {
	MaxResolutionTier string  `json:"max_resolution_tier"`
	State             string  `json:"state"`
	Progress          float64 `json:"progress"`
	QueueAhead        *int    `json:"queue_ahead"`
	Error             string  `json:"error"`
	Waiting           string  `json:"waiting"`
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
	Total      *int        `json:"total"`
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
	var r reply
	var a assetJSON
	if !testtime.Poll(timeout, func() bool {
		r = e.request("GET", "/video/v1/assets/"+id, "")
		if r.status != http.StatusOK {
			e.t.Fatalf("GET asset %s: %s", id, r)
		}
		a = asset(e.t, r)
		return done(a)
	}) {
		e.t.Fatalf("asset %s: not %s after %s; last state %s", id, what, timeout, r.body)
	}
	return a
}

// makeClip writes a short H.264/AAC MP4 into a temp folder with real ffmpeg.
func makeClip(t *testing.T, size string, seconds string) string {
	t.Helper()
	return testmedia.TempClip(t, "clip.mp4", testmedia.Join(testmedia.LavfiVideo(size, "25", seconds), testmedia.LavfiAudio(seconds), testmedia.H264AAC())...)
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
