package httpapi

import (
	"net/http"

	"reelvault/backend/ingest"
	"reelvault/backend/wire"
)

// ingestPaths takes files and folders dropped on the window (Wails gives
// their paths) or picked in the native dialog: each file becomes an asset,
// each folder the videos inside it.
func (s *Server) ingestPaths(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Paths []string `json:"paths"`
		wire.AssetSettings
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.answerError(w, err)
		return
	}
	res, err := s.Ingest.IngestPaths(r.Context(), ingest.PathsParams{Paths: body.Paths, Settings: body.Settings(), Notify: byPerson(r)})
	if err != nil {
		s.answerError(w, err)
		return
	}
	answer := wire.DroppedPaths{Assets: make([]wire.Asset, len(res.Assets)), Skipped: make([]wire.SkippedPath, len(res.Skipped)),
		SkippedTotal: res.SkippedTotal}
	for i, a := range res.Assets {
		answer.Assets[i] = s.assetJSON(a)
	}
	for i, sk := range res.Skipped {
		answer.Skipped[i] = wire.SkippedPath{Path: sk.Path, Reason: sk.Reason}
	}
	status := http.StatusCreated
	if len(res.Assets) == 0 {
		status = http.StatusOK // nothing was created
	}
	writeData(w, status, answer)
}
