package archive

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// clipCache holds the clips generated once per test binary: ffmpeg is the
// expensive part of this suite, and several tests read the same input.
var clipCache = &testmedia.ClipCache{Prefix: "reelvault-archive-clips-"}

// media logs through the default logger: RunMain keeps a passing run quiet.
func TestMain(m *testing.M) { testmedia.RunMain(m, clipCache) }

// testEnv is a whole archive over a real SQLite file in a temporary folder,
// with its job queue running.
type testEnv struct {
	t       *testing.T
	dataDir string
	db      *store.DB
	queue   *jobs.Queue
	svc     *Service
	clock   *testtime.Clock // real time the test can move forward, so link expiry is reached without waiting
	signer  *links.Signer
	stop    func()
}

// newEnv opens the archive in a fresh folder and starts its workers.
// configure may adjust the Config before the service is made.
func newEnv(t *testing.T, configure ...func(*Config)) *testEnv {
	t.Helper()
	dataDir := t.TempDir()
	env := openEnv(t, dataDir, configure...)
	env.start()
	return env
}

// openEnv opens the archive over dataDir without starting its workers, so
// a test can call Recover first (as main does).
func openEnv(t *testing.T, dataDir string, configure ...func(*Config)) *testEnv {
	t.Helper()
	log := testmedia.QuietLogger()
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "reelvault.db"), log)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	signer, err := links.NewSigner([]byte("test-secret-0123456789abcdef"), "http://127.0.0.1:8911")
	if err != nil {
		t.Fatalf("signer: %v", err)
	}
	clock := testtime.Running()
	q := jobs.New(db, log)
	cfg := Config{DataDir: dataDir, LinkTTL: time.Hour, AssetEvent: testAssetEvent, RenditionEvent: testRenditionEvent,
		Now: clock.Now, Log: log}
	for _, f := range configure {
		f(&cfg)
	}
	svc, err := New(db, q, cfg)
	if err != nil {
		t.Fatalf("archive.New: %v", err)
	}
	env := &testEnv{t: t, dataDir: dataDir, db: db, queue: q, svc: svc, clock: clock, signer: signer, stop: func() {}}
	t.Cleanup(func() { env.stop(); db.Close() })
	return env
}

// start runs the job queue until the test ends (or env.stop is called).
func (e *testEnv) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.queue.Run(ctx)
	}()
	var once sync.Once
	e.stop = func() { once.Do(func() { cancel(); <-done }) }
}

func (e *testEnv) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	e.t.Cleanup(cancel)
	return ctx
}

func (e *testEnv) create(p CreateParams) Asset {
	e.t.Helper()
	a, err := e.svc.Create(e.ctx(), p)
	if err != nil {
		e.t.Fatalf("Create(%q): %v", p.Input, err)
	}
	return a
}

func (e *testEnv) get(id string) Asset {
	e.t.Helper()
	a, err := e.svc.Get(e.ctx(), id)
	if err != nil {
		e.t.Fatalf("Get(%s): %v", id, err)
	}
	return a
}

// waitFor polls the asset until cond holds, failing the test at the deadline.
func (e *testEnv) waitFor(id, what string, timeout time.Duration, cond func(Asset) bool) Asset {
	e.t.Helper()
	var a Asset
	ok := testtime.Poll(timeout, func() bool {
		var err error
		a, err = e.svc.Get(context.Background(), id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			e.t.Fatalf("Get(%s): %v", id, err)
		}
		return err == nil && cond(a)
	})
	if !ok {
		e.t.Fatalf("asset %s: not %s after %s; last state: status=%s progress=%s/%.0f master=%s/%s errors=%q",
			id, what, timeout, a.Status, a.ProgressState, a.Progress, a.MasterAccess, a.MasterStatus, a.ErrorMessage)
	}
	return a
}

// waitStatus waits for the asset to leave preparing and checks it reached want.
func (e *testEnv) waitStatus(id, want string, timeout time.Duration) Asset {
	e.t.Helper()
	a := e.waitFor(id, "done", timeout, func(a Asset) bool { return a.Status != StatusPreparing })
	if a.Status != want {
		e.t.Fatalf("asset %s: status %q, want %q (errors: %s: %q)", id, a.Status, want, a.ErrorType, a.ErrorMessage)
	}
	return a
}

// waitMaster waits for master.status to become want.
func (e *testEnv) waitMaster(id, want string) Asset {
	e.t.Helper()
	return e.waitFor(id, "master "+want, 30*time.Second, func(a Asset) bool { return a.MasterStatus == want })
}

// eventTypes lists the types of the asset's events, oldest first.
func (e *testEnv) eventTypes(id string) []string {
	e.t.Helper()
	var out []string
	for _, ev := range e.events(id) {
		out = append(out, ev.Type)
	}
	return out
}

func (e *testEnv) events(id string) []store.Event {
	e.t.Helper()
	all, err := e.db.EventsAfter(e.ctx(), 0, 10000)
	if err != nil {
		e.t.Fatalf("EventsAfter: %v", err)
	}
	var out []store.Event
	for _, ev := range all {
		if ev.ObjectID == id {
			out = append(out, ev)
		}
	}
	return out
}

// clip returns the path of a test clip made by ffmpeg from args (inputs and
// codecs; the output path is appended), generated once and shared by tests.
// Tests must treat it as read-only (which the archive promises anyway).
func clip(t *testing.T, name string, args ...string) string {
	t.Helper()
	return clipCache.Clip(t, name, args...)
}

// smallClip is a 320x240 1 s H.264/AAC MP4: for tests about states, not media.
func smallClip(t *testing.T) string {
	return clip(t, "small.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"), testmedia.H264AAC())...)
}

// copyFile copies src to a fresh path in a temp folder (for tests that damage or
// delete their input).
func copyFile(t *testing.T, src, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func fileSHA256(t *testing.T, path string) (int64, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		t.Fatal(err)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// streamMD5 hashes one stream's packets as stored (no decoding): equal for the
// same bits in two different containers.
func streamMD5(t *testing.T, path, stream string) string {
	t.Helper()
	b, err := exec.Command(media.FFmpegPath, "-hide_banner", "-v", "error", "-i", path,
		"-map", stream, "-c", "copy", "-f", "md5", "-").Output()
	if err != nil {
		t.Fatalf("md5 of %s %s: %v", filepath.Base(path), stream, err)
	}
	return strings.TrimSpace(string(b))
}

// topLevelBoxes lists an MP4's top-level box types in file order.
func topLevelBoxes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	var boxes []string
	var off int64
	head := make([]byte, 16)
	for off < st.Size() {
		if _, err := f.ReadAt(head[:8], off); err != nil {
			t.Fatalf("box header at %d: %v", off, err)
		}
		size := int64(binary.BigEndian.Uint32(head[:4]))
		typ := string(head[4:8])
		switch size {
		case 1: // 64-bit size follows the type
			if _, err := f.ReadAt(head[8:16], off+8); err != nil {
				t.Fatal(err)
			}
			size = int64(binary.BigEndian.Uint64(head[8:16]))
		case 0: // runs to the end of the file
			size = st.Size() - off
		}
		if size < 8 {
			t.Fatalf("bad box %q of size %d at %d", typ, size, off)
		}
		boxes = append(boxes, typ)
		off += size
	}
	return boxes
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func mustProbe(t *testing.T, path string) *media.Info {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := media.Probe(ctx, path)
	if err != nil {
		t.Fatalf("Probe(%s): %v", filepath.Base(path), err)
	}
	return info
}

// dirNames lists a folder's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// testAssetEvent stands in for wire's asset renderer (wire imports this
// package): an event's data is the snapshot's id, status, master hash and
// created_at, as they were when it happened.
func testAssetEvent(a Asset, _ time.Time) any {
	return map[string]any{"id": a.ID, "status": a.Status, "master_sha256": a.MasterSHA256, "created_at": a.CreatedAt.Unix()}
}

// testRenditionEvent stands in for wire's rendition renderer.
func testRenditionEvent(r Rendition) any {
	return map[string]any{"id": r.ID, "asset_id": r.AssetID, "status": r.Status, "resolution": r.Resolution}
}

// masterURL is the link the API shows for a's master (wire signs it with
// the same signer).
func (e *testEnv) masterURL(a Asset) string {
	return e.signer.URL(a.ID, a.LinkGeneration, a.LinkExpiresAt)
}
