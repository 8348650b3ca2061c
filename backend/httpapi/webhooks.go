package httpapi

import (
	"net/http"

	"reelvault/backend/fail"
	"reelvault/backend/webhooks"
	"reelvault/backend/wire"
)

// routeWebhooks serves Mux's system webhooks API and the window's delivery
// log. Nothing is registered when wh is nil (webhooks not wired).
func (s *Server) routeWebhooks(mux *http.ServeMux, wh *webhooks.Service) {
	if wh == nil {
		return
	}
	h := webhookHandlers{s: s, wh: wh}
	mux.HandleFunc("POST /system/v1/webhooks", h.create)
	mux.HandleFunc("GET /system/v1/webhooks", h.list)
	mux.HandleFunc("GET /system/v1/webhooks/{id}", h.get)
	mux.HandleFunc("PATCH /system/v1/webhooks/{id}", h.update)
	mux.HandleFunc("DELETE /system/v1/webhooks/{id}", h.delete)
	mux.HandleFunc("GET /system/v1/webhook-events/stream", h.eventStream)

	mux.HandleFunc("GET /ui/v1/webhooks/{id}/deliveries", h.deliveries)
	mux.HandleFunc("POST /ui/v1/webhooks/{id}/test", h.sendTest)
	mux.HandleFunc("POST /ui/v1/webhooks/{id}/rotate-secret", h.rotateSecret)
	mux.HandleFunc("POST /ui/v1/deliveries/{id}/resend", h.resendDelivery)
	mux.HandleFunc("GET /ui/v1/events", h.events)
	mux.HandleFunc("POST /ui/v1/events/{id}/resend", h.resendEvent)
}

type webhookHandlers struct {
	s  *Server
	wh *webhooks.Service
}

func (h webhookHandlers) create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Address string `json:"address"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		h.s.answerError(w, err)
		return
	}
	ep, err := h.wh.Create(r.Context(), body.Address)
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewWebhook(ep))
}

func (h webhookHandlers) list(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	eps, err := h.wh.List(r.Context(), webhooks.Page(pg))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	views := make([]wire.Webhook, len(eps))
	for i, ep := range eps {
		views[i] = wire.NewWebhook(ep)
	}
	writeList(w, views, "")
}

func (h webhookHandlers) get(w http.ResponseWriter, r *http.Request) {
	ep, err := h.wh.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewWebhook(ep))
}

func (h webhookHandlers) update(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Address *string `json:"address"`
		Enabled *bool   `json:"enabled"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		h.s.answerError(w, err)
		return
	}
	if body.Address == nil && body.Enabled == nil {
		h.s.answerError(w, &fail.InvalidError{Message: "give address and/or enabled to change"})
		return
	}
	ep, err := h.wh.Update(r.Context(), r.PathValue("id"), webhooks.EndpointPatch{Address: body.Address, Enabled: body.Enabled})
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewWebhook(ep))
}

func (h webhookHandlers) delete(w http.ResponseWriter, r *http.Request) {
	if err := h.wh.Delete(r.Context(), r.PathValue("id")); err != nil {
		h.s.answerError(w, err)
		return
	}
	noContent(w)
}

// rotateSecret gives the endpoint a new secret, shown in this answer only.
func (h webhookHandlers) rotateSecret(w http.ResponseWriter, r *http.Request) {
	ep, err := h.wh.RotateSecret(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.NewWebhook(ep))
}

func (h webhookHandlers) deliveries(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	ds, err := h.wh.Deliveries(r.Context(), r.PathValue("id"), webhooks.Page(pg))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeList(w, wire.NewDeliveries(ds), "")
}

// sendTest queues a test event to one endpoint: 202, with its delivery.
func (h webhookHandlers) sendTest(w http.ResponseWriter, r *http.Request) {
	d, err := h.wh.SendTest(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusAccepted, wire.NewDelivery(d))
}

func (h webhookHandlers) resendDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := h.wh.ResendDelivery(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusAccepted, wire.NewDelivery(d))
}

func (h webhookHandlers) events(w http.ResponseWriter, r *http.Request) {
	pg, err := wire.ParsePage(r.URL.Query())
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	evs, err := h.wh.Events(r.Context(), r.URL.Query().Get("object_id"), webhooks.Page(pg))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	views := make([]wire.Event, len(evs))
	for i, ev := range evs {
		views[i] = wire.NewEvent(ev)
	}
	writeList(w, views, "")
}

func (h webhookHandlers) resendEvent(w http.ResponseWriter, r *http.Request) {
	ds, err := h.wh.ResendEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	writeData(w, http.StatusAccepted, wire.NewDeliveries(ds))
}
