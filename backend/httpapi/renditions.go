package httpapi

import (
	"fmt"
	"net/http"
	"os"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/links"
	"reelvault/backend/wire"
)

// Mux's static renditions API: proxies of the master, made in the background
// once it is ready (archive.Rendition), and mp4_support, which maps onto them.
func (s *Server) routeRenditions(mux *http.ServeMux) {
	mux.HandleFunc("POST /video/v1/assets/{id}/static-renditions", s.createRendition)
	mux.HandleFunc("GET /video/v1/assets/{id}/static-renditions", s.listRenditions)
	mux.HandleFunc("GET /video/v1/assets/{id}/static-renditions/{rid}", s.getRendition)
	mux.HandleFunc("DELETE /video/v1/assets/{id}/static-renditions/{rid}", s.deleteRendition)
	mux.HandleFunc("PUT /video/v1/assets/{id}/mp4-support", s.putMP4Support)
	mux.HandleFunc("GET "+wire.RenditionPlayURL("{id}", "{rid}"), s.renditionFile)
}

// writeRendition answers with one rendition as the API shows it, or with err.
func (s *Server) writeRendition(w http.ResponseWriter, r *http.Request, status int, rn archive.Rendition, err error) {
	var a archive.Asset
	if err == nil {
		a, err = s.Archive.Get(r.Context(), rn.AssetID)
	}
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, status, s.Assets.Rendition(a, rn, s.Archive.Now()))
}

func (s *Server) createRendition(w http.ResponseWriter, r *http.Request) {
	var body wire.StaticRenditionRequest
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	rn, err := s.Archive.CreateRendition(r.Context(), r.PathValue("id"),
		archive.RenditionRequest{Resolution: body.Resolution, Passthrough: body.Passthrough})
	s.writeRendition(w, r, http.StatusCreated, rn, err)
}

// listRenditions lists an asset's renditions made through this API (Mux's
// list has no pages: an asset has a handful at most).
func (s *Server) listRenditions(w http.ResponseWriter, r *http.Request) {
	a, err := s.Archive.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	out := []wire.StaticRendition{}
	now := s.Archive.Now()
	for _, rn := range a.Renditions {
		if !rn.Legacy {
			out = append(out, s.Assets.Rendition(a, rn, now))
		}
	}
	writeData(w, http.StatusOK, out)
}

func (s *Server) getRendition(w http.ResponseWriter, r *http.Request) {
	rn, err := s.Archive.Rendition(r.Context(), r.PathValue("id"), r.PathValue("rid"))
	s.writeRendition(w, r, http.StatusOK, rn, err)
}

func (s *Server) deleteRendition(w http.ResponseWriter, r *http.Request) {
	if err := s.Archive.DeleteRendition(r.Context(), r.PathValue("id"), r.PathValue("rid")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

func (s *Server) putMP4Support(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MP4Support *string `json:"mp4_support"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	if body.MP4Support == nil {
		s.answerError(w, fail.Invalid("mp4_support", "is required: one of %q", archive.MP4Supports))
		return
	}
	a, err := s.Archive.SetMP4Support(r.Context(), r.PathValue("id"), *body.MP4Support)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, s.assetJSON(a))
}

// renditionFile serves a ready rendition to the window's player and its
// download button, behind the UI's login like everything under /ui/v1.
func (s *Server) renditionFile(w http.ResponseWriter, r *http.Request) {
	rn, err := s.Archive.Rendition(r.Context(), r.PathValue("id"), r.PathValue("rid"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	if rn.Status != archive.RenditionReady {
		s.answerError(w, archive.ErrRenditionNotFound)
		return
	}
	a, err := s.Archive.Get(r.Context(), rn.AssetID)
	if err != nil {
		s.answerError(w, err)
		return
	}
	f, err := os.Open(s.Archive.RenditionFile(rn))
	if err != nil {
		s.answerError(w, fmt.Errorf("opening the rendition: %w", err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.answerError(w, fmt.Errorf("reading the rendition's size: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", rn.MimeType())
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Has("download") {
		h.Set("Content-Disposition", links.ContentDisposition(rn.DownloadName(a.Title())))
	}
	http.ServeContent(w, r, rn.Name, st.ModTime(), f)
}
