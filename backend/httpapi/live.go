package httpapi

import (
	"context"
	"net/http"

	"reelvault/backend/live"
	"reelvault/backend/wire"
)

func (s *Server) routeLive(mux *http.ServeMux) {
	if s.Live == nil {
		return
	}
	mux.HandleFunc("POST /video/v1/live-streams", s.createLiveStream)
	mux.HandleFunc("GET /video/v1/live-streams", s.listLiveStreams)
	mux.HandleFunc("GET /video/v1/live-streams/{id}", s.getLiveStream)
	mux.HandleFunc("PATCH /video/v1/live-streams/{id}", s.updateLiveStream)
	mux.HandleFunc("DELETE /video/v1/live-streams/{id}", s.deleteLiveStream)
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/complete", s.liveAction(s.Live.Complete))
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/disable", s.liveAction(s.Live.Disable))
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/enable", s.liveAction(s.Live.Enable))
	mux.HandleFunc("POST /video/v1/live-streams/{id}/reset-stream-key", s.resetStreamKey)
}

type liveStreamBody struct {
	ReconnectWindow       *float64            `json:"reconnect_window"`
	NewAssetSettings      *wire.AssetSettings `json:"new_asset_settings"`
	Passthrough           *string             `json:"passthrough"`
	LatencyMode           *string             `json:"latency_mode"`
	MaxContinuousDuration *int                `json:"max_continuous_duration"`
}

func (s *Server) createLiveStream(w http.ResponseWriter, r *http.Request) {
	var body liveStreamBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	p := live.CreateParams{ReconnectWindow: body.ReconnectWindow, NewAssetSettings: liveSettings(body.NewAssetSettings),
		MaxContinuousDuration: body.MaxContinuousDuration}
	if body.Passthrough != nil {
		p.Passthrough = *body.Passthrough
	}
	if body.LatencyMode != nil {
		p.LatencyMode = *body.LatencyMode
	}
	st, err := s.Live.Create(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewLiveStream(s.Live.State(st)))
}

func (s *Server) listLiveStreams(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := live.ListParams{Status: q.Get("status"), StreamKey: q.Get("stream_key")}
	pg, err := wire.ParsePage(q)
	p.Limit, p.Page = pg.Limit, pg.Page
	if err != nil {
		s.answerError(w, err)
		return
	}
	streams, err := s.Live.List(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	views := make([]wire.LiveStream, len(streams))
	for i, st := range streams {
		views[i] = wire.NewLiveStream(s.Live.State(st))
	}
	writeList(w, views, "")
}

func (s *Server) getLiveStream(w http.ResponseWriter, r *http.Request) {
	st, err := s.Live.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewLiveStream(s.Live.State(st)))
}

func (s *Server) updateLiveStream(w http.ResponseWriter, r *http.Request) {
	var body liveStreamBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	st, err := s.Live.Update(r.Context(), r.PathValue("id"), live.UpdateParams{
		ReconnectWindow: body.ReconnectWindow, NewAssetSettings: liveSettings(body.NewAssetSettings),
		Passthrough: body.Passthrough, LatencyMode: body.LatencyMode, MaxContinuousDuration: body.MaxContinuousDuration,
	})
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewLiveStream(s.Live.State(st)))
}

func (s *Server) deleteLiveStream(w http.ResponseWriter, r *http.Request) {
	if err := s.Live.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

// liveAction serves complete, disable and enable: Mux answers 200 with an
// empty data object.
func (s *Server) liveAction(action func(ctx context.Context, id string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := action(r.Context(), r.PathValue("id")); err != nil {
			s.answerError(w, err)
			return
		}
		writeData(w, http.StatusOK, struct{}{})
	}
}

func (s *Server) resetStreamKey(w http.ResponseWriter, r *http.Request) {
	st, err := s.Live.ResetStreamKey(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewLiveStream(s.Live.State(st)))
}

// liveSettings is a live stream's new_asset_settings, nil when not given.
func liveSettings(b *wire.AssetSettings) *live.AssetSettings {
	if b == nil {
		return nil
	}
	return &live.AssetSettings{AssetSettings: b.Settings(), PlaybackPolicies: b.PlaybackPolicies}
}
