// Package httpapi is Reelvault's HTTP API: Mux's dialect under /video/v1 and
// /system/v1, the UI's own endpoints under /ui/v1, and the UI itself.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
	"reelvault/backend/auth"
	"runtime/debug"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/feed"
	"reelvault/backend/ingest"
	"reelvault/backend/live"
	"reelvault/backend/playback"
	"reelvault/backend/sharing"
	"reelvault/backend/webhooks"
	"reelvault/backend/wire"
)

// Info is what the UI is told about this instance.
type Info struct {
	Version        string `json:"version"`
	Desktop        bool   `json:"desktop"`
	ShareBaseURL   string `json:"share_base_url"`
	LinkTTLSeconds int64  `json:"link_ttl_seconds"`
	DataDir        string `json:"data_dir"`
	APIURL         string `json:"api_url"`
	RTMPURL        string `json:"rtmp_url,omitempty"`
	FFmpegProblem  string `json:"ffmpeg_problem,omitempty"` // ffmpeg missing or too old: the window shows a banner
}

// Config is what the handlers need.
type Config struct {
	Archive      *archive.Service
	Assets       *wire.Assets // renders assets (and signs their master links)
	Webhooks     *webhooks.Service
	Feed         *feed.Feed // live updates for the UI; nil disables /ui/v1/stream
	Settings     Settings   // the settings page; nil disables /ui/v1/settings
	Live         *live.Service
	Ingest       *ingest.Service  // direct uploads, watch folders, dropped paths; nil disables them
	Sharing      *sharing.Service // share links; nil disables /reelvault/v1/share-links
	Playback     *playback.Store  // playback IDs and signing keys; nil disables them
	Credentials  Credentials
	UI           fs.FS // the built frontend (frontend/dist); nil serves no UI
	Info         Info
	LoopbackOnly bool          // refuse Host headers that are not loopback (DNS rebinding)
	Auth         *auth.Service // browser logins; nil: only the access token opens the API
	Log          *slog.Logger
}

// Server is the API over its Config.
type Server struct {
	Config
}

// New makes the server. It does no I/O.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.Log = cfg.Log.With("component", "httpapi")
	return &Server{Config: cfg}
}

// Handler is the API for the network listener: every API call needs the
// access token or a UI session.
func (s *Server) Handler() http.Handler {
	return s.build(false)
}

// TrustedHandler is the API for the desktop window's own webview, which
// Wails serves in-process: no credentials, since nothing else can reach it.
func (s *Server) TrustedHandler() http.Handler {
	return s.build(true)
}

func (s *Server) build(trusted bool) http.Handler {
	api := http.NewServeMux()
	s.routeAssets(api)
	s.routeRenditions(api)
	s.routeInputInfo(api)
	s.routeWhoami(api)
	s.routeUnsupported(api)
	s.routeUI(api)
	s.routeOriginal(api)
	s.routeWebhooks(api, s.Webhooks)
	s.routeSettings(api)
	s.routeLive(api)
	s.routeIngest(api)
	s.routeQuarantine(api)
	s.routeShareLinks(api)
	s.routePlayback(api)

	var protected http.Handler = jsonMuxErrors(api)
	if !trusted {
		protected = s.authenticated(protected)
	} else {
		protected = markedByPerson(protected)
	}
	root := http.NewServeMux()
	root.Handle("/video/", protected)
	root.Handle("/system/", protected)
	root.Handle("/reelvault/", protected)
	for _, u := range unsupportedAPIs {
		root.Handle(u.prefix, protected)
	}
	root.Handle("/ui/v1/", protected)
	root.HandleFunc("POST /ui/v1/session", s.handleLogin)
	root.HandleFunc("DELETE /ui/v1/session", s.handleLogout)
	root.Handle("/", s.uiFiles())
	return s.recoverer(s.logRequests(s.withUploadURLs(s.sameOriginOnly(root, trusted), trusted)))
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("handler panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeError(w, http.StatusInternalServerError, errFailed, internalErrorMessage)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int)        { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start))
	})
}

// markedByPerson marks every request ByPerson: only the window's own webview reaches the
// trusted handler.
func markedByPerson(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(ByPerson(r.Context())))
	})
}
