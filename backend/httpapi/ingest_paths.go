package httpapi

import (
	"net/http"

	"reelvault/backend/archive"
	"reelvault/backend/ingest"
)

// ingestPaths takes files and folders dropped on the window (Wails gives
// their paths) or picked in the native dialog: each file becomes an asset,
// each folder the videos inside it.
func (s *Server) ingestPaths(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Paths             []string `json:"paths"`
		MasterAccess      string   `json:"master_access"`
		MaxResolutionTier string   `json:"max_resolution_tier"`
		VideoQuality      string   `json:"video_quality"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	res, err := s.Ingest.IngestPaths(r.Context(), ingest.PathsParams{Paths: body.Paths, MasterAccess: body.MasterAccess,
		MaxResolutionTier: body.MaxResolutionTier, VideoQuality: body.VideoQuality})
	if err != nil {
		s.answerError(w, err)
		return
	}
	views := make([]archive.View, len(res.Assets))
	for i, a := range res.Assets {
		views[i] = s.Archive.View(a)
	}
	skipped := res.Skipped
	if skipped == nil {
		skipped = []ingest.SkippedPath{}
	}
	status := http.StatusCreated
	if len(views) == 0 {
		status = http.StatusOK // nothing was created
	}
	writeData(w, status, map[string]any{"assets": views, "skipped": skipped, "skipped_total": res.SkippedTotal})
}
