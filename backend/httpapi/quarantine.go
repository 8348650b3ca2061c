package httpapi

import (
	"net/http"

	"reelvault/backend/wire"
)

// Reelvault's own: the files start-up set aside instead of deleting them,
// for the user to restore into the library or delete.
func (s *Server) routeQuarantine(mux *http.ServeMux) {
	mux.HandleFunc("GET /reelvault/v1/quarantine", s.listQuarantine)
	mux.HandleFunc("POST /reelvault/v1/quarantine/{id}/restore", s.restoreQuarantined)
	mux.HandleFunc("DELETE /reelvault/v1/quarantine/{id}", s.deleteQuarantined)
}

func (s *Server) listQuarantine(w http.ResponseWriter, r *http.Request) {
	items, err := s.Archive.Quarantined()
	if err != nil {
		s.answerError(w, err)
		return
	}
	out := make([]wire.QuarantinedFile, 0, len(items))
	for _, it := range items {
		out = append(out, wire.NewQuarantinedFile(it))
	}
	writeList(w, out, "")
}

// restoreQuarantined answers the new asset the file became.
func (s *Server) restoreQuarantined(w http.ResponseWriter, r *http.Request) {
	a, err := s.Archive.RestoreQuarantined(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, s.assetJSON(a))
}

func (s *Server) deleteQuarantined(w http.ResponseWriter, r *http.Request) {
	if err := s.Archive.DeleteQuarantined(r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}
