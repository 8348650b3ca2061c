package httpapi

import (
	"encoding/json"
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
}

// inputField accepts Mux's forms of the input: `input` as a string, `input`
// as an object {url}, or `inputs: [{url}]` (the first is the video).
type inputField struct{ URL string }

func (f *inputField) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		f.URL = s
		return nil
	}
	var o struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return fail.Invalid("input", `must be a path or URL string, or an object {"url": "..."}`)
	}
	f.URL = o.URL
	return nil
}

type createAssetBody struct {
	Input  *inputField  `json:"input"`
	Inputs []inputField `json:"inputs"`
	wire.AssetSettings
}

func (s *Server) createAsset(w http.ResponseWriter, r *http.Request) {
	var body createAssetBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	p := archive.CreateParams{AssetSettings: body.Settings()}
	switch {
	case body.Input != nil && len(body.Inputs) > 0:
		s.answerError(w, &fail.InvalidError{Message: "give either input or inputs, not both"})
		return
	case body.Input != nil:
		p.Input = body.Input.URL
	case len(body.Inputs) > 0:
		p.Input = body.Inputs[0].URL
	default:
		s.answerError(w, fail.Invalid("inputs", "is required: give the video's path or URL as inputs[0].url"))
		return
	}
	a, err := s.Archive.Create(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, s.assetJSON(a))
}

func (s *Server) listAssets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := archive.ListParams{Cursor: q.Get("cursor"), LiveStreamID: q.Get("live_stream_id"),
		UploadID: q.Get("upload_id"), Status: q.Get("status"), Search: q.Get("q"), Order: q.Get("order")}
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
	views := make([]wire.Asset, len(assets))
	for i, a := range assets {
		views[i] = s.assetJSON(a)
	}
	writeList(w, views, next)
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
		Passthrough *string    `json:"passthrough"`
		Meta        *wire.Meta `json:"meta"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	p := archive.UpdateParams{Passthrough: body.Passthrough}
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

// assetJSON is a as the API shows it now.
func (s *Server) assetJSON(a archive.Asset) wire.Asset { return s.Assets.Asset(a, s.Archive.Now()) }
