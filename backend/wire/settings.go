package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
)

// AssetSettings is the settings of a new asset as Mux clients send them:
// in the body of POST /video/v1/assets, and as new_asset_settings of
// uploads and live streams. encoding_tier is Mux's deprecated name of
// video_quality; playback_policies are accepted (Reelvault has no playback).
type AssetSettings struct {
	MasterAccess      string   `json:"master_access"`
	MaxResolutionTier string   `json:"max_resolution_tier"`
	VideoQuality      string   `json:"video_quality"`
	EncodingTier      string   `json:"encoding_tier"`
	Passthrough       string   `json:"passthrough"`
	Meta              Meta     `json:"meta"`
	PlaybackPolicies  []string `json:"playback_policies"`
}

// Settings is the archive's settings value the body asks for.
func (b AssetSettings) Settings() archive.AssetSettings {
	q := b.VideoQuality
	if q == "" {
		q = VideoQualityOf(b.EncodingTier)
	}
	return archive.AssetSettings{MasterAccess: b.MasterAccess, MaxResolutionTier: b.MaxResolutionTier,
		VideoQuality: q, Passthrough: b.Passthrough, Meta: b.Meta.Archive()}
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
	return b.Settings(), nil
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
