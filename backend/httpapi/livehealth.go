package httpapi

import (
	"bytes"
	"net/http"

	"reelvault/backend/wire"
)

// routeLiveHealth serves a live stream's health and preview to the window,
// behind the UI's login like everything under /ui/v1.
func (s *Server) routeLiveHealth(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/v1/live-streams/{id}/health", s.liveHealth)
	mux.HandleFunc("GET /ui/v1/live-streams/{id}/preview.jpg", s.livePreview)
}

// liveHealth is the publisher's health while one is connected; an unknown
// stream is a 404, a stream with no publisher {"live": false}.
func (s *Server) liveHealth(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.Live.Get(r.Context(), id); err != nil {
		s.answerError(w, err)
		return
	}
	v := wire.NewLiveHealth(id, s.Live.Health(id))
	w.Header().Set("Cache-Control", "no-store")
	writeData(w, http.StatusOK, v)
}

// livePreview is the JPEG of a recent keyframe; 404 when not live or none made yet.
func (s *Server) livePreview(w http.ResponseWriter, r *http.Request) {
	jpeg, at, ok := s.Live.Preview(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, errNotFound, "no preview: the stream is not live, or its first picture is not ready")
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "preview.jpg", at, bytes.NewReader(jpeg))
}
