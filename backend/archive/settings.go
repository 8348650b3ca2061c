package archive

import (
	"reelvault/backend/media"
	"reelvault/backend/playback"
)

// AssetSettings is what a new asset is made with, wherever it comes from:
// the API's create body, an upload's or a live stream's new_asset_settings,
// a watch folder, files dropped on the window. Empty fields take the
// defaults (WithDefaults).
type AssetSettings struct {
	MasterAccess      string // default none
	MaxResolutionTier string // default 1080p
	VideoQuality      string // default plus
	Passthrough       string
	Meta              Meta
	// PlaybackPolicies makes one playback ID per policy (public, signed).
	PlaybackPolicies []string
	// StaticRenditions are the proxies to make once the master is ready;
	// MP4Support is Mux's deprecated way to ask for some ("" or none: no files).
	StaticRenditions []RenditionRequest
	MP4Support       string
}

// The choices of each setting, and the defaults (the tiers and qualities
// are those the media package builds masters for).
var (
	MasterAccesses  = []string{AccessTemporary, AccessNone}
	ResolutionTiers = []string{media.Tier1080p, media.Tier1440p, media.Tier2160p}
	VideoQualities  = []string{media.QualityBasic, media.QualityPlus, media.QualityPremium}
)

const (
	DefaultMasterAccess   = AccessNone
	DefaultResolutionTier = media.DefaultMaxTier
	DefaultVideoQuality   = media.DefaultQuality
)

// WithDefaults is s with every empty choice set to its default.
func (s AssetSettings) WithDefaults() AssetSettings {
	if s.MasterAccess == "" {
		s.MasterAccess = DefaultMasterAccess
	}
	if s.MaxResolutionTier == "" {
		s.MaxResolutionTier = DefaultResolutionTier
	}
	if s.VideoQuality == "" {
		s.VideoQuality = DefaultVideoQuality
	}
	return s
}

// Validate checks s as given; empty choices are allowed (they mean the
// default). Errors name the field as the API spells it.
func (s AssetSettings) Validate() error {
	for _, err := range []error{
		oneOfOrEmpty("master_access", s.MasterAccess, MasterAccesses),
		oneOfOrEmpty("max_resolution_tier", s.MaxResolutionTier, ResolutionTiers),
		oneOfOrEmpty("video_quality", s.VideoQuality, VideoQualities),
		maxLen("passthrough", s.Passthrough, 255),
		s.Meta.validate(),
		checkRenditionRequests(s.StaticRenditions, s.MP4Support),
	} {
		if err != nil {
			return err
		}
	}
	for _, p := range s.PlaybackPolicies {
		if err := playback.CheckPolicy("playback_policies", p); err != nil {
			return err
		}
	}
	return nil
}

func oneOfOrEmpty(field, value string, allowed []string) error {
	if value == "" {
		return nil
	}
	return oneOf(field, value, allowed)
}
