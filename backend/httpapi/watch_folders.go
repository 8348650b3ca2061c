package httpapi

import (
	"net/http"

	"reelvault/backend/ingest"
	"reelvault/backend/wire"
)

func (s *Server) routeWatchFolders(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/v1/watch-folders", s.listWatchFolders)
	mux.HandleFunc("POST /ui/v1/watch-folders", s.createWatchFolder)
	mux.HandleFunc("GET /ui/v1/watch-folders/{id}", s.getWatchFolder)
	mux.HandleFunc("PATCH /ui/v1/watch-folders/{id}", s.updateWatchFolder)
	mux.HandleFunc("DELETE /ui/v1/watch-folders/{id}", s.deleteWatchFolder)
}

// watchFolderBody is a watch folder's settings in a request; absent fields
// keep their value (or default).
type watchFolderBody struct {
	Path              *string `json:"path"`
	MaxResolutionTier *string `json:"max_resolution_tier"`
	MasterAccess      *string `json:"master_access"`
	VideoQuality      *string `json:"video_quality"`
	After             *string `json:"after"`
	DonePath          *string `json:"done_path"`
}

func (b watchFolderBody) params() ingest.FolderParams {
	return ingest.FolderParams{Path: b.Path, MaxResolutionTier: b.MaxResolutionTier, MasterAccess: b.MasterAccess,
		VideoQuality: b.VideoQuality, After: b.After, DonePath: b.DonePath}
}

func (s *Server) listWatchFolders(w http.ResponseWriter, r *http.Request) {
	folders, err := s.Ingest.ListFolders(r.Context())
	if err != nil {
		s.answerError(w, err)
		return
	}
	views := make([]wire.WatchFolder, 0, len(folders))
	for _, f := range folders {
		st, err := s.Ingest.FolderState(r.Context(), f)
		if err != nil {
			s.answerError(w, err)
			return
		}
		views = append(views, wire.NewWatchFolder(st))
	}
	writeList(w, views, "")
}

func (s *Server) createWatchFolder(w http.ResponseWriter, r *http.Request) {
	var body watchFolderBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	f, err := s.Ingest.AddFolder(r.Context(), body.params())
	s.answerWatchFolder(w, r, http.StatusCreated, f, err)
}

func (s *Server) getWatchFolder(w http.ResponseWriter, r *http.Request) {
	f, err := s.Ingest.GetFolder(r.Context(), r.PathValue("id"))
	s.answerWatchFolder(w, r, http.StatusOK, f, err)
}

func (s *Server) updateWatchFolder(w http.ResponseWriter, r *http.Request) {
	var body watchFolderBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	f, err := s.Ingest.UpdateFolder(r.Context(), r.PathValue("id"), body.params())
	s.answerWatchFolder(w, r, http.StatusOK, f, err)
}

func (s *Server) deleteWatchFolder(w http.ResponseWriter, r *http.Request) {
	if err := s.Ingest.RemoveFolder(r.Context(), r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

func (s *Server) answerWatchFolder(w http.ResponseWriter, r *http.Request, status int, f ingest.Folder, err error) {
	if err != nil {
		s.answerError(w, err)
		return
	}
	st, err := s.Ingest.FolderState(r.Context(), f)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, status, wire.NewWatchFolder(st))
}
