package httpapi

import (
	"net/http"

	"reelvault/backend/sharing"
	"reelvault/backend/wire"
)

// Reelvault's own: share links, one per recipient, beside Mux's master
// links (docs/api.md, "Share links").
func (s *Server) routeShareLinks(mux *http.ServeMux) {
	if s.Sharing == nil {
		return
	}
	mux.HandleFunc("POST /reelvault/v1/share-links", s.createShareLink)
	mux.HandleFunc("GET /reelvault/v1/share-links", s.listShareLinks)
	mux.HandleFunc("GET /reelvault/v1/share-links/{id}", s.getShareLink)
	mux.HandleFunc("PATCH /reelvault/v1/share-links/{id}", s.updateShareLink)
	mux.HandleFunc("DELETE /reelvault/v1/share-links/{id}", s.revokeShareLink)
	mux.HandleFunc("GET /reelvault/v1/share-links/{id}/downloads", s.listShareDownloads)
	mux.HandleFunc("GET /reelvault/v1/share-settings", s.getShareSettings)
	mux.HandleFunc("PATCH /reelvault/v1/share-settings", s.updateShareSettings)
}

func (s *Server) getShareSettings(w http.ResponseWriter, r *http.Request) {
	writeData(w, http.StatusOK, wire.ShareSettings{SenderName: s.Sharing.Sender(r.Context())})
}

// updateShareSettings sets the name landing pages show; "" is the host name.
func (s *Server) updateShareSettings(w http.ResponseWriter, r *http.Request) {
	var req wire.ShareSettings
	if err := decodeJSON(w, r, &req); err != nil {
		s.answerError(w, err)
		return
	}
	if err := s.Sharing.SetSender(r.Context(), req.SenderName); err != nil {
		s.answerError(w, err)
		return
	}
	s.getShareSettings(w, r)
}

func (s *Server) createShareLink(w http.ResponseWriter, r *http.Request) {
	var req wire.ShareLinkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.answerError(w, err)
		return
	}
	exp, err := req.Expiry()
	if err != nil {
		s.answerError(w, err)
		return
	}
	p := sharing.CreateParams{AssetIDs: req.AssetIDs, Expiry: exp, Password: req.Password, Kinds: req.Files}
	if req.Label != nil {
		p.Label = *req.Label
	}
	if req.MaxDownloads != nil {
		p.MaxDownloads = *req.MaxDownloads
	}
	v, err := s.Sharing.Create(r.Context(), p)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewShareLink(v))
}

func (s *Server) listShareLinks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, err := wire.ParsePage(q)
	if err != nil {
		s.answerError(w, err)
		return
	}
	ls, err := s.Sharing.List(r.Context(), q.Get("asset_id"), pg.Limit, pg.Page)
	if err != nil {
		s.answerError(w, err)
		return
	}
	out := make([]wire.ShareLink, 0, len(ls))
	for _, l := range ls {
		v, err := s.Sharing.View(r.Context(), l)
		if err != nil {
			s.answerError(w, err)
			return
		}
		out = append(out, wire.NewShareLink(v))
	}
	writeList(w, out, "")
}

func (s *Server) getShareLink(w http.ResponseWriter, r *http.Request) {
	l, err := s.Sharing.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	v, err := s.Sharing.View(r.Context(), l)
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewShareLink(v))
}

func (s *Server) updateShareLink(w http.ResponseWriter, r *http.Request) {
	var req wire.ShareLinkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.answerError(w, err)
		return
	}
	exp, err := req.Expiry()
	if err != nil {
		s.answerError(w, err)
		return
	}
	v, err := s.Sharing.Update(r.Context(), r.PathValue("id"),
		sharing.UpdateParams{Label: req.Label, Expiry: exp, MaxDownloads: req.MaxDownloads})
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewShareLink(v))
}

func (s *Server) revokeShareLink(w http.ResponseWriter, r *http.Request) {
	if err := s.Sharing.Revoke(r.Context(), r.PathValue("id")); err != nil {
		s.answerError(w, err)
		return
	}
	noContent(w)
}

func (s *Server) listShareDownloads(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		s.answerError(w, err)
		return
	}
	ds, err := s.Sharing.Downloads(r.Context(), r.PathValue("id"), pg.Limit, pg.Page)
	if err != nil {
		s.answerError(w, err)
		return
	}
	out := make([]wire.ShareDownload, 0, len(ds))
	for _, d := range ds {
		out = append(out, wire.NewShareDownload(d))
	}
	writeList(w, out, "")
}
