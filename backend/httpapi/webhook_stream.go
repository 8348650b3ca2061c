package httpapi

import (
	"fmt"
	"net/http"
)

// webhookEventStream is Mux's webhook event stream (GET
// /system/v1/webhook-events/stream), which `mux webhooks listen` reads and
// forwards to a local URL: server-sent events, a "connected" event first,
// then each event as the body a webhook endpoint gets.
func (h webhookHandlers) eventStream(w http.ResponseWriter, r *http.Request) {
	_, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusNotImplemented, errFailed, "the event stream is not available here; add a webhook endpoint instead")
		return
	}
	events, err := h.wh.Follow(r.Context())
	if err != nil {
		h.s.answerError(w, err)
		return
	}
	serveEventStream(w, r, "event: connected\ndata: {}\n\n", events, func(body []byte) {
		fmt.Fprintf(w, "data: %s\n\n", body) // one line: the envelope is compact JSON
	})
}
