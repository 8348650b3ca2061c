package httpapi

import (
	"encoding/json"
	"net/http"

	"reelvault/backend/ingest"
	"reelvault/backend/wire"
)

// routeIngest adds the authenticated ingest endpoints: Mux's direct uploads,
// the UI's watch folders and dropped paths. The upload URLs themselves are
// served by withUploadURLs, outside authentication.
func (s *Server) routeIngest(mux *http.ServeMux) {
	if s.Ingest == nil {
		return
	}
	mux.HandleFunc("POST /video/v1/uploads", s.createUpload)
	mux.HandleFunc("GET /video/v1/uploads", s.listUploads)
	mux.HandleFunc("GET /video/v1/uploads/{id}", s.getUpload)
	mux.HandleFunc("PUT /video/v1/uploads/{id}/cancel", s.cancelUpload)
	s.routeWatchFolders(mux)
	mux.HandleFunc("POST /ui/v1/ingest-paths", s.ingestPaths)
}

func (s *Server) createUpload(w http.ResponseWriter, r *http.Request) {
	var body struct {
		NewAssetSettings json.RawMessage `json:"new_asset_settings"`
		Timeout          *int64          `json:"timeout"`
		CORSOrigin       string          `json:"cors_origin"`
		Test             bool            `json:"test"`
		FileName         string          `json:"file_name"` // Reelvault's: the name the file had
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	settings, err := wire.EchoNewAssetSettings(body.NewAssetSettings) // stored and shown in Mux's form
	if err != nil {
		s.answerError(w, err)
		return
	}
	p := ingest.UploadParams{NewAssetSettings: settings, CORSOrigin: body.CORSOrigin, Test: body.Test, Notify: byPerson(r),
		FileName: body.FileName}
	if body.Timeout != nil {
		p.Timeout = *body.Timeout
		if p.Timeout == 0 {
			p.Timeout = -1 // an explicit 0 is out of range, not "the default"
		}
	}
	u, err := s.Ingest.CreateUpload(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, s.uploadJSON(u))
}

func (s *Server) listUploads(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		s.answerError(w, err)
		return
	}
	uploads, err := s.Ingest.ListUploads(r.Context(), pg.Limit, pg.Page)
	if err != nil {
		s.answerError(w, err)
		return
	}
	views := make([]wire.Upload, len(uploads))
	for i, u := range uploads {
		views[i] = s.uploadJSON(u)
	}
	writeList(w, views, "")
}

func (s *Server) getUpload(w http.ResponseWriter, r *http.Request) {
	u, err := s.Ingest.GetUpload(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.uploadJSON(u))
}

func (s *Server) cancelUpload(w http.ResponseWriter, r *http.Request) {
	u, err := s.Ingest.CancelUpload(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.uploadJSON(u))
}

// uploadJSON is u as the API shows it now.
func (s *Server) uploadJSON(u ingest.Upload) wire.Upload {
	return wire.NewUpload(s.Ingest.UploadState(u))
}
