package httpapi

import (
	"net/http"

	"reelvault/backend/wire"
)

func (s *Server) routeWhoami(mux *http.ServeMux) {
	mux.HandleFunc("GET /system/v1/whoami", s.whoami)
}

// whoami answers Mux's description of the access token; `mux login` calls
// it to check the credentials it was given.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	id, name := "reelvault", "Reelvault"
	if s.Webhooks != nil {
		if envID, envName := s.Webhooks.Environment(); envID != "" {
			id, name = envID, envName
		}
	}
	writeData(w, http.StatusOK, wire.NewWhoami(id, name))
}
