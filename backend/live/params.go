package live

import (
	"math"
	"slices"

	"reelvault/backend/archive"
	"reelvault/backend/store"
)

// CreateParams describes a new live stream (Mux's create body). Nil means
// the default.
type CreateParams struct {
	ReconnectWindow       *float64
	NewAssetSettings      *AssetSettings
	Passthrough           string
	LatencyMode           string
	MaxContinuousDuration *int
	Title                 string // meta.title
	// PlaybackPolicies makes the stream's own playback IDs, one per policy.
	PlaybackPolicies []string
}

// UpdateParams is what PATCH may change; nil leaves a field as it is.
type UpdateParams struct {
	ReconnectWindow       *float64
	NewAssetSettings      *AssetSettings
	Passthrough           *string
	LatencyMode           *string
	MaxContinuousDuration *int
	Title                 *string // meta.title
	// StaticRenditions replaces new_asset_settings.static_renditions alone
	// (Mux's PUT / DELETE .../new-asset-settings/static-renditions).
	StaticRenditions *[]archive.RenditionRequest
}

// maxTitle is Mux's bound on meta.title.
const maxTitle = 512

// apply sets p's fields on st, validating each.
func (p UpdateParams) apply(st *Stream) error {
	if p.ReconnectWindow != nil {
		w := *p.ReconnectWindow
		if math.IsNaN(w) || w < 0 || w > MaxReconnectWindow {
			return invalid("reconnect_window", "must be between 0 and %g seconds", MaxReconnectWindow)
		}
		st.ReconnectWindow = w
	}
	if p.NewAssetSettings != nil {
		if err := p.NewAssetSettings.validate(); err != nil {
			return err
		}
		st.NewAssetSettings = *p.NewAssetSettings
	}
	if p.StaticRenditions != nil {
		ns := st.NewAssetSettings
		ns.StaticRenditions = *p.StaticRenditions
		if err := ns.validate(); err != nil {
			return err
		}
		st.NewAssetSettings = ns
	}
	if p.Passthrough != nil {
		if len([]rune(*p.Passthrough)) > 255 {
			return invalid("passthrough", "must be at most 255 characters")
		}
		st.Passthrough = *p.Passthrough
	}
	if p.Title != nil {
		if len([]rune(*p.Title)) > maxTitle {
			return invalid("meta.title", "must be at most %d characters", maxTitle)
		}
		st.Title = *p.Title
	}
	if p.LatencyMode != nil {
		if !slices.Contains(latencyModes, *p.LatencyMode) {
			return invalid("latency_mode", "must be one of %q, not %q", latencyModes, *p.LatencyMode)
		}
		st.LatencyMode = *p.LatencyMode
	}
	if p.MaxContinuousDuration != nil {
		d := *p.MaxContinuousDuration
		if d < MinMaxContinuousDuration || d > DefaultMaxContinuousDuration {
			return invalid("max_continuous_duration", "must be between %d and %d seconds", MinMaxContinuousDuration, DefaultMaxContinuousDuration)
		}
		st.MaxContinuousDuration = d
	}
	return nil
}

func (p CreateParams) asUpdate() UpdateParams {
	u := UpdateParams{ReconnectWindow: p.ReconnectWindow, NewAssetSettings: p.NewAssetSettings,
		MaxContinuousDuration: p.MaxContinuousDuration}
	if p.Passthrough != "" {
		u.Passthrough = &p.Passthrough
	}
	if p.LatencyMode != "" {
		u.LatencyMode = &p.LatencyMode
	}
	if p.Title != "" {
		u.Title = &p.Title
	}
	return u
}

// ListParams selects a page of live streams, newest first.
type ListParams struct {
	Limit     int // 1..100, default 25
	Page      int // 1-based
	Status    string
	StreamKey string
}

func (p *ListParams) normalize() error {
	var err error
	if p.Limit, p.Page, err = store.NormalizePage(p.Limit, p.Page); err != nil {
		return err
	}
	if p.Status != "" && !slices.Contains([]string{StatusIdle, StatusActive, StatusDisabled}, p.Status) {
		return invalid("status", "must be idle, active or disabled")
	}
	return nil
}
