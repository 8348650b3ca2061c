package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/feed"
	"reelvault/backend/httpapi"
	"reelvault/backend/ingest"
	"reelvault/backend/jobs"
	"reelvault/backend/live"
	"reelvault/backend/store"
	"reelvault/backend/webhooks"
)

const version = "0.1.0"

// Backend is everything but the window: database, workers and listeners.
// It is wired once here; `serve` and the desktop window share it.
type Backend struct {
	cfg     Config
	log     *slog.Logger
	db      *store.DB
	archive *archive.Service
	feed    *feed.Feed
	api     *httpapi.Server

	apiLn  net.Listener
	apiSrv *http.Server
	share  *shareListener
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startBackend opens the data folder and starts every worker and listener.
func startBackend(ctx context.Context, cfg Config, log *slog.Logger, ui fs.FS, desktop bool, out io.Writer) (_ *Backend, err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	b := &Backend{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			b.closeResources()
		}
	}()
	if b.db, err = store.Open(ctx, filepath.Join(cfg.DataDir, "reelvault.db"), log); err != nil {
		return nil, err
	}
	token := accessToken{ID: cfg.TokenID, Secret: cfg.TokenSecret}
	if token.ID == "" {
		if token, err = loadOrCreateToken(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	linkKey, err := loadOrCreateKey(cfg.DataDir, "link-signing.key", 32)
	if err != nil {
		return nil, err
	}
	if err := applySavedSettings(ctx, b.db, &cfg); err != nil {
		return nil, err
	}
	b.cfg = cfg
	// The share listener is bound first: link URLs are built on its address.
	if b.share, err = newShareListener(cfg, linkKey, log); err != nil {
		return nil, err
	}
	queue := jobs.New(b.db, log)
	b.archive, err = archive.New(b.db, queue, archive.Config{DataDir: cfg.DataDir, LinkTTL: cfg.LinkTTL, Signer: b.share.Signer(), Log: log,
		Changed: func(id string) { b.feed.AssetChanged(id) }})
	if err != nil {
		return nil, err
	}
	if err := b.archive.Recover(ctx); err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	if err := queue.Recover(ctx); err != nil {
		return nil, err
	}
	// Live streams: RTMP ingest recorded into assets; a recording the last run left open is finished now.
	lv, err := live.New(b.db, queue, b.archive, live.Config{DataDir: cfg.DataDir, Log: log})
	if err != nil {
		return nil, err
	}
	if err := lv.Recover(ctx); err != nil {
		return nil, fmt.Errorf("recover live streams: %w", err)
	}
	hooks, err := webhooks.New(ctx, b.db, webhooks.Config{Log: log})
	if err != nil {
		return nil, err
	}
	b.feed = feed.New(b.db, b.archive, log)
	if b.apiLn, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("API listener %s: %w", cfg.Listen, err)
	}
	apiURL := "http://" + b.apiLn.Addr().String()
	b.api = &httpapi.Server{
		Archive: b.archive, Webhooks: hooks, Feed: b.feed, Credentials: httpapi.Credentials{TokenID: token.ID, TokenSecret: token.Secret},
		UI: ui, Log: log, LoopbackOnly: isLoopbackListener(b.apiLn),
		Info: httpapi.Info{Version: version, Desktop: desktop, ShareBaseURL: b.share.Signer().Base(),
			LinkTTLSeconds: int64(cfg.LinkTTL.Seconds()), DataDir: cfg.DataDir, APIURL: apiURL},
		OnLoginCode: func(code string) {
			log.Info("new one-time login code for the browser UI", "code", code)
		},
	}
	b.api.Settings = &appSettings{b: b, token: token}
	// Direct uploads and watch folders (--watch); upload URLs are built on the API's address.
	sources, err := ingest.New(b.db, b.archive, ingest.Config{DataDir: cfg.DataDir, BaseURL: apiURL, Log: log})
	if err != nil {
		return nil, err
	}
	if err := sources.Recover(ctx); err != nil {
		return nil, fmt.Errorf("recover uploads: %w", err)
	}
	if err := sources.EnsureFolders(ctx, cfg.Watch); err != nil {
		return nil, err
	}
	b.api.Ingest = sources
	// A busy RTMP port (another streaming server) must not keep the archive
	// from starting: live ingest is then off, and says so.
	rtmpIngest := "unavailable (see the log)"
	if err := lv.Listen(cfg.RTMPListen); err != nil {
		log.Error("live streams cannot be received", "err", err)
	} else {
		rtmpIngest = lv.RTMPURL() + "/STREAM_KEY"
		defer func() {
			if err != nil {
				lv.Close()
			}
		}()
	}
	b.api.Live, b.api.Info.RTMPURL = lv, lv.RTMPURL()
	b.apiSrv = &http.Server{Handler: b.api.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	b.share.Resolver = b.archive
	b.share.OnDamaged = func(id, reason string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.archive.MasterDamaged(ctx, id, reason)
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b.cancel = cancel
	b.goRun(func() { queue.Run(runCtx) })
	b.goRun(func() { b.archive.Run(runCtx) })
	b.goRun(func() { b.feed.Run(runCtx) })
	b.goRun(func() { sources.Run(runCtx) })
	b.goRun(func() { lv.Run(runCtx) })
	b.goRun(func() { lv.Serve(runCtx) })
	b.goRun(func() {
		if err := hooks.Run(runCtx); err != nil && runCtx.Err() == nil {
			log.Error("webhook delivery stopped", "err", err)
		}
	})
	b.goRun(func() { b.serve(b.apiSrv, b.apiLn, "API") })
	b.share.Start()

	fmt.Fprintf(out, "Reelvault %s\n", version)
	fmt.Fprintf(out, "  UI and API:      %s\n", apiURL)
	fmt.Fprintf(out, "  download links:  %s\n", b.share.Signer().Base())
	fmt.Fprintf(out, "  RTMP ingest:     %s\n", rtmpIngest)
	fmt.Fprintf(out, "  data folder:     %s\n", cfg.DataDir)
	if !desktop {
		fmt.Fprintf(out, "  browser login code (one-time): %s\n", b.api.LoginCode())
		if cfg.TokenID == "" {
			fmt.Fprintf(out, "  API access token: %s (id and secret)\n", filepath.Join(cfg.DataDir, "access-token.json"))
		}
	}
	return b, nil
}

func (b *Backend) goRun(fn func()) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn()
	}()
}

func (b *Backend) serve(srv *http.Server, ln net.Listener, name string) {
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		b.log.Error("listener stopped", "listener", name, "err", err)
	}
}

// Close stops listeners and workers (a running ffmpeg is killed; its job
// resumes at the next start) and closes the database.
func (b *Backend) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.apiSrv.Shutdown(ctx)
	b.share.Close(ctx)
	b.cancel()
	b.wg.Wait()
	b.closeResources()
}

func (b *Backend) closeResources() {
	if b.apiLn != nil {
		b.apiLn.Close()
	}
	if b.share != nil {
		b.share.Close(context.Background())
	}
	if b.db != nil {
		b.db.Close()
	}
}

func isLoopbackListener(ln net.Listener) bool {
	addr, ok := ln.Addr().(*net.TCPAddr)
	return ok && addr.IP.IsLoopback()
}
