package wire

// LiveHealth is GET /ui/v1/live-streams/{id}/health: what the connected
// encoder's packets say, over the last few seconds. Only live is set when
// no encoder is connected.
type LiveHealth struct {
	Live          bool    `json:"live"`
	BitrateBPS    int64   `json:"bitrate_bps"`
	FrameRate     float64 `json:"frame_rate"`
	DroppedFrames int64   `json:"dropped_frames"` // samples refused: timestamps going back
	TimestampGaps int64   `json:"timestamp_gaps"` // video timestamps jumping more than a few frames
	PreviewURL    string  `json:"preview_url,omitempty"`
	PreviewAt     string  `json:"preview_at,omitempty"`
}
