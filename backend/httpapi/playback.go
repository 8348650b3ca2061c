package httpapi

import (
	"context"
	"net/http"

	"reelvault/backend/fail"
	"reelvault/backend/playback"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

func (s *Server) routePlayback(mux *http.ServeMux) {
	if s.Playback == nil {
		return
	}
	mux.HandleFunc("POST /video/v1/assets/{id}/playback-ids", s.createPlaybackID(s.Archive.AddPlaybackID))
	mux.HandleFunc("GET /video/v1/assets/{id}/playback-ids/{pid}", s.getPlaybackID(s.Archive.PlaybackID))
	mux.HandleFunc("DELETE /video/v1/assets/{id}/playback-ids/{pid}", s.deletePlaybackID(s.Archive.DeletePlaybackID))
	if s.Live != nil {
		mux.HandleFunc("POST /video/v1/live-streams/{id}/playback-ids", s.createPlaybackID(s.Live.AddPlaybackID))
		mux.HandleFunc("GET /video/v1/live-streams/{id}/playback-ids/{pid}", s.getPlaybackID(s.Live.PlaybackID))
		mux.HandleFunc("DELETE /video/v1/live-streams/{id}/playback-ids/{pid}", s.deletePlaybackID(s.Live.DeletePlaybackID))
	}
	mux.HandleFunc("GET /video/v1/playback-ids/{pid}", s.lookupPlaybackID)
	// Mux's URL signing keys, under /system/v1 and the older /video/v1.
	for _, base := range []string{"/system/v1/signing-keys", "/video/v1/signing-keys"} {
		mux.HandleFunc("POST "+base, s.createSigningKey)
		mux.HandleFunc("GET "+base, s.listSigningKeys)
		mux.HandleFunc("GET "+base+"/{kid}", s.getSigningKey)
		mux.HandleFunc("DELETE "+base+"/{kid}", s.deleteSigningKey)
	}
}

func (s *Server) createPlaybackID(add func(ctx context.Context, objectID, policy string) (playback.ID, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Policy             string `json:"policy"`
			DRMConfigurationID string `json:"drm_configuration_id"`
		}
		if err := decodeJSON(w, r, &body); err != nil {
			s.answerError(w, err)
			return
		}
		if body.DRMConfigurationID != "" {
			s.answerError(w, fail.Invalid("drm_configuration_id", "is not supported: a local archive has no DRM license service"))
			return
		}
		if body.Policy == "" {
			body.Policy = playback.Public // as Mux's API reference gives it
		}
		id, err := add(r.Context(), r.PathValue("id"), body.Policy)
		if err != nil {
			s.answerError(w, err)
			return
		}
		writeData(w, http.StatusCreated, wire.PlaybackID{ID: id.ID, Policy: id.Policy})
	}
}

func (s *Server) getPlaybackID(get func(ctx context.Context, objectID, pid string) (playback.ID, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := get(r.Context(), r.PathValue("id"), r.PathValue("pid"))
		if err != nil {
			s.answerError(w, err)
			return
		}
		writeData(w, http.StatusOK, wire.PlaybackID{ID: id.ID, Policy: id.Policy})
	}
}

func (s *Server) deletePlaybackID(del func(ctx context.Context, objectID, pid string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := del(r.Context(), r.PathValue("id"), r.PathValue("pid")); err != nil {
			s.answerError(w, err)
			return
		}
		noContent(w)
	}
}

func (s *Server) lookupPlaybackID(w http.ResponseWriter, r *http.Request) {
	id, err := s.Playback.Lookup(r.Context(), r.PathValue("pid"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewPlaybackIDObject(id))
}

func (s *Server) createSigningKey(w http.ResponseWriter, r *http.Request) {
	k, private, err := s.Playback.CreateKey(r.Context())
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewSigningKey(k, private))
}

func (s *Server) listSigningKeys(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		s.answerError(w, err)
		return
	}
	limit, page, err := store.NormalizePage(pg.Limit, pg.Page)
	if err != nil {
		s.answerError(w, err)
		return
	}
	keys, err := s.Playback.ListKeys(r.Context(), limit, page)
	if err != nil {
		s.answerError(w, err)
		return
	}
	out := make([]wire.SigningKey, 0, len(keys))
	for _, k := range keys {
		out = append(out, wire.NewSigningKey(k, ""))
	}
	writeList(w, out, "")
}

func (s *Server) getSigningKey(w http.ResponseWriter, r *http.Request) {
	k, err := s.Playback.GetKey(r.Context(), r.PathValue("kid"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewSigningKey(k, ""))
}

func (s *Server) deleteSigningKey(w http.ResponseWriter, r *http.Request) {
	if err := s.Playback.DeleteKey(r.Context(), r.PathValue("kid")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}
