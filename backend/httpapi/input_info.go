package httpapi

import (
	"net/http"

	"reelvault/backend/wire"
)

func (s *Server) routeInputInfo(mux *http.ServeMux) {
	mux.HandleFunc("GET /video/v1/assets/{id}/input-info", s.getInputInfo)
}

// getInputInfo answers Mux's input-info from the probe stored when the master was built,
// so it still answers after the original is gone.
func (s *Server) getInputInfo(w http.ResponseWriter, r *http.Request) {
	a, err := s.Archive.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewInputInfo(a.Input, a.InputInfo, a.MasterInfo))
}
