package wire

import (
	"reelvault/backend/archive"
	"reelvault/backend/live"
)

// LiveStream is Mux's live stream object, then Reelvault's own fields after
// PlaybackIDs (Mux clients ignore them).
type LiveStream struct {
	ID                    string            `json:"id"`
	CreatedAt             any               `json:"created_at"` // a string in the API, an integer in events (as Mux)
	StreamKey             string            `json:"stream_key"`
	Status                string            `json:"status"`
	ReconnectWindow       float64           `json:"reconnect_window"`
	NewAssetSettings      LiveAssetSettings `json:"new_asset_settings"`
	ActiveAssetID         string            `json:"active_asset_id,omitempty"`
	RecentAssetIDs        []string          `json:"recent_asset_ids"`
	Passthrough           string            `json:"passthrough,omitempty"`
	LatencyMode           string            `json:"latency_mode"`
	MaxContinuousDuration int               `json:"max_continuous_duration"`
	ActiveIngestProtocol  string            `json:"active_ingest_protocol,omitempty"`
	PlaybackIDs           []PlaybackID      `json:"playback_ids"`
	Meta                  *LiveStreamMeta   `json:"meta,omitempty"`

	RTMPURL            string `json:"rtmp_url"`
	Connected          bool   `json:"connected"`
	RecordingStartedAt string `json:"recording_started_at,omitempty"` // Unix seconds, as created_at
	RecordingSeconds   int64  `json:"recording_seconds,omitempty"`    // how long the open recording has run (stopped while the encoder is away)
}

// LiveStreamMeta is a live stream's meta object: Mux gives it a title only.
type LiveStreamMeta struct {
	Title string `json:"title,omitempty"`
}

// LiveAssetSettings is a live stream's new_asset_settings as it shows them:
// as given, empty fields left out.
type LiveAssetSettings struct {
	MasterAccess      string   `json:"master_access,omitempty"`
	MaxResolutionTier string   `json:"max_resolution_tier,omitempty"`
	VideoQuality      string   `json:"video_quality,omitempty"`
	Passthrough       string   `json:"passthrough,omitempty"`
	Meta              *Meta    `json:"meta,omitempty"`
	PlaybackPolicies  []string `json:"playback_policies,omitempty"`
	MP4Support        string   `json:"mp4_support,omitempty"`
	// Each recording's static renditions; absent when none are asked for.
	StaticRenditions []StaticRenditionRequest `json:"static_renditions,omitempty"`
}

// Meta is Mux's meta object: the user's own labels.
type Meta struct {
	Title      string `json:"title,omitempty"`
	CreatorID  string `json:"creator_id,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
}

func newMeta(m archive.Meta) *Meta {
	if m == (archive.Meta{}) {
		return nil
	}
	return &Meta{Title: m.Title, CreatorID: m.CreatorID, ExternalID: m.ExternalID}
}

// NewLiveStream renders a stream for the API: created_at a string.
func NewLiveStream(st live.StreamState) LiveStream {
	v := newLiveStream(st)
	v.CreatedAt = unixString(st.CreatedAt)
	return v
}

// LiveStreamEvent renders a stream for an event's data: created_at an
// integer. It is live's Config.StreamEvent.
func LiveStreamEvent(st live.StreamState) any {
	v := newLiveStream(st)
	v.CreatedAt = st.CreatedAt.Unix()
	return v
}

func newLiveStream(st live.StreamState) LiveStream {
	ns := st.NewAssetSettings
	v := LiveStream{
		ID: st.ID, StreamKey: st.StreamKey, Status: st.Status, ReconnectWindow: st.ReconnectWindow,
		NewAssetSettings: LiveAssetSettings{MasterAccess: ns.MasterAccess, MaxResolutionTier: ns.MaxResolutionTier,
			VideoQuality: ns.VideoQuality, Passthrough: ns.Passthrough, Meta: newMeta(ns.Meta), PlaybackPolicies: ns.PlaybackPolicies,
			MP4Support: ns.MP4Support, StaticRenditions: staticRenditionRequests(ns.StaticRenditions)},
		ActiveAssetID: st.ActiveAssetID, RecentAssetIDs: st.RecentAssetIDs,
		Passthrough: st.Passthrough, LatencyMode: st.LatencyMode, MaxContinuousDuration: st.MaxContinuousDuration,
		PlaybackIDs: NewPlaybackIDs(st.PlaybackIDs), RTMPURL: st.RTMPURL, Connected: st.Connected,
	}
	if st.Title != "" {
		v.Meta = &LiveStreamMeta{Title: st.Title}
	}
	if v.RecentAssetIDs == nil {
		v.RecentAssetIDs = []string{}
	}
	if st.Connected {
		v.ActiveIngestProtocol = "rtmp"
	}
	if !st.RecordingStartedAt.IsZero() {
		v.RecordingStartedAt = unixString(st.RecordingStartedAt)
		v.RecordingSeconds = int64(st.RecordingFor.Seconds())
	}
	return v
}

// staticRenditionRequests shows the archive's rendition requests as Mux's
// static_renditions entries.
func staticRenditionRequests(rs []archive.RenditionRequest) []StaticRenditionRequest {
	var out []StaticRenditionRequest
	for _, r := range rs {
		out = append(out, StaticRenditionRequest{Resolution: r.Resolution, Passthrough: r.Passthrough})
	}
	return out
}
