package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"reelvault/backend/archive"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/lan"
	"reelvault/backend/jobs"
	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// jobFinish hands a closed recording to the archive (ref: the asset id).
const jobFinish = "live.finish"

// Config is what the service needs from the outside.
type Config struct {
	DataDir          string        // recordings go to DataDir/live/<stream>/<asset>-partN.mp4
	ReadTimeout      time.Duration // an encoder silent this long is dropped (default 10 s)
	FragmentDuration time.Duration // how much a crash may lose (default 1 s)
	Now              func() time.Time
	Log              *slog.Logger
	// Listener receives encoders (RTMP); the caller binds it and Run closes
	// it. Nil turns live ingest off; the API still manages streams.
	Listener net.Listener
	// StreamEvent renders a stream for its events' data, as the API shows
	// it (wire.LiveStreamEvent). Required.
	StreamEvent func(StreamState) any
	// Space, if set, is checked when an encoder connects: a recording
	// cannot wait, so a publisher is refused (and told why in the log)
	// while the disk lacks RecordingRoom beyond the reserve.
	Space         *diskspace.Checker
	RecordingRoom int64 // default 1 GiB
	// HealthReport, if set, is given each live stream's health about once
	// a second while an encoder publishes, and a not-live reading when it
	// leaves. It runs on the stream's own reporter, never the recorder's
	// path, but must not block (the change feed drops what a slow client
	// cannot take).
	HealthReport func(streamID string, h Health)
}

// Service carries out every use case on live streams and runs the RTMP server.
type Service struct {
	cfg     Config
	db      *store.DB
	jobs    *jobs.Queue
	archive *archive.Service
	log     *slog.Logger
	wake    chan struct{} // the reconnect-window loop looks again

	mu       sync.Mutex
	sessions map[string]*session // stream id -> its connected publisher
	closing  map[string]int      // stream id -> API calls ending its recording (publishers refused meanwhile)
	// lnMu guards the RTMP listener and the URL built on it: the settings
	// page can move it to another address while the app runs (Move).
	lnMu    sync.Mutex
	ln      net.Listener
	rtmpURL string
	conns   sync.WaitGroup
	serving sync.WaitGroup // accept loops, one per listener this run had
	runCtx  context.Context

	// fragmentWritten, when set (tests), is called each time a recording
	// part has one more whole fragment on disk, with the part's path and
	// how many it holds.
	fragmentWritten func(path string, fragments int)
}

// New makes the service and registers its job on q.
func New(db *store.DB, q *jobs.Queue, a *archive.Service, cfg Config) (*Service, error) {
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("live: a data folder is required")
	}
	if cfg.StreamEvent == nil {
		return nil, fmt.Errorf("live: a stream event renderer is required")
	}
	if cfg.RecordingRoom <= 0 {
		cfg.RecordingRoom = 1 << 30
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.FragmentDuration <= 0 {
		cfg.FragmentDuration = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Service{cfg: cfg, db: db, jobs: q, archive: a, log: cfg.Log.With("component", "live"),
		wake: make(chan struct{}, 1), sessions: map[string]*session{}, closing: map[string]int{}}
	if cfg.Listener != nil {
		s.ln, s.rtmpURL = cfg.Listener, rtmpURLOf(cfg.Listener.Addr())
	}
	q.Register(jobFinish, jobs.Handler{Run: s.runFinish, GiveUp: s.giveUpFinish, MaxAttempts: 5, Timeout: 2 * time.Hour})
	return s, nil
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// liveDir is where a stream's recordings are written.
func (s *Service) liveDir() string                  { return filepath.Join(s.cfg.DataDir, "live") }
func (s *Service) streamDir(streamID string) string { return filepath.Join(s.liveDir(), streamID) }
func (s *Service) partPath(streamID, assetID string, n int) string {
	return filepath.Join(s.streamDir(streamID), fmt.Sprintf("%s-part%d.mp4", assetID, n))
}

// RTMPURL is the base URL encoders publish to (append "/" + stream key).
func (s *Service) RTMPURL() string {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	return s.rtmpURL
}

func rtmpURLOf(bound net.Addr) string { return "rtmp://" + lan.Reachable(bound) + "/" + rtmpApp }

// emit appends a live stream event in tx. Mux's envelopes name the object
// of live stream events "live".
func (s *Service) emit(ctx context.Context, tx *store.Tx, typ string, st Stream) error {
	now := s.now()
	_, err := tx.AppendEvent(ctx, now, typ, "live", st.ID, s.cfg.StreamEvent(s.stateAt(st, now)))
	return err
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func newID() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

// newStreamKey is the secret an encoder publishes with: 128 random bits.
func newStreamKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Create records a new live stream.
func (s *Service) Create(ctx context.Context, p CreateParams) (Stream, error) {
	st := Stream{ID: newID(), CreatedAt: s.now(), StreamKey: newStreamKey(), Status: StatusIdle,
		ReconnectWindow: DefaultReconnectWindow, LatencyMode: DefaultLatencyMode,
		MaxContinuousDuration: DefaultMaxContinuousDuration, RecentAssetIDs: []string{}}
	if err := p.asUpdate().apply(&st); err != nil {
		return Stream{}, err
	}
	for _, pol := range p.PlaybackPolicies {
		if err := playback.CheckPolicy("playback_policies", pol); err != nil {
			return Stream{}, err
		}
	}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := saveStream(ctx, tx, &st); err != nil {
			return err
		}
		ids, err := playback.AddAll(ctx, tx, playback.ObjectLiveStream, st.ID, p.PlaybackPolicies, st.CreatedAt)
		if err != nil {
			return err
		}
		st.PlaybackIDs = ids
		return s.emit(ctx, tx, "video.live_stream.created", st)
	})
	return st, err
}

// Get returns one live stream.
func (s *Service) Get(ctx context.Context, id string) (Stream, error) {
	return getStream(ctx, s.db, id)
}

// List returns a page of live streams, newest first.
func (s *Service) List(ctx context.Context, p ListParams) ([]Stream, error) {
	if err := p.normalize(); err != nil {
		return nil, err
	}
	return listStreams(ctx, s.db, p)
}

// change loads a stream in a transaction, lets fn change it, and saves it.
func (s *Service) change(ctx context.Context, id string, fn func(tx *store.Tx, st *Stream) error) (Stream, error) {
	var out Stream
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		st, err := getStream(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, &st); err != nil {
			return err
		}
		out = st
		return saveStream(ctx, tx, &st)
	})
	return out, err
}

// Update changes a stream's settings (Mux's PATCH). New settings apply to
// the next recording; a new reconnect window applies at once.
func (s *Service) Update(ctx context.Context, id string, p UpdateParams) (Stream, error) {
	st, err := s.change(ctx, id, func(tx *store.Tx, st *Stream) error {
		if err := p.apply(st); err != nil {
			return err
		}
		return s.emit(ctx, tx, "video.live_stream.updated", *st)
	})
	s.poke()
	return st, err
}

// ResetStreamKey gives the stream a new key; the old one stops working at
// once and an encoder connected with it is dropped.
func (s *Service) ResetStreamKey(ctx context.Context, id string) (Stream, error) {
	st, err := s.change(ctx, id, func(tx *store.Tx, st *Stream) error {
		st.StreamKey = newStreamKey()
		return s.emit(ctx, tx, "video.live_stream.updated", *st)
	})
	if err != nil {
		return Stream{}, err
	}
	if s.stopPublisher(id, reasonKeyReset) {
		return s.Get(ctx, id) // it is now disconnected
	}
	return st, nil
}

// Complete ends the stream's recording now instead of waiting for the
// reconnect window (Mux's PUT .../complete); a connected encoder is dropped
// and the recording becomes an asset.
func (s *Service) Complete(ctx context.Context, id string) error {
	return s.withPublisherStopped(ctx, id, func() error {
		_, err := s.change(ctx, id, func(tx *store.Tx, st *Stream) error {
			return s.finishInTx(ctx, tx, st)
		})
		return err
	})
}

// AssetDeleted is told that the user deleted an asset. When it is the recording a stream is
// making, that recording ends now, as Complete ends it: the encoder is dropped (it may
// reconnect and start a new recording), and the parts written so far, which the user has
// just deleted, are removed. Without this the deleted recording went on being written
// until the encoder stopped, and its parts stayed until the next sweep.
func (s *Service) AssetDeleted(ctx context.Context, assetID string) error {
	if assetID == "" {
		return nil
	}
	st, err := getStreamWhere(ctx, s.db, `active_asset_id = ?`, assetID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s.log.Info("the recording's asset was deleted: ending the recording", "stream", st.ID, "asset", assetID)
	if err := s.Complete(ctx, st.ID); err != nil {
		return err
	}
	parts, err := s.partFiles(st.ID, assetID)
	for _, p := range parts {
		if rmErr := os.Remove(p); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
	}
	return err
}

// Disable refuses encoders until Enable; an open recording is finished.
func (s *Service) Disable(ctx context.Context, id string) error {
	return s.withPublisherStopped(ctx, id, func() error {
		_, err := s.change(ctx, id, func(tx *store.Tx, st *Stream) error {
			if err := s.finishInTx(ctx, tx, st); err != nil {
				return err
			}
			if st.Status == StatusDisabled {
				return nil
			}
			st.Status = StatusDisabled
			return s.emit(ctx, tx, "video.live_stream.disabled", *st)
		})
		return err
	})
}

// Enable lets encoders publish to a disabled stream again.
func (s *Service) Enable(ctx context.Context, id string) error {
	_, err := s.change(ctx, id, func(tx *store.Tx, st *Stream) error {
		if st.Status != StatusDisabled {
			return nil
		}
		st.Status = StatusIdle
		return s.emit(ctx, tx, "video.live_stream.enabled", *st)
	})
	return err
}

// Delete removes a stream. Its recordings stay assets; an open one is
// finished first.
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.withPublisherStopped(ctx, id, func() error {
		return s.db.Tx(ctx, func(tx *store.Tx) error {
			st, err := getStream(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := s.finishInTx(ctx, tx, &st); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM live_streams WHERE id = ?`, id); err != nil {
				return err
			}
			if err := playback.RemoveAll(ctx, tx, playback.ObjectLiveStream, id); err != nil {
				return err
			}
			return s.emit(ctx, tx, "video.live_stream.deleted", st)
		})
	})
}

// finishInTx closes st's open recording: the stream goes idle and a job
// hands the recording to the archive. The caller saves st.
func (s *Service) finishInTx(ctx context.Context, tx *store.Tx, st *Stream) error {
	if st.Connected {
		// The publisher's own goroutine records its disconnect; a stream
		// still marked connected here lost its process (crash recovery).
		st.Connected = false
		if err := s.emit(ctx, tx, "video.live_stream.disconnected", *st); err != nil {
			return err
		}
	}
	if !st.recording() {
		return nil
	}
	assetID := st.ActiveAssetID
	st.ActiveAssetID, st.RecordingStartedAt, st.DisconnectedAt, st.PartCount = "", time.Time{}, time.Time{}, 0
	if st.Status == StatusActive {
		st.Status = StatusIdle
		if err := s.emit(ctx, tx, "video.live_stream.idle", *st); err != nil {
			return err
		}
	}
	s.log.Info("recording finished", "stream", st.ID, "asset", assetID)
	return s.jobs.Enqueue(ctx, tx, jobFinish, assetID, 0)
}
