package live

import (
	"strconv"
	"time"
)

// View is a live stream as the API shows it: Mux's live stream object, plus
// Reelvault's own fields after PlaybackIDs (Mux clients ignore them).
type View struct {
	ID                    string        `json:"id"`
	CreatedAt             any           `json:"created_at"` // string in the API, integer in webhooks (as Mux)
	StreamKey             string        `json:"stream_key"`
	Status                string        `json:"status"`
	ReconnectWindow       float64       `json:"reconnect_window"`
	NewAssetSettings      AssetSettings `json:"new_asset_settings"`
	ActiveAssetID         string        `json:"active_asset_id,omitempty"`
	RecentAssetIDs        []string      `json:"recent_asset_ids"`
	Passthrough           string        `json:"passthrough,omitempty"`
	LatencyMode           string        `json:"latency_mode"`
	MaxContinuousDuration int           `json:"max_continuous_duration"`
	ActiveIngestProtocol  string        `json:"active_ingest_protocol,omitempty"`
	PlaybackIDs           []struct{}    `json:"playback_ids"`

	RTMPURL            string `json:"rtmp_url"`
	Connected          bool   `json:"connected"`
	RecordingStartedAt string `json:"recording_started_at,omitempty"` // Unix seconds, as created_at
	RecordingSeconds   int64  `json:"recording_seconds,omitempty"`    // how long the open recording has run
}

// View renders the stream for the API.
func (s *Service) View(st Stream) View {
	v := s.view(st, s.now())
	v.CreatedAt = strconv.FormatInt(st.CreatedAt.Unix(), 10)
	return v
}

// webhookView renders the stream for an event's data: created_at an integer.
func (s *Service) webhookView(st Stream, now time.Time) View {
	v := s.view(st, now)
	v.CreatedAt = st.CreatedAt.Unix()
	return v
}

func (s *Service) view(st Stream, now time.Time) View {
	v := View{
		ID: st.ID, StreamKey: st.StreamKey, Status: st.Status, ReconnectWindow: st.ReconnectWindow,
		NewAssetSettings: st.NewAssetSettings, ActiveAssetID: st.ActiveAssetID, RecentAssetIDs: st.RecentAssetIDs,
		Passthrough: st.Passthrough, LatencyMode: st.LatencyMode, MaxContinuousDuration: st.MaxContinuousDuration,
		PlaybackIDs: []struct{}{}, RTMPURL: s.RTMPURL(), Connected: st.Connected,
	}
	if v.RecentAssetIDs == nil {
		v.RecentAssetIDs = []string{}
	}
	if st.Connected {
		v.ActiveIngestProtocol = "rtmp"
	}
	if !st.RecordingStartedAt.IsZero() {
		v.RecordingStartedAt = strconv.FormatInt(st.RecordingStartedAt.Unix(), 10)
		v.RecordingSeconds = int64(now.Sub(st.RecordingStartedAt).Seconds())
	}
	return v
}
