package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/playback"
)

// AssetSettings is the settings of a new asset as Mux clients send them:
// in the body of POST /video/v1/assets, and as new_asset_settings of
// uploads and live streams. encoding_tier is Mux's deprecated name of
// video_quality; playback_policies (and the deprecated playback_policy, a
// string or a list) are checked and kept. Mux's features a local archive
// does not do are read only to be refused by Check, never ignored.
type AssetSettings struct {
	MasterAccess      string     `json:"master_access"`
	MaxResolutionTier string     `json:"max_resolution_tier"`
	VideoQuality      string     `json:"video_quality"`
	EncodingTier      string     `json:"encoding_tier"`
	Passthrough       string     `json:"passthrough"`
	Meta              Meta       `json:"meta"`
	PlaybackPolicies  []string   `json:"playback_policies"`
	PlaybackPolicy    StringList `json:"playback_policy"`

	MP4Support               string                   `json:"mp4_support"`
	StaticRenditions         []StaticRenditionRequest `json:"static_renditions"`
	NormalizeAudio           bool                     `json:"normalize_audio"`
	PerTitleEncode           *bool                    `json:"per_title_encode"`
	AdvancedPlaybackPolicies json.RawMessage          `json:"advanced_playback_policies"`
	Test                     bool                     `json:"test"`

	refusedSettings
}

// StaticRenditionRequest is one entry of Mux's static_renditions (and the
// body of POST .../static-renditions).
type StaticRenditionRequest struct {
	Resolution  string `json:"resolution"`
	Passthrough string `json:"passthrough,omitempty"`
}

// StringList is Mux's "a string or a list of strings".
type StringList []string

func (l *StringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = StringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeOf(many), Field: "playback_policy"}
	}
	*l = many
	return nil
}

// CheckPolicies refuses playback policies outside Mux's, and drm.
func CheckPolicies(policies []string) error {
	for _, p := range policies {
		if err := playback.CheckPolicy("playback_policies", p); err != nil {
			return err
		}
	}
	return nil
}

// Policies is every playback policy asked for, in both spellings.
func (b AssetSettings) Policies() []string {
	return append(append([]string{}, b.PlaybackPolicies...), b.PlaybackPolicy...)
}

// Check refuses what Mux's API has and Reelvault does not do, and values
// outside Mux's enums, naming the field (as Mux's 400s do). The archive's
// own settings are checked by archive.AssetSettings.Validate.
func (b AssetSettings) Check() error {
	if err := CheckPolicies(b.Policies()); err != nil {
		return err
	}
	switch {
	case b.MP4Support != "" && !slices.Contains(archive.MP4Supports, b.MP4Support):
		return fail.Invalid("mp4_support", "%q is not one of %s", b.MP4Support, strings.Join(archive.MP4Supports, ", "))
	case b.NormalizeAudio:
		return fail.Invalid("normalize_audio", "is not supported: the master keeps the audio as it was recorded")
	case b.PerTitleEncode != nil && *b.PerTitleEncode:
		return fail.Invalid("per_title_encode", "is not supported: Reelvault makes no streaming ladder")
	case Given(b.AdvancedPlaybackPolicies):
		return fail.Invalid("advanced_playback_policies", "are not supported: Reelvault has no DRM or playback restrictions")
	}
	return b.refusedSettings.check()
}

// Given is whether a raw field holds something other than null or nothing.
func Given(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && !bytes.Equal(t, []byte("null"))
}

// echoedSettings is an upload's new_asset_settings as shown: the fields
// given, in Mux's order, playback_policy always a list.
type echoedSettings struct {
	PlaybackPolicies  []string                 `json:"playback_policies,omitempty"`
	PlaybackPolicy    []string                 `json:"playback_policy,omitempty"`
	MasterAccess      string                   `json:"master_access,omitempty"`
	MaxResolutionTier string                   `json:"max_resolution_tier,omitempty"`
	VideoQuality      string                   `json:"video_quality,omitempty"`
	EncodingTier      string                   `json:"encoding_tier,omitempty"`
	MP4Support        string                   `json:"mp4_support,omitempty"`
	StaticRenditions  []StaticRenditionRequest `json:"static_renditions,omitempty"`
	Passthrough       string                   `json:"passthrough,omitempty"`
	Meta              *Meta                    `json:"meta,omitempty"`
	Test              bool                     `json:"test,omitempty"`
}

// Echo is the settings as Mux shows them back in an upload.
func (b AssetSettings) Echo() any {
	e := echoedSettings{PlaybackPolicies: b.Policies(), PlaybackPolicy: b.Policies(),
		MasterAccess: b.MasterAccess, MaxResolutionTier: b.MaxResolutionTier, VideoQuality: b.VideoQuality,
		EncodingTier: b.EncodingTier, MP4Support: b.MP4Support, StaticRenditions: b.StaticRenditions,
		Passthrough: b.Passthrough, Test: b.Test}
	if b.Meta != (Meta{}) {
		m := b.Meta
		e.Meta = &m
	}
	return e
}

// Settings is the archive's settings value the body asks for.
func (b AssetSettings) Settings() archive.AssetSettings {
	q := b.VideoQuality
	if q == "" {
		q = VideoQualityOf(b.EncodingTier)
	}
	var renditions []archive.RenditionRequest
	for _, r := range b.StaticRenditions {
		renditions = append(renditions, archive.RenditionRequest{Resolution: r.Resolution, Passthrough: r.Passthrough})
	}
	return archive.AssetSettings{MasterAccess: b.MasterAccess, MaxResolutionTier: b.MaxResolutionTier,
		VideoQuality: q, Passthrough: b.Passthrough, Meta: b.Meta.Archive(), PlaybackPolicies: playback.Unique(b.Policies()),
		StaticRenditions: renditions, MP4Support: b.MP4Support}
}

// Archive is the archive's value of the meta object a client sent.
func (m Meta) Archive() archive.Meta {
	return archive.Meta{Title: m.Title, CreatorID: m.CreatorID, ExternalID: m.ExternalID}
}

// ParseNewAssetSettings reads an upload's new_asset_settings (absent or
// null means every default). It is ingest's Config.ParseSettings.
func ParseNewAssetSettings(raw json.RawMessage) (archive.AssetSettings, error) {
	var b AssetSettings
	if t := bytes.TrimSpace(raw); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		if err := json.Unmarshal(raw, &b); err != nil {
			return archive.AssetSettings{}, &fail.InvalidError{Message: describeSettingsJSON(err)}
		}
	}
	if err := b.Check(); err != nil {
		return archive.AssetSettings{}, err
	}
	return b.Settings(), nil
}

// EchoNewAssetSettings checks an upload's new_asset_settings as the asset
// validator does and gives them back in Mux's form, to be stored and shown.
func EchoNewAssetSettings(raw json.RawMessage) (json.RawMessage, error) {
	if _, err := ParseNewAssetSettings(raw); err != nil {
		return nil, fail.Within("new_asset_settings", err)
	}
	var b AssetSettings
	if Given(raw) {
		json.Unmarshal(raw, &b) // parsed above
	}
	if err := b.Settings().Validate(); err != nil {
		return nil, fail.Within("new_asset_settings", err)
	}
	return json.Marshal(b.Echo())
}

// describeSettingsJSON words a decoding error of new_asset_settings.
func describeSettingsJSON(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return "must be a JSON object"
		}
		return fmt.Sprintf("field %s must not be a JSON %s", typeErr.Field, typeErr.Value)
	}
	return "is not valid JSON: " + err.Error()
}
