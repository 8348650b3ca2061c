package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
)

// assetSettings is the part of Mux's new_asset_settings Reelvault uses. The
// whole object is kept as given and echoed back, as Mux does.
type assetSettings struct {
	MasterAccess      string       `json:"master_access"`
	MaxResolutionTier string       `json:"max_resolution_tier"`
	VideoQuality      string       `json:"video_quality"`
	EncodingTier      string       `json:"encoding_tier"`
	Passthrough       string       `json:"passthrough"`
	Meta              archive.Meta `json:"meta"`
}

// parseAssetSettings checks new_asset_settings and returns the asset
// parameters it asks for (Input left to the caller).
func parseAssetSettings(raw json.RawMessage) (archive.CreateParams, error) {
	var st assetSettings
	if len(bytes.TrimSpace(raw)) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &st); err != nil {
			return archive.CreateParams{}, invalid("new_asset_settings", describeJSON(err))
		}
	}
	p := archive.CreateParams{MasterAccess: st.MasterAccess, MaxResolutionTier: st.MaxResolutionTier,
		VideoQuality: st.VideoQuality, Passthrough: st.Passthrough, Meta: st.Meta}
	if p.VideoQuality == "" {
		switch st.EncodingTier { // Mux's deprecated name
		case "baseline":
			p.VideoQuality = "basic"
		case "smart":
			p.VideoQuality = "plus"
		default:
			p.VideoQuality = st.EncodingTier
		}
	}
	return p, nil
}

// describeJSON words a decoding error of new_asset_settings for a person.
func describeJSON(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return "must be a JSON object"
		}
		return fmt.Sprintf("field %s must not be a JSON %s", typeErr.Field, typeErr.Value)
	}
	return "is not valid JSON: " + err.Error()
}

// invalid is a field's error whose message is already worded (it may hold
// paths, so it is no format).
func invalid(field, message string) error {
	return &fail.InvalidError{Field: field, Message: message}
}
