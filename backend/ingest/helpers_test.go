package ingest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"encoding/json"
	"reelvault/backend/archive"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/jobs"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// clipCache holds clips generated once per test binary: ffmpeg is the
// expensive part of this suite.
var clipCache = &testmedia.ClipCache{Prefix: "reelvault-ingest-clips-"}

// media logs through the default logger: RunMain keeps a passing run quiet.
func TestMain(m *testing.M) { testmedia.RunMain(m, clipCache) }

// testEnv is the real thing over a temporary data folder: SQLite, the job
// queue, the archive and the ingest service.
type testEnv struct {
	t       *testing.T
	dataDir string
	db      *store.DB
	queue   *jobs.Queue
	archive *archive.Service
	svc     *Service
	stops   []func()

	mu      sync.Mutex
	settled map[string]time.Time // folder id -> start of the last scan its watcher reported settled after
}

// fastWatch is the watch timing tests use: short, but the settle delay still
// longer than a slow writer's pauses.
func fastWatch(c *Config) {
	c.SettleDelay = 400 * time.Millisecond
	c.RescanEvery = 2 * time.Second
	c.PollEvery = 500 * time.Millisecond
	c.SweepEvery = 200 * time.Millisecond
}

// newEnv opens everything over dataDir ("" for a fresh one) without running
// it; configure adjusts the ingest Config.
func newEnv(t *testing.T, dataDir string, configure ...func(*Config)) *testEnv {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	log := testmedia.QuietLogger()
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "reelvault.db"), log)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	q := jobs.New(db, log)
	arch, err := archive.New(db, q, archive.Config{DataDir: dataDir, AssetEvent: testAssetEvent, Log: log})
	if err != nil {
		t.Fatalf("archive.New: %v", err)
	}
	// The wire package renders events and reads new_asset_settings in the
	// product; it imports this package, so these tests store the upload
	// state as it is and make uploads with the default settings (the API's
	// tests cover new_asset_settings).
	cfg := Config{DataDir: dataDir, BaseURL: "http://127.0.0.1:1", Log: log, UploadEvent: func(u UploadState) any { return u },
		ParseSettings: func(json.RawMessage) (archive.AssetSettings, error) { return archive.AssetSettings{}, nil }}
	fastWatch(&cfg)
	for _, f := range configure {
		f(&cfg)
	}
	svc, err := New(db, arch, cfg)
	if err != nil {
		t.Fatalf("ingest.New: %v", err)
	}
	e := &testEnv{t: t, dataDir: dataDir, db: db, queue: q, archive: arch, svc: svc, settled: map[string]time.Time{}}
	svc.settled = func(folderID string, scanBegan time.Time) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.settled[folderID] = scanBegan
	}
	t.Cleanup(e.close)
	return e
}

// run starts the ingest service (and the job queue, if buildMasters).
func (e *testEnv) run(buildMasters bool) {
	e.t.Helper()
	if err := e.svc.Recover(context.Background()); err != nil {
		e.t.Fatalf("Recover: %v", err)
	}
	e.goRun(e.svc.Run)
	if buildMasters {
		e.goRun(e.queue.Run)
	}
}

func (e *testEnv) goRun(fn func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	e.stops = append(e.stops, func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	})
}

// stop stops what run started, as a shutdown does.
func (e *testEnv) stop() {
	for i := len(e.stops) - 1; i >= 0; i-- {
		e.stops[i]()
	}
	e.stops = nil
}

func (e *testEnv) close() {
	e.stop()
	e.db.Close()
}

func (e *testEnv) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	e.t.Cleanup(cancel)
	return ctx
}

// addFolder watches dir with the given changes to the defaults.
func (e *testEnv) addFolder(dir string, p FolderParams) Folder {
	e.t.Helper()
	p.Path = &dir
	f, err := e.svc.AddFolder(e.ctx(), p)
	if err != nil {
		e.t.Fatalf("AddFolder(%s): %v", dir, err)
	}
	return f
}

// assetsFrom lists every asset whose input is under dir.
func (e *testEnv) assets() []archive.Asset {
	e.t.Helper()
	var all []archive.Asset
	cursor := ""
	for {
		page, next, err := e.archive.List(e.ctx(), archive.ListParams{Limit: 100, Cursor: cursor})
		if err != nil {
			e.t.Fatalf("List: %v", err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		cursor = next
	}
}

// folderView returns the folder's view as the API shows it.
func (e *testEnv) folderView(f Folder) FolderState {
	e.t.Helper()
	v, err := e.svc.FolderState(e.ctx(), f)
	if err != nil {
		e.t.Fatalf("FolderState: %v", err)
	}
	return v
}

// waitUntil polls cond until it holds, failing with what() at the deadline.
func waitUntil(t *testing.T, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	if !testtime.Poll(timeout, cond) {
		t.Fatalf("timed out after %s: %s", timeout, what())
	}
}

// waitForCount waits until count() reaches want, failing only when it stops
// growing for stall: a hundred files each probed by ffprobe take seconds on
// a quiet machine and minutes on a loaded one, and either is right as long
// as they keep coming.
func waitForCount(t *testing.T, want int, stall time.Duration, count func() int, what string) {
	t.Helper()
	for last := count(); last < want; {
		grew := testtime.Poll(stall, func() bool { return count() > last })
		now := count()
		if !grew {
			t.Fatalf("%s: %d of %d, none more in %s", what, now, want, stall)
		}
		last = now
	}
}

// quiet waits until the folder's watcher reports it settled after a scan
// that began at or after since: whatever it was going to do with the files
// there at since, it did.
func (e *testEnv) quiet(f Folder, since time.Time) {
	e.t.Helper()
	waitUntil(e.t, 60*time.Second, func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		return !e.settled[f.ID].Before(since)
	}, func() string { return "the watch folder did not go quiet" })
}

// clip returns a test clip made once by ffmpeg from args (the output path is
// appended). Tests copy it; they never change it.
func clip(t *testing.T, name string, args ...string) string {
	t.Helper()
	return clipCache.Clip(t, name, args...)
}

// tinyClip is a 0.5 s 64x36 H.264/AAC MP4.
func tinyClip(t *testing.T) string {
	return clip(t, "tiny.mp4", "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=0.5",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=0.5",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "16k", "-shortest")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// probeDuration is the duration ffprobe reads from a file.
func probeDuration(t *testing.T, path string) float64 {
	t.Helper()
	info, err := media.Probe(context.Background(), path)
	if err != nil {
		t.Fatalf("probe %s: %v", path, err)
	}
	return info.Duration
}

// testAssetEvent stands in for wire's asset renderer, which imports this
// package: events carry the asset as it is.
func testAssetEvent(a archive.Asset, _ time.Time) any { return a }
