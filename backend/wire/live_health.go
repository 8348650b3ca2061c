package wire

import (
	"net/url"
	"time"

	"reelvault/backend/live"
)

// LiveHealth is GET /ui/v1/live-streams/{id}/health, and the health the
// change feed pushes about once a second while a stream is live: what the
// connected encoder's packets say, over the last few seconds of media.
// Only live is set when no encoder is connected.
type LiveHealth struct {
	Live bool `json:"live"`
	// Measuring: connected, but no whole second of media counted yet.
	Measuring bool `json:"measuring,omitempty"`
	// AudioOnly: the encoder sends no video (frame_rate is then 0).
	AudioOnly     bool    `json:"audio_only,omitempty"`
	BitrateBPS    int64   `json:"bitrate_bps"`
	FrameRate     float64 `json:"frame_rate"`
	DroppedFrames int64   `json:"dropped_frames"` // samples refused: timestamps going back
	TimestampGaps int64   `json:"timestamp_gaps"` // video timestamps jumping well past the stream's pace
	PreviewURL    string  `json:"preview_url,omitempty"`
	PreviewAt     string  `json:"preview_at,omitempty"`
}

// NewLiveHealth renders stream id's health.
func NewLiveHealth(id string, h live.Health) LiveHealth {
	v := LiveHealth{Live: h.Live}
	if !h.Live {
		return v
	}
	v.Measuring, v.AudioOnly = h.Measuring, h.AudioOnly
	v.BitrateBPS, v.FrameRate, v.DroppedFrames, v.TimestampGaps = h.Bitrate, h.FrameRate, h.Dropped, h.Gaps
	if h.HasPreview {
		// The time in the URL makes each new picture a new image for the browser.
		v.PreviewURL = "/ui/v1/live-streams/" + url.PathEscape(id) + "/preview.jpg?at=" + h.PreviewAt.Format("20060102T150405.000")
		v.PreviewAt = h.PreviewAt.UTC().Format(time.RFC3339)
	}
	return v
}
