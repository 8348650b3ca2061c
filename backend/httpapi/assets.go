package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/wire"
)

func (s *Server) routeAssets(mux *http.ServeMux) {
	mux.HandleFunc("POST /video/v1/assets", s.createAsset)
	mux.HandleFunc("GET /video/v1/assets", s.listAssets)
	mux.HandleFunc("GET /video/v1/assets/{id}", s.getAsset)
	mux.HandleFunc("PATCH /video/v1/assets/{id}", s.updateAsset)
	mux.HandleFunc("DELETE /video/v1/assets/{id}", s.deleteAsset)
	mux.HandleFunc("PUT /video/v1/assets/{id}/master-access", s.putMasterAccess)
	mux.HandleFunc("DELETE /video/v1/assets/{id}/thumbnail-time", s.deleteThumbnailTime)
	mux.HandleFunc("POST /reelvault/v1/assets/{id}/retry", s.retryAsset)
	mux.HandleFunc("POST /reelvault/v1/assets/{id}/rebuild", s.rebuildAsset)
	mux.HandleFunc("DELETE /reelvault/v1/assets/{id}/rebuild", s.cancelRebuild)
}

// inputObject is one of Mux's input objects. Only the first input's url is
// used (the video); the rest of Mux's input settings are read to be refused.
type inputObject struct {
	URL                string          `json:"url"`
	Type               string          `json:"type"`
	StartTime          *float64        `json:"start_time"`
	EndTime            *float64        `json:"end_time"`
	OverlaySettings    json.RawMessage `json:"overlay_settings"`
	GeneratedSubtitles json.RawMessage `json:"generated_subtitles"`
	ClosedCaptions     *bool           `json:"closed_captions"`
	// Mux's names of an input's track (for the video input, its primary
	// audio track): there is no track naming here yet.
	LanguageCode *string `json:"language_code"`
	Name         *string `json:"name"`
	TextType     *string `json:"text_type"`
	Passthrough  *string `json:"passthrough"`
}

// inputField accepts Mux's forms of the deprecated `input`: a string, an
// object {url}, or a list of objects (as `inputs`).
type inputField []inputObject

func (f *inputField) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = inputField{{URL: s}}
		return nil
	}
	var o inputObject
	if err := json.Unmarshal(b, &o); err == nil {
		*f = inputField{o}
		return nil
	}
	var list []inputObject
	if err := json.Unmarshal(b, &list); err != nil {
		return fail.Invalid("input", `must be a path or URL string, an object {"url": "..."} or a list of them`)
	}
	*f = list
	return nil
}

type createAssetBody struct {
	Input  inputField    `json:"input"`
	Inputs []inputObject `json:"inputs"`
	wire.AssetSettings
}

// videoInput is the path or URL of the video the body names, or a 400
// naming what it asks that Reelvault does not do.
func (b createAssetBody) videoInput() (string, error) {
	field, inputs := "inputs", b.Inputs
	switch {
	case b.Input != nil && len(b.Inputs) > 0:
		return "", &fail.InvalidError{Message: "give either input or inputs, not both"}
	case b.Input != nil:
		field, inputs = "input", b.Input
	}
	if len(inputs) == 0 {
		return "", fail.Invalid("inputs", "is required: give the video's path or URL as inputs[0].url")
	}
	for i, in := range inputs {
		name := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case i == 0 && in.Type != "" && in.Type != "video":
			return "", fail.Invalid(name+".type", "the first input is the video; %q is not", in.Type)
		case i > 0 && (in.Type == "audio" || in.Type == "text"):
			return "", fail.Invalid(name+".type", "%s inputs are not supported: the master is built from the first input alone; add tracks to the file before archiving it", in.Type)
		case i > 0:
			return "", fail.Invalid(name, "inputs after the first must be of type audio or text, and those are not supported")
		case in.StartTime != nil || in.EndTime != nil:
			return "", fail.Invalid(name+".start_time", "clipping is not supported: the master keeps the whole input")
		case wire.Given(in.OverlaySettings):
			return "", fail.Invalid(name+".overlay_settings", "are not supported: the master keeps the picture as it is")
		case wire.Given(in.GeneratedSubtitles):
			return "", fail.Invalid(name+".generated_subtitles", "are not supported: Reelvault does not transcribe")
		case in.ClosedCaptions != nil && *in.ClosedCaptions:
			return "", fail.Invalid(name+".closed_captions", "are not supported: captions in the video stream are not made a text track")
		case in.LanguageCode != nil:
			return "", fail.Invalid(name+".language_code", "is not supported: the master's tracks keep the languages the file gives them")
		case in.Name != nil:
			return "", fail.Invalid(name+".name", "is not supported: the master's tracks keep the names the file gives them")
		case in.TextType != nil:
			return "", fail.Invalid(name+".text_type", "is not supported: text inputs are not supported")
		case in.Passthrough != nil:
			return "", fail.Invalid(name+".passthrough", "is not supported: an input's passthrough names a track, and tracks are not added from inputs")
		}
	}
	return inputs[0].URL, nil
}

func (s *Server) createAsset(w http.ResponseWriter, r *http.Request) {
	var body createAssetBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	input, err := body.videoInput()
	if err == nil {
		err = body.Check()
	}
	if err != nil {
		s.answerError(w, err)
		return
	}
	a, err := s.Archive.Create(r.Context(), archive.CreateParams{Input: input, AssetSettings: body.Settings(), Notify: byPerson(r)})
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, s.assetJSON(a))
}

func (s *Server) listAssets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := archive.ListParams{Cursor: q.Get("cursor"), LiveStreamID: q.Get("live_stream_id"),
		UploadID: q.Get("upload_id"), Status: q.Get("status"), Search: q.Get("q"), Order: q.Get("order"),
		OrderBy: q.Get("order_by"), Source: q.Get("source"), Codec: q.Get("codec"), Resolution: q.Get("resolution")}
	pg, err := wire.ParsePage(q)
	p.Limit, p.Page = pg.Limit, pg.Page
	if err != nil {
		s.answerError(w, err)
		return
	}
	assets, next, err := s.Archive.List(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	total, err := s.Archive.Count(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	views := make([]wire.Asset, len(assets))
	for i, a := range assets {
		views[i] = s.assetJSON(a)
	}
	list := wire.NewList(views, next)
	list.Total = &total
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) getAsset(w http.ResponseWriter, r *http.Request) {
	a, err := s.Archive.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.assetJSON(a))
}

func (s *Server) updateAsset(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Passthrough   *string    `json:"passthrough"`
		Meta          *wire.Meta `json:"meta"`
		ThumbnailTime *float64   `json:"thumbnail_time"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	p := archive.UpdateParams{Passthrough: body.Passthrough, ThumbnailTime: body.ThumbnailTime}
	if body.Meta != nil {
		m := body.Meta.Archive()
		p.Meta = &m
	}
	a, err := s.Archive.Update(r.Context(), r.PathValue("id"), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.assetJSON(a))
}

// deleteThumbnailTime is Mux's way back to the default thumbnail frame.
func (s *Server) deleteThumbnailTime(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Archive.Update(r.Context(), r.PathValue("id"), archive.UpdateParams{ClearThumbnailTime: true}); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

func (s *Server) deleteAsset(w http.ResponseWriter, r *http.Request) {
	if err := s.Archive.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

func (s *Server) putMasterAccess(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MasterAccess *string `json:"master_access"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	if body.MasterAccess == nil {
		s.answerError(w, fail.Invalid("master_access", `is required: "temporary" or "none"`))
		return
	}
	a, err := s.Archive.SetMasterAccess(r.Context(), r.PathValue("id"), *body.MasterAccess)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.assetJSON(a))
}

// retryAsset builds a failed asset's master again from the same input (Reelvault's own).
func (s *Server) retryAsset(w http.ResponseWriter, r *http.Request) {
	a, err := s.Archive.Retry(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.assetJSON(a))
}

// rebuildAsset makes a ready asset's master again at another max_resolution_tier
// (Reelvault's own): 202 when a rebuild is queued, 200 when there is nothing to build.
func (s *Server) rebuildAsset(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MaxResolutionTier string `json:"max_resolution_tier"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	a, queued, err := s.Archive.Rebuild(r.Context(), r.PathValue("id"), body.MaxResolutionTier)
	if err != nil {
		s.answerError(w, err)
		return
	}
	status := http.StatusOK
	if queued {
		status = http.StatusAccepted
	}
	writeData(w, status, s.assetJSON(a))
}

// cancelRebuild stops an asset's rebuild (or forgets the one that failed); the master is untouched.
func (s *Server) cancelRebuild(w http.ResponseWriter, r *http.Request) {
	if err := s.Archive.CancelRebuild(r.Context(), r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

// assetJSON is a as the API shows it now.
func (s *Server) assetJSON(a archive.Asset) wire.Asset { return s.Assets.Asset(a, s.Archive.Now()) }
