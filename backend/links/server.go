package links

import (
	"log/slog"
	"net/http"
	"time"
)

// NewServer returns the share listener's http.Server. Headers must arrive
// quickly, but there is no ReadTimeout or WriteTimeout: a download of a
// large master over a slow network may take hours, and a ReadTimeout would
// also cancel the request context mid-response. Instead each write has its
// own deadline (WriteIdle): a client that stops reading is let go.
func NewServer(addr string, h http.Handler, logger *slog.Logger) *http.Server {
	if logger == nil {
		logger = slog.Default()
	}
	return &http.Server{
		Addr:              addr,
		Handler:           idleWrites(h, WriteIdle),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.With("component", "links").Handler(), slog.LevelWarn),
	}
}
