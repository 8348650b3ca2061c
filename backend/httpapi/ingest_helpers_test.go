package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/httpapi"
	"reelvault/backend/ingest"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
)

// ingestAPI is the real API with the ingest service: SQLite in a temp
// folder, uploads served on a real port, and a clock the test can move.
type ingestAPI struct {
	*apiEnv
	db     *store.DB
	ingest *ingest.Service
	clock  *ingestClock
}

type ingestOptions struct {
	runJobs   bool // build masters
	runIngest bool // run watchers and sweeps
	configure func(*ingest.Config)
}

// ingestClock is real time plus an offset the test moves forward.
type ingestClock struct{ offset atomic.Int64 }

func (c *ingestClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *ingestClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

func newIngestAPI(t *testing.T, opt ingestOptions) *ingestAPI {
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
		t.Fatal(err)
	}
	queue := jobs.New(db, log)
	signer, err := links.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	arch, err := archive.New(db, queue, archive.Config{DataDir: dataDir, Signer: signer, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	// Upload URLs are built on the listener's address, so it is bound first.
	server := httptest.NewUnstartedServer(nil)
	clock := &ingestClock{}
	cfg := ingest.Config{DataDir: dataDir, BaseURL: "http://" + server.Listener.Addr().String(), Now: clock.Now, Log: log,
		SettleDelay: 300 * time.Millisecond, RescanEvery: time.Second, PollEvery: 500 * time.Millisecond}
	if opt.configure != nil {
		opt.configure(&cfg)
	}
	svc, err := ingest.New(db, arch, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	var workers sync.WaitGroup
	var runs []func(context.Context)
	if opt.runJobs {
		runs = append(runs, queue.Run)
	}
	if opt.runIngest {
		runs = append(runs, svc.Run)
	}
	for _, run := range runs {
		workers.Add(1)
		go func() { defer workers.Done(); run(ctx) }()
	}
	env := &apiEnv{t: t, archive: arch, dataDir: dataDir, codes: make(chan string, 16)}
	env.api = &httpapi.Server{Archive: arch, Ingest: svc, LoopbackOnly: true, Log: log,
		Credentials: httpapi.Credentials{TokenID: testTokenID, TokenSecret: testTokenSecret}}
	server.Config.Handler = env.api.Handler()
	server.Start()
	env.server = server
	t.Cleanup(func() {
		server.Close()
		cancel()
		workers.Wait()
		db.Close()
	})
	return &ingestAPI{apiEnv: env, db: db, ingest: svc, clock: clock}
}

// uploadJSON is Mux's upload object as a client reads it.
type uploadJSON struct {
	ID               string          `json:"id"`
	URL              string          `json:"url"`
	Status           string          `json:"status"`
	Timeout          int64           `json:"timeout"`
	NewAssetSettings json.RawMessage `json:"new_asset_settings"`
	CORSOrigin       string          `json:"cors_origin"`
	AssetID          string          `json:"asset_id"`
	Error            *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	ReceivedBytes int64 `json:"received_bytes"`
}

// newUpload creates an upload and returns it.
func (e *ingestAPI) newUpload(body string) uploadJSON {
	e.t.Helper()
	r := e.request("POST", "/video/v1/uploads", body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST /video/v1/uploads %s: %s", body, r)
	}
	return e.decodeUpload(r)
}

func (e *ingestAPI) getUpload(id string) uploadJSON {
	e.t.Helper()
	r := e.request("GET", "/video/v1/uploads/"+id, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET upload %s: %s", id, r)
	}
	return e.decodeUpload(r)
}

func (e *ingestAPI) decodeUpload(r reply) uploadJSON {
	e.t.Helper()
	var env struct{ Data uploadJSON }
	if err := json.Unmarshal(r.body, &env); err != nil {
		e.t.Fatalf("upload JSON %s: %v", r.body, err)
	}
	return env.Data
}

// put sends bytes to an upload URL the way an uploader does: no
// credentials, optional Content-Range and headers.
func (e *ingestAPI) put(url string, body []byte, contentRange string, headers ...string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest("PUT", url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentRange != "" {
		req.Header.Set("Content-Range", contentRange)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

// eventTypesOf lists the types of an object's events, oldest first.
func (e *ingestAPI) eventTypesOf(id string) []string {
	e.t.Helper()
	all, err := e.db.EventsAfter(context.Background(), 0, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range all {
		if ev.ObjectID == id {
			out = append(out, ev.Type)
		}
	}
	return out
}

func hasAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

func errorMessage(r reply) string {
	var b struct {
		Error struct {
			Type     string   `json:"type"`
			Messages []string `json:"messages"`
		} `json:"error"`
	}
	json.Unmarshal(r.body, &b)
	return b.Error.Type + ": " + strings.Join(b.Error.Messages, "; ")
}
