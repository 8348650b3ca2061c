// Package live is Reelvault's live ingest: Mux-style live streams, an RTMP
// server that encoders (OBS, ffmpeg, cameras) publish to with a stream key,
// a crash-safe recorder that writes fragmented MP4 with ~1 s fragments, the
// reconnect window, and the hand-over of each finished recording to the
// archive, which builds its master like any other asset's.
package live

import (
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/playback"
)

// Live stream statuses, as Mux names them.
const (
	StatusIdle     = "idle"
	StatusActive   = "active"
	StatusDisabled = "disabled"
)

// Limits and defaults of Mux's live stream fields.
const (
	DefaultReconnectWindow       = 60.0
	MaxReconnectWindow           = 1800.0
	DefaultMaxContinuousDuration = 43200 // 12 h
	MinMaxContinuousDuration     = 60
	DefaultLatencyMode           = "standard"
)

var latencyModes = []string{"low", "reduced", "standard"}

// Stream is one live stream.
type Stream struct {
	ID                    string
	CreatedAt             time.Time
	StreamKey             string
	Status                string
	ReconnectWindow       float64 // seconds
	NewAssetSettings      AssetSettings
	Passthrough           string
	LatencyMode           string
	MaxContinuousDuration int // seconds
	ActiveAssetID         string
	RecentAssetIDs        []string // newest last
	Title                 string   // Mux's meta.title
	// PlaybackIDs are the stream's own (Mux's live playback IDs), oldest
	// first; kept in their own table, not written by saveStream.
	PlaybackIDs []playback.ID

	Connected          bool
	RecordingStartedAt time.Time // zero unless a recording is open
	DisconnectedAt     time.Time // zero unless the encoder left an open recording
	PartCount          int
}

// AssetSettings is Mux's new_asset_settings: what each recording's asset is
// made with. Fields are kept as given (empty means the archive's default).
type AssetSettings struct {
	archive.AssetSettings // its PlaybackPolicies give each recording its playback IDs
}

// validate checks the settings as an asset's, naming fields inside
// new_asset_settings.
func (s AssetSettings) validate() error {
	return fail.Within("new_asset_settings", s.AssetSettings.Validate())
}

// createParams turns the settings into a recording's asset parameters,
// validated like an asset created through the API. The stream's folder
// stands in for the input, whose files only exist once the recording ends.
func (s AssetSettings) createParams(streamID, dir string) (archive.CreateParams, error) {
	p := archive.CreateParams{Input: dir, Source: archive.SourceLive, IngestType: "live_rtmp", LiveStreamID: streamID, Notify: true,
		AssetSettings: s.AssetSettings}
	if err := p.Validate(); err != nil {
		return p, fail.Within("new_asset_settings", err)
	}
	return p, nil
}

// reconnectDeadline is when an encoder that left must be back to continue
// the same recording.
func (st Stream) reconnectDeadline() time.Time {
	return st.DisconnectedAt.Add(time.Duration(st.ReconnectWindow * float64(time.Second)))
}

// recording reports whether a recording is open (connected, or waiting for
// the encoder within the reconnect window).
func (st Stream) recording() bool { return st.ActiveAssetID != "" }

// ErrNotFound is an unknown live stream id.
var ErrNotFound = fail.NotFound("live stream")

var invalid = fail.Invalid
