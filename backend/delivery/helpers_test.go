package delivery_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/delivery"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/playback"
	"reelvault/backend/store"
)

var clips = &testmedia.ClipCache{Prefix: "reelvault-delivery-"}

func TestMain(m *testing.M) { testmedia.RunMain(m, clips) }

// master is a 4 s 320x240 H.264/AAC clip standing in for an asset's master.
func master(t *testing.T) string {
	return clips.Clip(t, "master.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "4"),
		testmedia.LavfiAudio("4"), testmedia.H264AAC())...)
}

// library plays the archive's part (app.playbackLibrary adapts the real
// one; the app's e2e test runs that): assets by id, deleted by hand.
type library struct {
	mu     sync.Mutex
	assets map[string]delivery.Media
}

func (l *library) AssetMedia(_ context.Context, id string) (delivery.Media, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.assets[id]
	if !ok {
		return delivery.Media{}, delivery.ErrGone
	}
	return m, nil
}

func (l *library) LiveStreamMedia(ctx context.Context, id string) (delivery.Media, error) {
	return l.AssetMedia(ctx, "recording-of-"+id)
}

// change edits an asset's media as the archive would.
func (l *library) change(id string, fn func(m *delivery.Media)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.assets[id]
	fn(&m)
	l.assets[id] = m
}

func (l *library) remove(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.assets, id)
}

// env is the delivery handler on a real TCP port, over a real SQLite file.
type env struct {
	t       *testing.T
	db      *store.DB
	ids     *playback.Store
	clock   *testtime.Clock
	lib     *library
	server  *httptest.Server
	master  string
	data    []byte
	cache   string
	thumbs  *delivery.Thumbnails
	damaged chan string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "reelvault.db"), testmedia.QuietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, clock: testtime.Fixed(time.Unix(1_800_000_000, 0)), master: master(t),
		cache: filepath.Join(t.TempDir(), "thumbs"), damaged: make(chan string, 8)}
	e.ids = &playback.Store{DB: db, Now: e.clock.Now}
	if e.data, err = os.ReadFile(e.master); err != nil {
		t.Fatal(err)
	}
	m := delivery.Media{AssetID: "asset1", Duration: 4,
		Master: delivery.File{Path: e.master, Size: int64(len(e.data)), SHA256: testmedia.FileSHA256(t, e.master)}}
	rec := m
	rec.AssetID = "recording-of-live1"
	e.lib = &library{assets: map[string]delivery.Media{"asset1": m, "recording-of-live1": rec}}
	e.thumbs = &delivery.Thumbnails{Dir: e.cache}
	h := &delivery.Handler{IDs: e.ids, Library: e.lib, Thumbnails: e.thumbs,
		OnDamaged: func(id, _ string) { e.damaged <- id }}
	e.server = httptest.NewServer(h)
	t.Cleanup(e.server.Close)
	return e
}

// playbackID gives an object a playback ID as the archive does.
func (e *env) playbackID(objectType, objectID, policy string) string {
	e.t.Helper()
	id, err := playback.Add(context.Background(), e.db, objectType, objectID, policy, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return id.ID
}

// signingKey makes a key as POST /system/v1/signing-keys does and parses
// its private half as a client would.
func (e *env) signingKey() (string, *rsa.PrivateKey) {
	e.t.Helper()
	k, private, err := e.ids.CreateKey(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	pemBytes, err := base64.StdEncoding.DecodeString(private)
	if err != nil {
		e.t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		e.t.Fatal(err)
	}
	return k.ID, priv
}

// token signs claims with key as Mux's documentation shows (kid in the header).
func token(t *testing.T, kid string, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(method, path string, headers ...string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.server.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.server.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{res.StatusCode, res.Header, b}
}

func (e *env) get(path string) answer { return e.do("GET", path) }

// picture is what ffprobe reads of an image.
type picture struct {
	Codec         string `json:"codec_name"`
	Width, Height int
}

func probePicture(t *testing.T, b []byte) picture {
	t.Helper()
	f := filepath.Join(t.TempDir(), "picture")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testmedia.FFprobe, "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,width,height", "-of", "json", f).Output()
	if err != nil {
		t.Fatalf("ffprobe cannot read the picture (%d bytes, starts %q): %v", len(b), b[:min(len(b), 16)], err)
	}
	var v struct{ Streams []picture }
	if err := json.Unmarshal(out, &v); err != nil || len(v.Streams) != 1 {
		t.Fatalf("ffprobe: %s", out)
	}
	return v.Streams[0]
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// short is the start of a body, for a failure message.
func short(b []byte) string { return string(b[:min(len(b), 120)]) }
