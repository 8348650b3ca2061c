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
	_, ok := w.(http.Flusher)
	if !ok || s.Feed == nil {
		writeError(w, http.StatusNotImplemented, errFailed, "live updates are not available here; poll instead")
		return
	}
	changes, stop := s.Feed.Subscribe()
	defer stop()
	serveEventStream(w, r, "retry: 2000\n: connected\n\n", changes, func(c feed.Change) {
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", c.Kind, b)
	})
}

// streamWriteTimeout is how long one event may take to reach a client: a client that stops
// reading is let go, instead of holding its connection and goroutines for ever.
var streamWriteTimeout = time.Minute

// serveEventStream answers server-sent events: the preamble, then write for
// each value from ch until it closes or the client goes, and a keep-alive
// comment every 25 s so proxies and clients see the connection is alive.
// Each write has its own deadline; one that fails ends the stream.
func serveEventStream[T any](w http.ResponseWriter, r *http.Request, preamble string, ch <-chan T, write func(T)) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	send := func(f func()) bool {
		// A writer without deadlines (a test recorder) still streams.
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		f()
		if err := rc.Flush(); err != nil {
			return false
		}
		return r.Context().Err() == nil
	}
	if !send(func() { fmt.Fprint(w, preamble) }) {
		return
	}
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		var ok bool
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			ok = send(func() { fmt.Fprint(w, ": keep-alive\n\n") })
		case v, open := <-ch:
			if !open {
				return
			}
			ok = send(func() { write(v) })
		}
		if !ok {
			return
		}
	}
}
