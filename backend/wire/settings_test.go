package wire_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/wire"
)

// new_asset_settings as Mux clients write it: absent or null is every
// default, encoding_tier is the old name of video_quality (video_quality
// wins when both are given), and a body that is no object is an invalid
// field, not a 500.
func TestParseNewAssetSettings(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want archive.AssetSettings
	}{
		{``, archive.AssetSettings{}},
		{`null`, archive.AssetSettings{}},
		{`{"encoding_tier":"baseline"}`, archive.AssetSettings{VideoQuality: "basic"}},
		{`{"encoding_tier":"baseline","video_quality":"premium"}`, archive.AssetSettings{VideoQuality: "premium"}},
		{`{"master_access":"temporary","max_resolution_tier":"2160p","passthrough":"p","meta":{"title":"T","creator_id":"c","external_id":"e"},"playback_policies":["public"]}`,
			archive.AssetSettings{MasterAccess: "temporary", MaxResolutionTier: "2160p", Passthrough: "p",
				Meta: archive.Meta{Title: "T", CreatorID: "c", ExternalID: "e"}, PlaybackPolicies: []string{"public"}}},
		{`{"playback_policy":"signed","playback_policies":["public","signed"]}`,
			archive.AssetSettings{PlaybackPolicies: []string{"public", "signed"}}},
		{`{"static_renditions":[{"resolution":"720p","passthrough":"for the editor"},{"resolution":"audio-only"}]}`,
			archive.AssetSettings{StaticRenditions: []archive.RenditionRequest{{Resolution: "720p", Passthrough: "for the editor"}, {Resolution: "audio-only"}}}},
		{`{"mp4_support":"audio-only,capped-1080p"}`, archive.AssetSettings{MP4Support: "audio-only,capped-1080p"}},
	} {
		got, err := wire.ParseNewAssetSettings(json.RawMessage(c.raw))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseNewAssetSettings(%s) = %+v, %v; want %+v", c.raw, got, err, c.want)
		}
	}
	for raw, want := range map[string]string{
		`[1]`:                    "must be a JSON object",
		`{"master_access":true}`: "field master_access must not be a JSON bool",
	} {
		_, err := wire.ParseNewAssetSettings(json.RawMessage(raw))
		var invalid *fail.InvalidError
		if !errors.As(err, &invalid) || invalid.Error() != want {
			t.Errorf("ParseNewAssetSettings(%s): %v, want the invalid field %q", raw, err, want)
		}
	}
}
