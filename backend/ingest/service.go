// Package ingest holds the sources that turn footage into assets without the
// editor babysitting them: Mux-compatible direct uploads (a signed URL that
// takes the file in one PUT or in UpChunk's chunks), watch folders (fsnotify
// plus rescans and polling, a settle check, each file once across restarts)
// and dropped folders expanded to their videos. Every asset is created
// through archive.Service in the same transaction as the source's own change.
package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"encoding/json"
	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/store"
)

// Config is what the ingest service needs from the outside. Zero values get
// the defaults noted.
type Config struct {
	DataDir string // uploads/ lives here
	BaseURL string // absolute base of upload URLs: the API listener, e.g. http://127.0.0.1:8910

	MaxUploadBytes int64 // bound on one upload (default 200 GiB)
	// MaxOpenUploads bounds the uploads receiving at once, each holding its
	// part file open (and memory while a chunk streams) from its first chunk
	// until it finishes or pauses past UploadIdleTimeout (default 64). A
	// chunk of one more is refused (a *BusyError) and changes nothing.
	MaxOpenUploads int
	// Space, if set, is checked before a chunk is written: a chunk whose
	// upload would not fit (with the reserve) is refused and changes nothing.
	Space             *diskspace.Checker
	UploadIdleTimeout time.Duration // an upload request that sends nothing for this long is dropped (default 2 min)
	SweepEvery        time.Duration // timed-out uploads and finished watch files are looked at this often (default 5 s)

	SettleDelay time.Duration // a file must keep its size and mtime this long to be ingested (default 3 s)
	RescanEvery time.Duration // safety-net rescan of fsnotify folders (default 1 min)
	PollEvery   time.Duration // scan interval of folders that send no events (default 10 s)
	Workers     int           // settled files fingerprinted and probed at once (default 2)

	// NetworkFS reports whether path is on a file system that sends no
	// change events (nfs, smb, sshfs...) and its type. Default: statfs and
	// /proc/mounts. Tests replace it to exercise polling.
	NetworkFS func(path string) (bool, string)

	// UploadEvent renders an upload for its events' data, as the API shows
	// it (wire.UploadEvent). Required.
	UploadEvent func(UploadState) any
	// ParseSettings reads an upload's new_asset_settings as Mux clients
	// write them (wire.ParseNewAssetSettings). Required.
	ParseSettings func(json.RawMessage) (archive.AssetSettings, error)

	Now func() time.Time // injectable clock (default time.Now)
	Log *slog.Logger
}

// Service runs direct uploads and watch folders.
type Service struct {
	cfg     Config
	db      *store.DB
	archive *archive.Service
	log     *slog.Logger

	locks uploadLocks
	sinks uploadSinks
	// sending is when each waiting upload last received bytes (Transferring).
	sending   map[string]time.Time
	sendingMu sync.Mutex

	mu       sync.Mutex
	runCtx   context.Context // set while Run runs; watchers start under it
	watchers map[string]*folderWatcher
	known    map[string]fileStamp // path -> size and mtime last recorded, to skip unchanged files cheaply
	inflight map[string]bool      // paths queued or being ingested
	queue    chan settledFile
	wg       sync.WaitGroup

	// settled, when set (tests), is called by a folder's watcher whenever it
	// waits on no file and no file is being ingested, with the time its last
	// whole scan began: everything in the folder then has been dealt with.
	settled func(folderID string, scanBegan time.Time)
}

// New makes the service; call Recover, then Run.
func New(db *store.DB, arch *archive.Service, cfg Config) (*Service, error) {
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("ingest: a data folder is required")
	}
	if cfg.UploadEvent == nil || cfg.ParseSettings == nil {
		return nil, fmt.Errorf("ingest: the wire format's upload renderer and settings parser are required")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 200 << 30
	}
	if cfg.MaxOpenUploads <= 0 {
		cfg.MaxOpenUploads = 64
	}
	if cfg.UploadIdleTimeout <= 0 {
		cfg.UploadIdleTimeout = 2 * time.Minute
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = 5 * time.Second
	}
	if cfg.SettleDelay <= 0 {
		cfg.SettleDelay = 3 * time.Second
	}
	if cfg.RescanEvery <= 0 {
		cfg.RescanEvery = time.Minute
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = 10 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.NetworkFS == nil {
		cfg.NetworkFS = networkFS
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Service{cfg: cfg, db: db, archive: arch, log: cfg.Log.With("component", "ingest"),
		watchers: map[string]*folderWatcher{}, known: map[string]fileStamp{}, inflight: map[string]bool{},
		queue: make(chan settledFile, 1024)}
	s.locks.m = map[string]*uploadLock{}
	s.sinks.m, s.sinks.borrowed, s.sinks.now, s.sinks.max = map[string]*partSink{}, map[*partSink]bool{}, cfg.Now, cfg.MaxOpenUploads
	s.sending = map[string]time.Time{}
	if err := os.MkdirAll(s.uploadsDir(), 0o755); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return s, nil
}

func (s *Service) now() time.Time        { return s.cfg.Now() }
func (s *Service) uploadsDir() string    { return filepath.Join(s.cfg.DataDir, "uploads") }
func (s *Service) abs(rel string) string { return filepath.Join(s.cfg.DataDir, rel) }

// Recover readies the service after a start: it puts an upload that a crash
// caught between its last byte and its commit back to "all bytes received",
// and removes the bytes of uploads that are over. Call before Run.
func (s *Service) Recover(ctx context.Context) error {
	return s.recoverUploads(ctx)
}

// Run watches the folders, sweeps timed-out uploads and moves ingested files
// to their done folder, until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if err := s.loadKnown(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("load watched files", "err", err)
	}
	for i := 0; i < s.cfg.Workers; i++ {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.ingestWorker(ctx) }()
	}
	s.mu.Lock()
	s.runCtx = ctx
	s.mu.Unlock()
	if err := s.startAllWatchers(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("start watch folders", "err", err)
	}
	t := time.NewTicker(s.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.stopAllWatchers()
			s.wg.Wait()
			for _, id := range s.sinks.ids() {
				s.sinks.drop(id)
			}
			return nil
		case <-t.C:
			if _, err := s.SweepUploads(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("sweep uploads", "err", err)
			}
			if err := s.finishWatchedFiles(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("move finished files", "err", err)
			}
		}
	}
}

// UploadIdleTimeout is how long an upload request may send nothing before
// it is dropped (the client resumes with a new request).
func (s *Service) UploadIdleTimeout() time.Duration { return s.cfg.UploadIdleTimeout }

// invalid is a field's error whose message is already worded (it may hold
// paths, so it is no format).
func invalid(field, message string) error {
	return &fail.InvalidError{Field: field, Message: message}
}
