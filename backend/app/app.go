// Package app is Reelvault's composition root: it binds the listeners,
// builds every component once with its final dependencies, recovers them,
// runs them under one supervisor and stops them in reverse order. `serve`
// and the desktop window both run an App.
package app

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
	"slices"
	"strconv"
	"sync"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/auth"
	"reelvault/backend/delivery"
	"reelvault/backend/feed"
	"reelvault/backend/fixity"
	"reelvault/backend/httpapi"
	"reelvault/backend/ingest"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/localname"
	"reelvault/backend/jobs"
	"reelvault/backend/live"
	"reelvault/backend/notify"
	"reelvault/backend/playback"
	"reelvault/backend/sharing"
	"reelvault/backend/store"
	"reelvault/backend/webhooks"
	"reelvault/backend/wire"
)

// How long each listener may drain at shutdown. The API's open requests
// (an open /ui/v1/stream) are ended through its base context first, so it
// needs little; downloads on the share listener get time to finish.
const (
	apiDrain   = 5 * time.Second
	shareDrain = 30 * time.Second
)

// Options is what the caller (main) gives beyond the configuration.
type Options struct {
	UI      fs.FS        // the built frontend; nil serves no UI
	Desktop bool         // the window shows the UI: no login code or token file is printed
	Log     *slog.Logger // nil: slog.Default()
	Out     io.Writer    // where the addresses are printed; nil: nowhere
	// Notifier shows desktop notifications (notify.System() for the window); nil: none, as
	// with `serve`.
	Notifier notify.Notifier
}

// App is everything but the window: database, workers and listeners.
type App struct {
	cfg Config
	log *slog.Logger

	// Built in this order; stopped in the reverse one.
	db        *store.DB
	apiLn     net.Listener
	shareLn   net.Listener // the share server's once it exists
	rtmpLn    net.Listener // nil when the RTMP address could not be bound
	archive   *archive.Service
	sources   *ingest.Service
	live      *live.Service
	notices   *notices // nil without a notifier
	changes   *feed.Hub
	share     *shareServer
	auth      *auth.Service
	api       *httpapi.Server
	apiSrv    *http.Server
	endAPI    context.CancelFunc // ends the API's open requests (streams)
	workers   []component
	stopping  chan struct{} // closed when Run begins to stop
	handedOff chan struct{} // a second launch's files were taken (HandedOff)
	ran       bool
	closeOnce sync.Once
	dbHolds   sync.WaitGroup // HoldDatabase: Close waits for these before closing the database
}

// Open binds the listeners, builds every component and recovers what the
// last run left unfinished. Nothing runs until Run; if Open fails, what it
// opened is closed.
func Open(ctx context.Context, cfg Config, opt Options) (_ *App, err error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Out == nil {
		opt.Out = io.Discard
	}
	log := opt.Log
	a := &App{log: log, stopping: make(chan struct{}), handedOff: make(chan struct{}, 1)}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if a.db, err = store.Open(ctx, filepath.Join(cfg.DataDir, "reelvault.db"), log); err != nil {
		return nil, err
	}
	// A bundled ffmpeg next to the binary wins over PATH, then the folder set in Settings.
	// Without a usable one the library still opens; builds wait for it (the UI says so).
	if cfg.ToolRecheck <= 0 {
		cfg.ToolRecheck = 30 * time.Second
	}
	tools := &ffmpegLookout{db: a.db, log: log, every: cfg.ToolRecheck}
	if problem := tools.locate(ctx); problem != "" {
		log.Warn("ffmpeg is not usable: builds wait until it is found", "problem", problem)
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
	if err := applySavedSettings(ctx, a.db, &cfg); err != nil {
		return nil, err
	}
	a.cfg = cfg

	// Every listener first, so every address is known to what is built next.
	if a.apiLn, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("API listener %s: %w", cfg.Listen, err)
	}
	apiURL := localURL(a.apiLn.Addr())
	if a.shareLn, err = net.Listen("tcp", cfg.ShareListen); err != nil {
		return nil, fmt.Errorf("share listener %s: %w", cfg.ShareListen, err)
	}
	// Links on a network may be built on this computer's name.local (announced with mDNS), which
	// survives a new DHCP address.
	localName, nameInLinks := localname.Host(), ""
	if cfg.ShareByName {
		nameInLinks = localName
	}
	signer, err := shareSigner(linkKey, cfg.PublicURL, nameInLinks, a.shareLn.Addr())
	if err != nil {
		return nil, err
	}
	// A busy RTMP port (another streaming server) must not keep the archive
	// from starting: live ingest is then off, and says so.
	if a.rtmpLn, err = net.Listen("tcp", cfg.RTMPListen); err != nil {
		log.Error("live streams cannot be received", "err", fmt.Errorf("RTMP listener %s: %w", cfg.RTMPListen, err))
		a.rtmpLn = nil
	}

	// Each component once, with its final dependencies.
	queue := jobs.New(a.db, log)
	a.changes = feed.NewHub()
	assets := wire.NewAssets(signer)
	// One reserve for every writer: what it keeps free lets the database
	// commit (and a cancel or delete be recorded) on a nearly full disk.
	space := &diskspace.Checker{Reserve: cfg.DiskReserve}
	// Thumbnails of delivery URLs, kept until their asset is deleted or they are the least recently used.
	thumbs := &delivery.Thumbnails{Dir: filepath.Join(cfg.DataDir, "cache", "thumbnails"), Log: log}
	if a.archive, err = archive.New(a.db, queue, archive.Config{DataDir: cfg.DataDir, LinkTTL: cfg.LinkTTL, AssetEvent: assets.Event, RenditionEvent: wire.RenditionEvent,
		Log: log, Changed: a.changes.AssetChanged, Deleted: func(id string) { thumbs.Forget(id); a.recordingDeleted(id) },
		Space: space, ToolRecheck: cfg.ToolRecheck}); err != nil {
		return nil, err
	}
	tools.archive = a.archive
	playbackIDs := &playback.Store{DB: a.db}
	a.share = newShareServer(a.shareLn, signer, linkKey, cfg.PublicURL, a.archive, a.masterDamaged, log)
	a.share.localName, a.share.byName = localName, cfg.ShareByName
	a.share.resigned = assets.SetSigner
	shares := sharing.New(sharing.Config{DB: a.db, Library: sharedAssets{archive: a.archive, dataDir: cfg.DataDir},
		BaseURL: func() string { return a.share.Signer().Base() }, Render: wire.ShareLinkEvent, Log: log})
	a.share.shares = &sharing.Handler{Service: shares, Key: linkKey, Sender: shares.Sender, Log: log,
		BasePath: func() string { return basePath(a.share.Signer().Base()) }}
	if opt.Notifier != nil {
		a.notices = &notices{notifier: opt.Notifier, hub: a.changes, archive: a.archive, shares: shares, log: log}
		a.notices.enabled.Store(cfg.Notifications)
	}
	lv, err := live.New(a.db, queue, a.archive, live.Config{DataDir: cfg.DataDir, Log: log, Listener: a.rtmpLn,
		StreamEvent: wire.LiveStreamEvent, Space: space,
		HealthReport: func(id string, h live.Health) { a.changes.LiveHealth(id, wire.NewLiveHealth(id, h)) }})
	if err != nil {
		return nil, err
	}
	a.live = lv
	library := playbackLibrary{archive: a.archive, live: lv, dataDir: cfg.DataDir}
	a.share.delivery = &delivery.Handler{IDs: playbackIDs, Library: library, Renditions: library,
		Thumbnails: thumbs,
		BasePath:   func() string { return basePath(a.share.Signer().Base()) }, OnDamaged: a.masterDamaged, Log: log}
	hooks, err := webhooks.New(a.db, webhooks.Config{Log: log})
	if err != nil {
		return nil, err
	}
	changeFeed := feed.New(a.db, a.archive, a.changes, log)
	// Upload URLs are built on the API's address.
	sources, err := ingest.New(a.db, a.archive, ingest.Config{DataDir: cfg.DataDir, BaseURL: apiURL, Log: log,
		UploadEvent: wire.UploadEvent, ParseSettings: wire.ParseNewAssetSettings, Space: space})
	if err != nil {
		return nil, err
	}
	a.sources = sources
	a.auth = auth.New(auth.Config{DB: a.db, Log: log, OnCode: func(code string) {
		log.Info("new one-time login code for the browser UI", "open", apiURL+"/?code="+code, "code", code)
	}})
	a.api = httpapi.New(httpapi.Config{
		Archive: a.archive, Assets: assets, Webhooks: hooks, Feed: changeFeed, Live: lv, Ingest: sources, Sharing: shares,
		Playback: playbackIDs,
		Settings: &settingsPage{db: a.db, archive: a.archive, assets: assets, share: a.share, token: token, cfg: cfg, notices: a.notices,
			tools: tools, apiURL: apiURL, live: lv},
		Credentials: httpapi.Credentials{TokenID: token.ID, TokenSecret: token.Secret},
		UI:          opt.UI, Log: log, LoopbackOnly: isLoopback(a.apiLn.Addr()),
		Info: httpapi.Info{Version: Version, Desktop: opt.Desktop, ShareBaseURL: signer.Base(),
			LinkTTLSeconds: int64(cfg.LinkTTL.Seconds()), DataDir: cfg.DataDir, APIURL: apiURL, RTMPURL: lv.RTMPURL()},
		Auth: a.auth,
	})
	apiBase, endAPI := context.WithCancel(context.Background())
	a.endAPI = endAPI
	a.apiSrv = &http.Server{Handler: a.noticeHandOffs(a.api.Handler()), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context { return apiBase }}
	auditor := fixity.NewAuditor(fixity.AuditConfig{
		Masters: a.archive.FixityMasters, Record: a.archive.RecordFixity, Current: a.archive.FixityMaster,
		LastRun: func(ctx context.Context) (time.Time, error) { return lastAudit(ctx, a.db) },
		SaveRun: func(ctx context.Context, at time.Time) error {
			return a.db.SetSetting(ctx, settingLastAudit, strconv.FormatInt(at.Unix(), 10))
		},
		Interval: cfg.AuditInterval, Throttle: fixity.Throttle{Share: cfg.AuditShare}, Log: log,
	})
	a.workers = []component{
		{"job queue", queue.Run},
		{"ffmpeg lookout", tools.Run},
		{"fixity audit", auditor.Run},
		{"retention", pruneEveryDay(cfg.Retention, log, hooks.Prune)},
		{"archive", a.archive.Run},
		{"live streams", lv.Run},
		{"webhook delivery", hooks.Run},
		{"share links", shares.Run},
		{"change feed", changeFeed.Run},
		{"uploads and watch folders", sources.Run},
	}
	if a.notices != nil {
		a.workers = append(a.workers, component{"desktop notifications", a.notices.Run})
	}

	// Recover what the last run left: leftovers first, then the jobs they
	// may queue; a recording left open is finished.
	for _, r := range []struct {
		what string
		run  func(context.Context) error
	}{
		{"archive", a.archive.Recover},
		{"the job queue", queue.Recover},
		{"live streams", lv.Recover},
		{"uploads", sources.Recover},
		{"watch folders", func(ctx context.Context) error { return sources.EnsureFolders(ctx, cfg.Watch) }},
		{"webhooks", hooks.Recover},
	} {
		if err := r.run(ctx); err != nil {
			return nil, fmt.Errorf("recover %s: %w", r.what, err)
		}
	}

	rtmpIngest := "unavailable (see the log)"
	if a.rtmpLn != nil {
		rtmpIngest = lv.RTMPURL() + "/STREAM_KEY"
	}
	out := opt.Out
	fmt.Fprintf(out, "Reelvault %s\n", Version)
	fmt.Fprintf(out, "  UI and API:      %s\n", apiURL)
	fmt.Fprintf(out, "  download links:  %s\n", signer.Base())
	fmt.Fprintf(out, "  RTMP ingest:     %s\n", rtmpIngest)
	fmt.Fprintf(out, "  data folder:     %s\n", cfg.DataDir)
	if err := a.db.SetSetting(ctx, settingAPIURL, apiURL); err != nil {
		return nil, err
	}
	if !opt.Desktop {
		code, err := a.auth.CurrentCode(ctx)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "  browser login code (one-time): %s\n", code)
		fmt.Fprintf(out, "  open in a browser: %s/?code=%s\n", apiURL, code)
		if cfg.TokenID == "" {
			fmt.Fprintf(out, "  API access token: %s (id and secret)\n", filepath.Join(cfg.DataDir, "access-token.json"))
		}
	}
	return a, nil
}

// localURL is the http address a browser or client on this computer reaches a listener at.
// A listener on every network (--listen 0.0.0.0:8910, which Go names [::]) has no address to
// connect to: the login link printed "http://[::]:8910/?code=…". It is named by loopback,
// which such a listener answers on too.
func localURL(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return "http://" + addr.String()
}

// masterDamaged is told by the share server when a master it was asked
// for is missing or damaged.
func (a *App) masterDamaged(id, reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.archive.MasterDamaged(ctx, id, reason)
}

// recordingDeleted is told by the archive that an asset was deleted: when a live stream is
// still recording it, that recording ends (live.AssetDeleted). In its own goroutine: the
// archive tells it from its transaction's commit, and ending a recording waits for the
// encoder's connection to close.
func (a *App) recordingDeleted(id string) {
	lv := a.live
	if lv == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := lv.AssetDeleted(ctx, id); err != nil {
			a.log.Error("ending the recording of a deleted asset", "asset", id, "err", err)
		}
	}()
}

// Run runs every component until ctx ends or one of them fails; then it
// stops the listeners (each drains on its own deadline), stops the
// workers and closes the database. It returns the failure, if any. Run is
// called once.
func (a *App) Run(ctx context.Context) error {
	a.ran = true
	defer a.Close()
	components := append(slices.Clip(a.workers),
		component{"API listener", func(context.Context) error {
			if err := a.apiSrv.Serve(a.apiLn); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		}},
		component{"share listener", a.share.Run})
	return supervise(ctx, a.log, components, a.stopListeners)
}

// stopListeners stops the listeners before the workers they call into,
// each draining on its own deadline, side by side: the API's open streams
// end at once through its base context; downloads on the share listener
// may finish. The RTMP listener is closed by live's Run as the workers stop.
func (a *App) stopListeners() {
	close(a.stopping)
	shareCtx, cancelShare := context.WithTimeout(context.Background(), shareDrain)
	apiCtx, cancelAPI := context.WithTimeout(context.Background(), apiDrain)
	defer cancelShare()
	defer cancelAPI()
	var drained sync.WaitGroup
	drained.Go(func() { a.share.Shutdown(shareCtx) })
	drained.Go(func() {
		a.endAPI()
		if err := a.apiSrv.Shutdown(apiCtx); err != nil {
			a.log.Warn("API requests cut off at shutdown", "err", err)
			a.apiSrv.Close()
		}
	})
	drained.Wait()
}

// Close releases what Open acquired. Run does it when it returns; call it
// yourself only for an App that never ran. It is safe to call again.
func (a *App) Close() {
	a.closeOnce.Do(func() {
		if !a.ran {
			// Nothing served these yet; Run closes them as it stops.
			if a.share != nil {
				a.share.Shutdown(context.Background())
			} else if a.shareLn != nil {
				a.shareLn.Close()
			}
			for _, ln := range []net.Listener{a.rtmpLn, a.apiLn} {
				if ln != nil {
					ln.Close()
				}
			}
		}
		if a.endAPI != nil {
			a.endAPI()
		}
		if a.db != nil {
			a.dbHolds.Wait()
			a.db.Close()
		}
	})
}

// Stopping is closed when Run begins to stop: asked to, or because a
// component failed (the window then closes instead of showing a dead app).
func (a *App) Stopping() <-chan struct{} { return a.stopping }

// TrustedHandler is the API for the desktop window's own webview, which
// Wails serves in-process: no credentials, since nothing else can reach it.
func (a *App) TrustedHandler() http.Handler { return a.api.TrustedHandler() }

// Changes is the change feed (as the browser gets it over /ui/v1/stream),
// for the window, whose asset server cannot stream.
func (a *App) Changes() (<-chan feed.Change, func()) { return a.changes.Subscribe() }

// MasterPath is where an asset's master is on disk.
func (a *App) MasterPath(ctx context.Context, assetID string) (string, error) {
	return a.archive.MasterPath(ctx, assetID)
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
