package archive

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"reelvault/backend/fetch"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/jobs"
	"reelvault/backend/quarantine"
	"reelvault/backend/store"
)

// Job kinds the archive runs.
const (
	jobDownloadInput   = "asset.download_input"   // an http(s) input fetched to tmp/
	jobBuildMaster     = "asset.build_master"     // probe, then remux (or hand to the transcode lane)
	jobTranscodeMaster = "asset.transcode_master" // a master that re-encodes a stream
	jobIssueLink       = "asset.issue_link"
	jobThumbnail       = "asset.thumbnail"
	jobRendition       = "asset.static_rendition" // ref: the rendition's id
)

// Config is what the service needs from the outside.
type Config struct {
	DataDir string        // masters/, thumbs/ and tmp/ live here
	LinkTTL time.Duration // lifetime of a download link (default 24 h)
	// AssetEvent renders an asset for its events' data, as the API shows it
	// at now (wire.Assets.Event). Required.
	AssetEvent func(a Asset, now time.Time) any
	// RenditionEvent renders a static rendition for its events' data
	// (wire.RenditionEvent); nil sends no static rendition events.
	RenditionEvent   func(r Rendition) any
	Now              func() time.Time // injectable clock (default time.Now)
	Log              *slog.Logger
	HTTPClient       *http.Client  // for http(s) inputs (default: fetch.NewClient(ConnectTimeout))
	MaxDownloadBytes int64         // bound on http(s) inputs (default 200 GiB)
	DownloadTimeout  time.Duration // a whole download (default 2 h)
	ConnectTimeout   time.Duration // to connect to an input's server (default 30 s)
	HeaderTimeout    time.Duration // for the server to answer (default 1 min)
	IdleTimeout      time.Duration // for the server to send more of the body (default 1 min)
	DownloadWorkers  int           // http inputs downloaded at once (default 4)
	// BuildWorkers probe inputs and build the masters that copy every
	// stream (I/O bound; default 2). A master that re-encodes is handed to
	// the transcode lane, so a remux never waits behind a transcode.
	BuildWorkers     int
	TranscodeWorkers int // transcodes at once (default: from the cores and the memory, at least 1)
	// Space, if set, is checked before a download or a build writes; short
	// work waits (Asset.Waiting) and looks again every SpaceRecheck (default 30 s).
	Space        *diskspace.Checker
	SpaceRecheck time.Duration
	// ToolRecheck is how often a build waiting for ffmpeg tries again (default 30 s);
	// ToolsFound makes it try at once.
	ToolRecheck time.Duration
	// TranscodeMargin is the room a transcode needs besides the reserve
	// when the input is smaller (default 1 GiB): its output size is not known.
	TranscodeMargin int64
	// Changed, if set, is told of changes the UI shows that are no event of
	// their own (a thumbnail made), so it can refresh.
	Changed func(assetID string)
	// Deleted, if set, is told after an asset's deletion is recorded, so
	// what others keep of it (cached thumbnails) goes too.
	Deleted func(assetID string)
}

// Service carries out every use case on assets.
type Service struct {
	cfg  Config
	db   *store.DB
	jobs *jobs.Queue
	log  *slog.Logger

	mu       sync.Mutex
	building map[string]context.CancelFunc // asset id -> cancel of its running download or build
	waiting  map[string]string             // asset id -> what its work waits for (free space)
	speeds   map[string]Speed              // asset id -> how fast its running work goes
	ahead    probesAhead                   // inputs described before their build asked (ProbeAhead)
	hooks    testHooks

	// Changeable while running, from the settings page.
	linkTTL atomic.Int64 // nanoseconds
}

// New makes the service and registers its jobs on q.
func New(db *store.DB, q *jobs.Queue, cfg Config) (*Service, error) {
	if cfg.AssetEvent == nil {
		return nil, fmt.Errorf("archive: an asset event renderer is required")
	}
	if cfg.LinkTTL <= 0 {
		cfg.LinkTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = fetch.NewClient(cfg.ConnectTimeout)
	}
	if cfg.DownloadWorkers <= 0 {
		cfg.DownloadWorkers = 4
	}
	if cfg.TranscodeWorkers <= 0 {
		cfg.TranscodeWorkers = transcodeLane(runtime.NumCPU(), totalMemory())
	}
	if cfg.ToolRecheck <= 0 {
		cfg.ToolRecheck = 30 * time.Second
	}
	if cfg.SpaceRecheck <= 0 {
		cfg.SpaceRecheck = 30 * time.Second
	}
	if cfg.TranscodeMargin <= 0 {
		cfg.TranscodeMargin = 1 << 30
	}
	if cfg.MaxDownloadBytes <= 0 {
		cfg.MaxDownloadBytes = 200 << 30
	}
	if cfg.DownloadTimeout <= 0 {
		cfg.DownloadTimeout = 2 * time.Hour
	}
	if cfg.BuildWorkers <= 0 {
		cfg.BuildWorkers = 2
	}
	s := &Service{cfg: cfg, db: db, jobs: q, log: cfg.Log.With("component", "archive"), building: map[string]context.CancelFunc{}, waiting: map[string]string{}, speeds: map[string]Speed{}}
	s.SetLinkTTL(cfg.LinkTTL)
	for _, dir := range []string{s.mastersDir(), s.thumbsDir(), s.tmpDir(), s.renditionsDir()} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
	}
	q.Register(jobDownloadInput, jobs.Handler{Run: s.runDownloadInput, GiveUp: s.giveUpBuild, Workers: cfg.DownloadWorkers, MaxAttempts: 4,
		Timeout: cfg.DownloadTimeout + time.Minute})
	q.Register(jobBuildMaster, jobs.Handler{Run: s.runBuildMaster, GiveUp: s.giveUpBuild, Workers: cfg.BuildWorkers, MaxAttempts: 4})
	q.Register(jobTranscodeMaster, jobs.Handler{Run: s.runBuildMaster, GiveUp: s.giveUpBuild, Workers: cfg.TranscodeWorkers, MaxAttempts: 4})
	q.Register(jobIssueLink, jobs.Handler{Run: s.runIssueLink, GiveUp: s.giveUpLink, Workers: 2, Timeout: 5 * time.Minute})
	q.Register(jobThumbnail, jobs.Handler{Run: s.runThumbnail, MaxAttempts: 2, Timeout: 2 * time.Minute})
	q.Register(jobHashInput, jobs.Handler{Run: s.runHashInput, MaxAttempts: 2, Timeout: 6 * time.Hour})
	// One proxy at a time: they are made after the master is ready, beside
	// other assets' builds, never before them.
	q.Register(jobRendition, jobs.Handler{Run: s.runRendition, GiveUp: s.giveUpRendition, Workers: 1, MaxAttempts: 3})
	s.registerPreviews(q)
	s.registerPlaybackCopy(q)
	return s, nil
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// Now is the service's clock: what the API renders assets as of.
func (s *Service) Now() time.Time     { return s.cfg.Now() }
func (s *Service) mastersDir() string { return filepath.Join(s.cfg.DataDir, "masters") }
func (s *Service) thumbsDir() string  { return filepath.Join(s.cfg.DataDir, "thumbs") }
func (s *Service) tmpDir() string     { return filepath.Join(s.cfg.DataDir, "tmp") }
func (s *Service) renditionsDir() string {
	return filepath.Join(s.cfg.DataDir, "renditions")
}

func (s *Service) abs(rel string) string { return filepath.Join(s.cfg.DataDir, rel) }

// LinkTTL is how long a new download link lives.
func (s *Service) LinkTTL() time.Duration { return time.Duration(s.linkTTL.Load()) }

// SetLinkTTL changes the lifetime of links issued from now on; links out
// keep the expiry they were given.
func (s *Service) SetLinkTTL(d time.Duration) { s.linkTTL.Store(int64(d)) }

// emit appends an asset event in tx.
func (s *Service) emit(ctx context.Context, tx *store.Tx, typ string, a Asset) error {
	now := s.now()
	_, err := tx.AppendEvent(ctx, now, typ, "asset", a.ID, s.cfg.AssetEvent(a, now))
	return err
}

// Get returns one asset.
func (s *Service) Get(ctx context.Context, id string) (Asset, error) {
	var a Asset
	err := s.db.Snapshot(ctx, func(q store.Queryer) error {
		var err error
		if a, err = getAsset(ctx, q, id); err != nil {
			return err
		}
		list := []Asset{a}
		s.withDuplicates(ctx, q, list)
		s.withRebuilds(ctx, q, list)
		a = list[0]
		return nil
	})
	if err != nil {
		return a, err
	}
	s.withWaiting(&a)
	s.withSpeed(&a)
	list := []Asset{a}
	s.withQueue(ctx, list)
	return list[0], nil
}

// Count is how many assets match p's filters and search, across all pages.
func (s *Service) Count(ctx context.Context, p ListParams) (int, error) {
	if err := p.normalize(); err != nil {
		return 0, err
	}
	return countAssets(ctx, s.db, p)
}

// List returns a page of assets, newest first, and the next page's cursor.
func (s *Service) List(ctx context.Context, p ListParams) ([]Asset, string, error) {
	if err := p.normalize(); err != nil {
		return nil, "", err
	}
	var list []Asset
	var next string
	err := s.db.Snapshot(ctx, func(q store.Queryer) error {
		var err error
		if list, next, err = listAssets(ctx, q, p); err != nil {
			return err
		}
		ids := make([]string, len(list))
		for i := range list {
			ids[i] = list[i].ID
		}
		rs, err := renditionsOf(ctx, q, ids...)
		for i := range list {
			list[i].Renditions = rs[list[i].ID]
		}
		s.withDuplicates(ctx, q, list)
		s.withRebuilds(ctx, q, list)
		return err
	})
	if list == nil {
		return nil, "", err
	}
	for i := range list {
		s.withWaiting(&list[i])
		s.withSpeed(&list[i])
	}
	s.withQueue(ctx, list)
	return list, next, err
}

// change loads an asset in a transaction, lets fn change it, and saves it.
func (s *Service) change(ctx context.Context, id string, fn func(tx *store.Tx, a *Asset) error) (Asset, error) {
	var out Asset
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		a, err := getAsset(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, &a); err != nil {
			return err
		}
		out = a
		return saveAsset(ctx, tx, &a)
	})
	return out, err
}

// Recover readies the service after a start: it removes what a crash left
// half-written (.part files, unfinished downloads) and the files of assets
// the user deleted. A finished file without a row is never deleted: the
// database may be an older copy, so the file may be the user's only one. It
// goes to quarantine instead. Call before the job queue runs.
func (s *Service) Recover(ctx context.Context) error {
	entries, err := os.ReadDir(s.tmpDir())
	if err != nil {
		return err
	}
	for _, e := range entries {
		// Downloads of http inputs: the app's own copies. A whole one whose
		// asset still waits for its master is kept; the rest are fetched
		// again when needed.
		name := e.Name()
		if id, ok := strings.CutSuffix(name, ".download"); ok {
			if a, err := getAsset(ctx, s.db, id); err == nil && a.Status == StatusPreparing {
				continue
			}
		}
		os.RemoveAll(filepath.Join(s.tmpDir(), name))
	}
	// Masters a rebuild replaced just before a crash: nothing points at them.
	if err := s.recoverRetired(ctx); err != nil {
		return err
	}
	// Rebuilds that were running wait in the queue again; they start over.
	if _, err := s.db.ExecContext(ctx, `UPDATE asset_rebuilds SET state = ?, progress = 0 WHERE state = ?`,
		RebuildQueued, RebuildBuilding); err != nil {
		return err
	}
	known, err := s.recordedFiles(ctx)
	if err != nil {
		return err
	}
	for _, dir := range []string{s.mastersDir(), s.thumbsDir(), s.renditionsDir()} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name, path := e.Name(), filepath.Join(dir, e.Name())
			if known[name] {
				continue
			}
			id := assetIDOfFile(name)
			switch state, err := s.fileOwner(ctx, id); {
			case err != nil:
				return err
			case isPartFile(name):
				s.log.Info("removing a half-written file", "path", path)
				os.Remove(path)
			case state == ownerBuilding && dir == s.mastersDir() && isRebuildOutput(name) && s.leftoverRebuild(ctx, id):
				// Finished by a rebuild that was not swapped in (a crash before its
				// commit, or a cancel): never a master; a pending rebuild makes it again.
				s.log.Info("removing a rebuild's unused master", "path", path)
				os.Remove(path)
			case state == ownerDeleted:
				s.log.Info("removing a file of a deleted asset", "path", path, "asset", id)
				os.Remove(path)
			case state == ownerBuilding:
				// Renamed into place just before a crash, before its row was
				// written: the asset's build runs again and replaces it.
			default:
				it, err := quarantine.Move(s.cfg.DataDir, path, "no asset in the database owns this file (a restored or older database?)", s.now())
				if err != nil {
					return fmt.Errorf("quarantine %s: %w", path, err)
				}
				s.log.Warn("a file no asset owns was moved to quarantine, not deleted", "path", path, "quarantine", it.ID)
			}
		}
	}
	_, err = s.ExpireLinks(ctx)
	return err
}

// recordedFiles is the set of master, thumbnail and preview file names the database records.
func (s *Service) recordedFiles(ctx context.Context) (map[string]bool, error) {
	known := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(master_file, ''), coalesce(thumbnail_file, '') FROM assets
		UNION ALL SELECT coalesce(sprite_file, ''), coalesce(waveform_file, '') FROM asset_previews
		UNION ALL SELECT coalesce(file, ''), '' FROM asset_playback`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m, t string
		if err := rows.Scan(&m, &t); err != nil {
			return nil, err
		}
		known[filepath.Base(m)], known[filepath.Base(t)] = true, true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	renditions, err := s.db.QueryContext(ctx, `SELECT file FROM static_renditions WHERE file IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer renditions.Close()
	for renditions.Next() {
		var f string
		if err := renditions.Scan(&f); err != nil {
			return nil, err
		}
		known[filepath.Base(f)] = true
	}
	return known, renditions.Err()
}

type fileOwnerState int

const (
	ownerUnknown  fileOwnerState = iota // no row and no record of a deletion
	ownerBuilding                       // the asset exists and has not recorded this file
	ownerDeleted                        // the user deleted the asset
)

// fileOwner says what the database knows of the asset a file is named after.
func (s *Service) fileOwner(ctx context.Context, id string) (fileOwnerState, error) {
	if id == "" {
		return ownerUnknown, nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE id = ?`, id).Scan(&n); err != nil {
		return ownerUnknown, err
	}
	if n > 0 {
		return ownerBuilding, nil
	}
	deleted, err := s.WasDeleted(ctx, id)
	if deleted {
		return ownerDeleted, err
	}
	return ownerUnknown, err
}

// WasDeleted reports whether the user deleted the asset with this id (as
// opposed to the database simply not knowing it).
func (s *Service) WasDeleted(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM deleted_assets WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// assetIDOfFile is the asset id a master or thumbnail file is named after
// ("ID.mp4", "ID.jpg", "ID.mp4.part", "ID.part.jpg").
func assetIDOfFile(name string) string {
	id, _, _ := strings.Cut(name, ".")
	return id
}

func isPartFile(name string) bool {
	return strings.HasSuffix(name, ".part") || strings.Contains(name, ".part.")
}

// Run does the service's periodic work (expiring links) until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := s.ExpireLinks(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("expire links", "err", err)
			}
		}
	}
}
