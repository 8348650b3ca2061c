package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
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
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	flusher.Flush()
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case c := <-changes:
			b, _ := json.Marshal(c)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", c.Kind, b)
		}
		flusher.Flush()
	}
}
