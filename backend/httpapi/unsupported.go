package httpapi

import (
	"net/http"

	"reelvault/backend/fail"
)

// unsupportedFeatures are Mux's endpoints a local archive does not serve,
// with why. They answer a 400 naming the feature (as Mux answers for a
// feature an environment lacks), not a 404 that reads like a typo.
var unsupportedFeatures = []struct{ path, feature, why string }{
	{"/video/v1/assets/{id}/tracks", "adding tracks", "the master is built from its input alone"},
	{"/video/v1/assets/{id}/generate-subtitles", "generated subtitles", "Reelvault does not transcribe"},
	{"/video/v1/live-streams/{id}/simulcast-targets", "simulcast targets", "Reelvault records streams, it does not restream them"},
	{"/video/v1/live-streams/{id}/embedded-subtitles", "embedded subtitles", "recordings keep video and audio only"},
	{"/video/v1/live-streams/{id}/generated-subtitles", "generated subtitles", "Reelvault does not transcribe"},
	{"/video/v1/playback-restrictions", "playback restrictions", "Reelvault has no streaming playback"},
	{"/video/v1/transcription-vocabularies", "transcription vocabularies", "Reelvault does not transcribe"},
	{"/video/v1/drm-configurations", "DRM", "a local archive has no DRM license service"},
	{"/video/v1/spaces", "spaces", "Mux retired them; Reelvault never had them"},
	{"/video/v1/web-inputs", "web inputs", "Reelvault has no browser to capture"},
	{"/system/v1/usage-exports", "usage exports", "nothing is metered"},
	{"/system/v1/usage/exports", "usage exports", "nothing is metered"},
	{"/video/v1/delivery-usage", "delivery usage reports", "nothing is metered"},
	{"/video/v1/assets/{id}/shots", "shots", "Reelvault does not detect shots"},
}

// unsupportedAPIs are Mux's other APIs, answered (behind the same
// authentication) with the same kind of 400 rather than the UI's files.
var unsupportedAPIs = []struct{ prefix, feature, why string }{
	{"/data/", "Mux Data (playback analytics)", "Reelvault has no streaming playback to measure"},
	{"/robots/", "Mux Robots (AI workflows)", "Reelvault runs no AI on your videos"},
}

func (s *Server) routeUnsupported(mux *http.ServeMux) {
	for _, u := range unsupportedFeatures {
		h := func(w http.ResponseWriter, r *http.Request) {
			s.answerError(w, &fail.InvalidError{Message: u.feature + " are not supported by Reelvault: " + u.why})
		}
		mux.HandleFunc(u.path, h)
		mux.HandleFunc(u.path+"/", h)
	}
	for _, u := range unsupportedAPIs {
		mux.HandleFunc(u.prefix, func(w http.ResponseWriter, r *http.Request) {
			s.answerError(w, &fail.InvalidError{Message: u.feature + " is not supported by Reelvault: " + u.why})
		})
	}
}
