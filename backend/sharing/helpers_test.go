package sharing_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"reelvault/backend/fail"
	"reelvault/backend/httpapi"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/sharing"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

const (
	tokenID     = "test-token-id"
	tokenSecret = "test-token-secret"
)

// library is the archive as sharing sees it, over real files written by
// the test. A stand-in for the archive: building masters with ffmpeg would
// add minutes and nothing sharing does depends on how a master was made
// (app's e2e test runs the real one).
type library map[string]sharing.Asset

func (l library) SharedAsset(_ context.Context, id string) (sharing.Asset, error) {
	a, ok := l[id]
	if !ok {
		return sharing.Asset{}, fail.NotFound("asset")
	}
	return a, nil
}

// env is the real API and the real share listener (two TCP servers) over a
// real SQLite database, with a clock the test moves.
type env struct {
	t      *testing.T
	db     *store.DB
	svc    *sharing.Service
	clock  *testtime.Clock
	api    *httptest.Server
	share  *httptest.Server
	lib    library
	master string // path of asset "a1"'s master
	sha    string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	log := testmedia.QuietLogger()
	db, err := store.Open(context.Background(), filepath.Join(dir, "reelvault.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, clock: testtime.Fixed(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)), lib: library{}}
	e.master, e.sha = writeRandom(t, filepath.Join(dir, "a1.mp4"), 3<<20+12345)
	e.lib["a1"] = sharing.Asset{ID: "a1", Title: "Reel One: the colourist's cut", Duration: 83.4, Width: 1920, Height: 1080,
		Files: []sharing.File{{AssetID: "a1", Kind: "master", Name: "Reel One_ the colourist's cut.mp4", Path: e.master,
			Size: 3<<20 + 12345, SHA256: e.sha, MimeType: "video/mp4"}}}
	p2, sha2 := writeRandom(t, filepath.Join(dir, "a2.mp4"), 200_000)
	e.lib["a2"] = sharing.Asset{ID: "a2", Title: "Reel Two", Duration: 12, Width: 1280, Height: 720,
		Files: []sharing.File{{AssetID: "a2", Kind: "master", Name: "Reel Two.mp4", Path: p2, Size: 200_000, SHA256: sha2, MimeType: "video/mp4"}}}

	var shareBase string
	e.svc = sharing.New(sharing.Config{DB: db, Library: e.lib, BaseURL: func() string { return shareBase },
		Render: wire.ShareLinkEvent, Now: e.clock.Now, Log: log, PasswordCost: bcrypt.MinCost})
	h := &sharing.Handler{Service: e.svc, Key: []byte("0123456789abcdef0123456789abcdef"),
		Sender: e.svc.Sender, Log: log}
	if err := e.svc.SetSender(context.Background(), "  Studio Nine "); err != nil {
		t.Fatal(err)
	}
	e.share = httptest.NewServer(h)
	t.Cleanup(e.share.Close)
	shareBase = e.share.URL
	api := httpapi.New(httpapi.Config{Sharing: e.svc, Credentials: httpapi.Credentials{TokenID: tokenID, TokenSecret: tokenSecret}, Log: log})
	e.api = httptest.NewServer(api.Handler())
	t.Cleanup(e.api.Close)
	return e
}

func writeRandom(t *testing.T, path string, n int) (string, string) {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return path, hex.EncodeToString(sum[:])
}

// call makes an API request with the access token.
func (e *env) call(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.api.URL+path, rd)
	req.SetBasicAuth(tokenID, tokenSecret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

type linkJSON struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Label          string   `json:"label"`
	AssetIDs       []string `json:"asset_ids"`
	CreatedAt      string   `json:"created_at"`
	ExpiresAt      *string  `json:"expires_at"`
	MaxDownloads   *int     `json:"max_downloads"`
	Downloads      int      `json:"downloads"`
	LastDownloadAt *string  `json:"last_download_at"`
	HasPassword    bool     `json:"has_password"`
	Status         string   `json:"status"`
	Files          []struct {
		AssetID string `json:"asset_id"`
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Size    int64  `json:"size"`
		SHA256  string `json:"sha256"`
		URL     string `json:"url"`
	} `json:"files"`
}

type downloadJSON struct {
	ID            int64  `json:"id"`
	StartedAt     string `json:"started_at"`
	At            string `json:"at"`
	ClientAddress string `json:"client_address"`
	UserAgent     string `json:"user_agent"`
	AssetID       string `json:"asset_id"`
	File          string `json:"file"`
	BytesSent     int64  `json:"bytes_sent"`
	Size          int64  `json:"size"`
	Complete      bool   `json:"complete"`
}

func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func (e *env) create(body map[string]any) linkJSON {
	e.t.Helper()
	code, b := e.call("POST", "/reelvault/v1/share-links", body)
	if code != http.StatusCreated {
		e.t.Fatalf("create: %d %s", code, b)
	}
	var out struct{ Data linkJSON }
	decodeStrict(e.t, b, &out)
	return out.Data
}

func (e *env) get(id string) linkJSON {
	e.t.Helper()
	code, b := e.call("GET", "/reelvault/v1/share-links/"+id, nil)
	if code != http.StatusOK {
		e.t.Fatalf("get: %d %s", code, b)
	}
	var out struct{ Data linkJSON }
	decodeStrict(e.t, b, &out)
	return out.Data
}

func (e *env) downloads(id string) []downloadJSON {
	e.t.Helper()
	code, b := e.call("GET", "/reelvault/v1/share-links/"+id+"/downloads", nil)
	if code != http.StatusOK {
		e.t.Fatalf("downloads: %d %s", code, b)
	}
	var out struct {
		Data       []downloadJSON
		NextCursor *string `json:"next_cursor"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		e.t.Fatal(err)
	}
	return out.Data
}

// fetch GETs a share URL with optional headers, answering status and body.
func fetch(t *testing.T, method, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha(b)
}

func mustContain(t *testing.T, body []byte, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(body), w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body []byte, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(string(body), w) {
			t.Errorf("page leaks %q", w)
		}
	}
}

// waitDownloads waits until the link counts n complete downloads: the log
// is written as each response ends, which may be just after the client
// has read the last byte.
func (e *env) waitDownloads(id string, n int) linkJSON {
	e.t.Helper()
	var l linkJSON
	testtime.Until(e.t, 10*time.Second, fmt.Sprintf("%d complete downloads", n), func() bool {
		l = e.get(id)
		return l.Downloads == n
	})
	return l
}
