package links

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// fakeArchive plays the archive's part: an asset's link is valid only for
// its current generation and while access is on.
type fakeArchive struct {
	mu       sync.Mutex
	masters  map[string]Master
	files    map[string]Master // "asset/name": a static rendition's file
	gens     map[string]int64
	failWith error
}

func (a *fakeArchive) ResolveFile(_ context.Context, id string, gen int64, name string) (Master, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.files[id+"/"+name]
	if !ok || a.gens[id] != gen {
		return Master{}, ErrRevoked
	}
	return m, nil
}

func (a *fakeArchive) ResolveMaster(_ context.Context, id string, gen int64) (Master, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failWith != nil {
		return Master{}, a.failWith
	}
	m, ok := a.masters[id]
	if !ok || a.gens[id] != gen {
		return Master{}, ErrRevoked
	}
	return m, nil
}

func (a *fakeArchive) bumpGeneration(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gens[id]++
}

type damageReport struct{ assetID, reason string }

// testEnv is a share listener on a real TCP port serving one real file.
type testEnv struct {
	t       *testing.T
	signer  *Signer
	clock   *testtime.Clock // Handler.Now, moved by hand
	archive *fakeArchive
	server  *httptest.Server
	data    []byte
	master  Master

	mu      sync.Mutex
	damaged []damageReport
}

const testAssetID = "a5f0c1d2e3b4"

func newTestEnv(t *testing.T, size int) *testEnv {
	t.Helper()
	path, data, sum := writeRandomFile(t, size)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, clock: testtime.Fixed(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), data: data}
	env.master = Master{Path: path, Size: int64(size), SHA256: sum, ModTime: info.ModTime(), FileName: "Interview take 2.mov"}
	env.archive = &fakeArchive{
		masters: map[string]Master{testAssetID: env.master, "other-asset": env.master},
		gens:    map[string]int64{testAssetID: 3, "other-asset": 0},
	}
	// The listener's address is only known once it exists, as in the app
	// where a port of 0 picks a free one.
	h := &Handler{Resolver: env.archive, Now: env.clock.Now, OnDamaged: env.recordDamage}
	env.server = httptest.NewServer(h)
	t.Cleanup(env.server.Close)
	env.signer, err = NewSigner(testSecret, env.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	h.Signer = env.signer
	return env
}

func (e *testEnv) recordDamage(id, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.damaged = append(e.damaged, damageReport{id, reason})
}

func (e *testEnv) damageReports() []damageReport {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]damageReport(nil), e.damaged...)
}

// link is a genuine link for the test asset valid for one day.
func (e *testEnv) link() string {
	return e.signer.URL(testAssetID, 3, e.clock.Now().Add(24*time.Hour))
}

type response struct {
	*http.Response
	body []byte
}

func (e *testEnv) do(method, url string, header map[string]string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.server.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{resp, body}
}

func (e *testEnv) get(url string) response { return e.do(http.MethodGet, url, nil) }

func writeRandomFile(t testing.TB, size int) (path string, data []byte, sha string) {
	t.Helper()
	data = make([]byte, size)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "master.mp4")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return path, data, hex.EncodeToString(sum[:])
}
