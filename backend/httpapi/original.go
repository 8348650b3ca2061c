package httpapi

import (
	"net/http"
	"os"
	"path/filepath"

	"reelvault/backend/archive"
	"reelvault/backend/links"
)

// The uploaded original Reelvault keeps as an asset's input (the user's only
// copy): what it is, and its bytes, for the asset panel.
func (s *Server) routeOriginal(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/v1/assets/{id}/original", s.originalInfo)
	mux.HandleFunc("GET /ui/v1/assets/{id}/original/file", s.originalFile)
}

type original struct {
	Name        string `json:"name"` // as the user knew it (the upload's file_name), else the title and extension
	Size        int64  `json:"size"`
	DownloadURL string `json:"download_url"`
	path        string
}

// keptOriginal finds an upload's kept file; a 404 for assets whose input is the user's own file.
func (s *Server) keptOriginal(w http.ResponseWriter, r *http.Request) (original, bool) {
	a, err := s.Archive.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return original{}, false
	}
	st, err := os.Stat(a.Input)
	if a.Source != archive.SourceUpload || err != nil || !st.Mode().IsRegular() {
		writeError(w, http.StatusNotFound, errNotFound, "this asset keeps no uploaded original")
		return original{}, false
	}
	name := ""
	if a.UploadID != "" && s.Ingest != nil {
		if u, err := s.Ingest.GetUpload(r.Context(), a.UploadID); err == nil {
			name = u.FileName
		}
	}
	if name == "" {
		name = links.SafeFileNameExt(a.Title(), filepath.Ext(a.Input))
	}
	return original{Name: name, Size: st.Size(), DownloadURL: "/ui/v1/assets/" + a.ID + "/original/file", path: a.Input}, true
}

func (s *Server) originalInfo(w http.ResponseWriter, r *http.Request) {
	if o, ok := s.keptOriginal(w, r); ok {
		writeData(w, http.StatusOK, o)
	}
}

// originalFile sends the kept original under the name the user knew (Range requests work).
func (s *Server) originalFile(w http.ResponseWriter, r *http.Request) {
	o, ok := s.keptOriginal(w, r)
	if !ok {
		return
	}
	f, err := os.Open(o.path)
	if err != nil {
		s.answerError(w, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.answerError(w, err)
		return
	}
	w.Header().Set("Content-Disposition", links.ContentDisposition(o.Name))
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "", st.ModTime(), f)
}
