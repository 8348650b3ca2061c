package httpapi_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// Mux's older `input` as a list (typed in the SDKs, used in the Python
// SDK's examples) names the video in its first element's url (issue 13).
func TestInputAsAList(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":[{"url":"/videos/listed.mp4"}],"passthrough":"from-a-list"}`)
	var got struct {
		Data struct {
			Input, Passthrough string
		}
	}
	r := env.request("GET", "/video/v1/assets/"+a.ID, "")
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != http.StatusOK {
		t.Fatalf("GET: %s", r)
	}
	if got.Data.Input != "/videos/listed.mp4" || got.Data.Passthrough != "from-a-list" {
		t.Errorf("asset from an input list = %+v, want its first url as the input", got.Data)
	}
}

// An upload's new_asset_settings come back in Mux's form: the deprecated
// playback_policy string as a list (the Python SDK made a list of letters
// of it), next to playback_policies.
func TestUploadSettingsEchoedInMuxForm(t *testing.T) {
	env := newAPIEnv(t, apiOptions{ingest: true})
	u := env.newUpload(`{"new_asset_settings":{"playback_policy":"public","mp4_support":"none","video_quality":"basic"}}`)
	var settings map[string]any
	if err := json.Unmarshal(u.NewAssetSettings, &settings); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"playback_policy": []any{"public"}, "playback_policies": []any{"public"},
		"mp4_support": "none", "video_quality": "basic"}
	if !reflect.DeepEqual(settings, want) {
		t.Errorf("new_asset_settings = %v, want %v", settings, want)
	}
	if again := env.getUpload(u.ID); string(again.NewAssetSettings) != string(u.NewAssetSettings) {
		t.Errorf("GET shows %s, POST showed %s", again.NewAssetSettings, u.NewAssetSettings)
	}
}
