package httpapi

import (
	"context"
	"encoding/json"
	"net/http"

	"reelvault/backend/archive"
	"reelvault/backend/fail"

	"reelvault/backend/live"
	"reelvault/backend/wire"
)

func (s *Server) routeLive(mux *http.ServeMux) {
	if s.Live == nil {
		return
	}
	s.routeLiveHealth(mux)
	mux.HandleFunc("POST /video/v1/live-streams", s.createLiveStream)
	mux.HandleFunc("GET /video/v1/live-streams", s.listLiveStreams)
	mux.HandleFunc("GET /video/v1/live-streams/{id}", s.getLiveStream)
	mux.HandleFunc("PATCH /video/v1/live-streams/{id}", s.updateLiveStream)
	mux.HandleFunc("DELETE /video/v1/live-streams/{id}", s.deleteLiveStream)
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/complete", s.liveAction(s.Live.Complete))
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/disable", s.liveAction(s.Live.Disable))
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/enable", s.liveAction(s.Live.Enable))
	mux.HandleFunc("POST /video/v1/live-streams/{id}/reset-stream-key", s.resetStreamKey)
	mux.HandleFunc("PUT /video/v1/live-streams/{id}/new-asset-settings/static-renditions", s.putLiveStaticRenditions)
	mux.HandleFunc("DELETE /video/v1/live-streams/{id}/new-asset-settings/static-renditions", s.deleteLiveStaticRenditions)
}

type liveStreamBody struct {
	ReconnectWindow       *float64            `json:"reconnect_window"`
	NewAssetSettings      *wire.AssetSettings `json:"new_asset_settings"`
	Passthrough           *string             `json:"passthrough"`
	LatencyMode           *string             `json:"latency_mode"`
	LowLatency            *bool               `json:"low_latency"`     // Mux's deprecated latency_mode "low"
	ReducedLatency        *bool               `json:"reduced_latency"` // Mux's deprecated latency_mode "reduced"
	Test                  bool                `json:"test"`            // accepted: nothing is limited or deleted, nothing being billed
	MaxContinuousDuration *int                `json:"max_continuous_duration"`
	Meta                  *struct {
		Title *string `json:"title"`
	} `json:"meta"`
	// Title is what Mux's CLI (2.0.1) sends for `mux live update --title`: meta.title.
	Title *string `json:"title"`

	// The stream's own playback IDs (thumbnails of its latest recording).
	PlaybackPolicies []string        `json:"playback_policies"`
	PlaybackPolicy   wire.StringList `json:"playback_policy"`

	// Mux's live features a local recorder does not do: refused by check.
	SimulcastTargets           json.RawMessage `json:"simulcast_targets"`
	EmbeddedSubtitles          json.RawMessage `json:"embedded_subtitles"`
	GeneratedSubtitles         json.RawMessage `json:"generated_subtitles"`
	AudioOnly                  bool            `json:"audio_only"`
	ReconnectSlateURL          string          `json:"reconnect_slate_url"`
	UseSlateForStandardLatency bool            `json:"use_slate_for_standard_latency"`
}

// title is meta.title, nil when not given.
func (b liveStreamBody) title() *string {
	if b.Meta == nil || b.Meta.Title == nil {
		return b.Title
	}
	return b.Meta.Title
}

// latencyMode is latency_mode, or what Mux's deprecated low_latency and
// reduced_latency ask for; nil when none is given.
func (b liveStreamBody) latencyMode() (*string, error) {
	low, reduced := b.LowLatency != nil && *b.LowLatency, b.ReducedLatency != nil && *b.ReducedLatency
	switch {
	case (low || reduced) && b.LatencyMode != nil:
		return nil, &fail.InvalidError{Message: "give latency_mode or the deprecated low_latency / reduced_latency, not both"}
	case low && reduced:
		return nil, &fail.InvalidError{Message: "low_latency and reduced_latency cannot both be true"}
	case low:
		m := "low"
		return &m, nil
	case reduced:
		m := "reduced"
		return &m, nil
	}
	return b.LatencyMode, nil
}

// policies is every playback policy asked for, in both spellings.
func (b liveStreamBody) policies() []string {
	return append(append([]string{}, b.PlaybackPolicies...), b.PlaybackPolicy...)
}

// check refuses, naming it, what the body asks that Reelvault does not do.
func (b liveStreamBody) check() error {
	if err := wire.CheckPolicies(b.policies()); err != nil {
		return err
	}
	if b.NewAssetSettings != nil {
		if err := b.NewAssetSettings.Check(); err != nil {
			return fail.Within("new_asset_settings", err)
		}
	}
	switch {
	case b.Title != nil && b.Meta != nil && b.Meta.Title != nil && *b.Title != *b.Meta.Title:
		return &fail.InvalidError{Message: "title and meta.title differ: give one (title is meta.title)"}
	case wire.Given(b.SimulcastTargets):
		return fail.Invalid("simulcast_targets", "are not supported: Reelvault records streams, it does not restream them")
	case wire.Given(b.EmbeddedSubtitles):
		return fail.Invalid("embedded_subtitles", "are not supported: recordings keep video and audio only")
	case wire.Given(b.GeneratedSubtitles):
		return fail.Invalid("generated_subtitles", "are not supported: Reelvault does not transcribe")
	case b.AudioOnly:
		return fail.Invalid("audio_only", "is not supported: recordings are video streams")
	case b.ReconnectSlateURL != "" || b.UseSlateForStandardLatency:
		return fail.Invalid("reconnect_slate_url", "slates are not supported: there is no playback to fill")
	}
	return nil
}

func (s *Server) createLiveStream(w http.ResponseWriter, r *http.Request) {
	var body liveStreamBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	latency, err := body.latencyMode()
	if err == nil {
		err = body.check()
	}
	if err != nil {
		s.answerError(w, err)
		return
	}
	p := live.CreateParams{ReconnectWindow: body.ReconnectWindow, NewAssetSettings: liveSettings(body.NewAssetSettings),
		MaxContinuousDuration: body.MaxContinuousDuration, PlaybackPolicies: body.policies()}
	if body.Passthrough != nil {
		p.Passthrough = *body.Passthrough
	}
	if latency != nil {
		p.LatencyMode = *latency
	}
	if t := body.title(); t != nil {
		p.Title = *t
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
	latency, err := body.latencyMode()
	if err == nil {
		err = body.check()
	}
	if err != nil {
		s.answerError(w, err)
		return
	}
	st, err := s.Live.Update(r.Context(), r.PathValue("id"), live.UpdateParams{
		ReconnectWindow: body.ReconnectWindow, NewAssetSettings: liveSettings(body.NewAssetSettings),
		Passthrough: body.Passthrough, LatencyMode: latency, MaxContinuousDuration: body.MaxContinuousDuration,
		Title: body.title(),
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
	return &live.AssetSettings{AssetSettings: b.Settings()}
}

// putLiveStaticRenditions sets the static renditions each recording of the
// stream gets, leaving its other new_asset_settings as they are.
func (s *Server) putLiveStaticRenditions(w http.ResponseWriter, r *http.Request) {
	var body struct {
		StaticRenditions *[]wire.StaticRenditionRequest `json:"static_renditions"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	if body.StaticRenditions == nil {
		s.answerError(w, fail.Invalid("static_renditions", `is required: a list of {"resolution": ...}`))
		return
	}
	renditions := wire.AssetSettings{StaticRenditions: *body.StaticRenditions}.Settings().StaticRenditions
	if renditions == nil {
		renditions = []archive.RenditionRequest{}
	}
	st, err := s.Live.Update(r.Context(), r.PathValue("id"), live.UpdateParams{StaticRenditions: &renditions})
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewLiveStream(s.Live.State(st)))
}

// deleteLiveStaticRenditions stops making static renditions of the stream's recordings.
func (s *Server) deleteLiveStaticRenditions(w http.ResponseWriter, r *http.Request) {
	none := []archive.RenditionRequest{}
	if _, err := s.Live.Update(r.Context(), r.PathValue("id"), live.UpdateParams{StaticRenditions: &none}); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}
