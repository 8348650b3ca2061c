package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"reelvault/backend/feed"
)

// stream sends the change feed as server-sent events (GET /ui/v1/stream).
// The browser's EventSource reconnects by itself if the connection drops.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok || s.Feed == nil {
		writeError(w, http.StatusNotImplemented, errFailed, "live updates are not available here; poll instead")
		return
	}
	changes, stop := s.Feed.Subscribe()
	defer stop()
	serveEventStream(w, r, flusher, "retry: 2000\n: connected\n\n", changes, func(c feed.Change) {
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", c.Kind, b)
	})
}

// serveEventStream answers server-sent events: the preamble, then write for
// each value from ch until it closes or the client goes, and a keep-alive
// comment every 25 s so proxies and clients see the connection is alive.
func serveEventStream[T any](w http.ResponseWriter, r *http.Request, flusher http.Flusher, preamble string, ch <-chan T, write func(T)) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	fmt.Fprint(w, preamble)
	flusher.Flush()
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case v, open := <-ch:
			if !open {
				return
			}
			write(v)
		}
		flusher.Flush()
	}
}
