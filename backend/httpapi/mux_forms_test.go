package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
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

// thumbnail_time on PATCH is kept and the thumbnail is taken again at that
// second of the master; out of the asset's range is a 400 that changes nothing.
func TestThumbnailTimeRemakesTheThumbnail(t *testing.T) {
	env := newAPIEnv(t, apiOptions{runJobs: true})
	a := env.create(`{"input":` + jsonString(makeClip(t, "320x240", "4")) + `}`)
	env.poll("/video/v1/assets/"+a.ID, 60*time.Second, "ready with a thumbnail", func(r reply) bool {
		return bytes.Contains(r.body, []byte(`"thumbnail_url"`)) || bytes.Contains(r.body, []byte(`"errored"`))
	})
	thumb := func() []byte {
		r := env.request("GET", "/ui/v1/assets/"+a.ID+"/thumbnail.jpg", "")
		if r.status != http.StatusOK {
			t.Fatalf("thumbnail: %s", r)
		}
		return r.body
	}
	first := thumb()

	for _, bad := range []string{`{"thumbnail_time": -1}`, `{"thumbnail_time": 4.5}`, `{"thumbnail_time": "3"}`} {
		apiError(t, env.request("PATCH", "/video/v1/assets/"+a.ID, bad), http.StatusBadRequest, "invalid_parameters")
	}
	if r := env.request("GET", "/video/v1/assets/"+a.ID, ""); bytes.Contains(r.body, []byte(`"thumbnail_time"`)) {
		t.Errorf("a refused thumbnail_time was stored: %s", r.body)
	}

	r := env.request("PATCH", "/video/v1/assets/"+a.ID, `{"thumbnail_time": 3.2}`)
	if r.status != http.StatusOK || !bytes.Contains(r.body, []byte(`"thumbnail_time":3.2`)) {
		t.Fatalf("PATCH thumbnail_time: %s", r)
	}
	var again []byte
	if !testtime.Poll(30*time.Second, func() bool { again = thumb(); return !bytes.Equal(again, first) }) {
		t.Fatal("the thumbnail was not made again at thumbnail_time")
	}
	if len(again) < 1000 || again[0] != 0xFF || again[1] != 0xD8 {
		t.Errorf("the new thumbnail is not a JPEG (%d bytes)", len(again))
	}

	// Mux's DELETE .../thumbnail-time goes back to the default frame.
	if r := env.request("DELETE", "/video/v1/assets/"+a.ID+"/thumbnail-time", ""); r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("DELETE thumbnail-time: %s", r)
	}
	if r := env.request("GET", "/video/v1/assets/"+a.ID, ""); bytes.Contains(r.body, []byte(`"thumbnail_time"`)) {
		t.Errorf("thumbnail_time still shown after DELETE: %s", r.body)
	}
	if !testtime.Poll(30*time.Second, func() bool { return !bytes.Equal(thumb(), again) }) {
		t.Fatal("the thumbnail was not made again at the default frame")
	}
	apiError(t, env.request("DELETE", "/video/v1/assets/no-such/thumbnail-time", ""), http.StatusNotFound, "not_found")
}

// A live stream's meta.title is kept, shown, changed by PATCH and bounded
// to Mux's 512 characters.
func TestLiveStreamTitle(t *testing.T) {
	e := newAPIEnv(t, apiOptions{live: true})
	title := func(r reply) string {
		t.Helper()
		var v struct {
			Data struct {
				ID   string
				Meta *struct{ Title string }
			}
		}
		if err := json.Unmarshal(r.body, &v); err != nil || v.Data.Meta == nil {
			t.Fatalf("no meta in %s", r)
		}
		return v.Data.Meta.Title
	}
	r := e.request("POST", "/video/v1/live-streams", `{"meta":{"title":"Friday show"}}`)
	if r.status != http.StatusCreated || title(r) != "Friday show" {
		t.Fatalf("create with meta.title: %s", r)
	}
	var created struct{ Data struct{ ID string } }
	json.Unmarshal(r.body, &created)
	path := "/video/v1/live-streams/" + created.Data.ID
	if got := title(e.request("PATCH", path, `{"meta":{"title":"Saturday show"}}`)); got != "Saturday show" {
		t.Errorf("PATCH meta.title: %q", got)
	}
	// Mux's CLI sends `mux live update --title` as a top-level title.
	if got := title(e.request("PATCH", path, `{"title":"Sunday show"}`)); got != "Sunday show" {
		t.Errorf("PATCH title (as the CLI sends it): %q", got)
	}
	apiError(t, e.request("PATCH", path, `{"title":"A","meta":{"title":"B"}}`), http.StatusBadRequest, "invalid_parameters")
	if got := title(e.request("PATCH", path, `{"meta":{"title":"Saturday show"}}`)); got != "Saturday show" {
		t.Errorf("PATCH meta.title: %q", got)
	}
	long := `{"meta":{"title":"` + strings.Repeat("t", 513) + `"}}`
	msg := apiError(t, e.request("PATCH", path, long), http.StatusBadRequest, "invalid_parameters")
	if !strings.Contains(msg.Error.Messages[0], "meta.title") {
		t.Errorf("too long a title: %q does not name meta.title", msg.Error.Messages[0])
	}
	if got := title(e.request("GET", path, "")); got != "Saturday show" {
		t.Errorf("after a refused PATCH the title is %q", got)
	}
}

// Mux's endpoints for features a local archive does not do answer a 400
// naming the feature, not a 404 that reads like a wrong URL.
func TestUnsupportedMuxEndpointsAre400(t *testing.T) {
	env := newAPIEnv(t, apiOptions{live: true})
	a := env.create(`{"input":"/videos/kept.mp4"}`)
	for path, feature := range map[string]string{
		"/video/v1/playback-restrictions":              "playback restrictions",
		"/video/v1/live-streams/ls1/simulcast-targets": "simulcast targets",
		"/video/v1/assets/" + a.ID + "/shots":          "shots",
		"/video/v1/delivery-usage":                     "delivery usage",
		"/system/v1/usage/exports":                     "usage exports",
		"/data/v1/metrics/views/overall":               "Mux Data",
		"/data/v1/video-views":                         "Mux Data",
		"/robots/v0/jobs/summarize":                    "Mux Robots",
	} {
		for _, method := range []string{"GET", "POST"} {
			e := apiError(t, env.request(method, path, `{}`), http.StatusBadRequest, "invalid_parameters")
			if !strings.Contains(e.Error.Messages[0], feature) {
				t.Errorf("%s %s: %q does not name %s", method, path, e.Error.Messages[0], feature)
			}
		}
	}
	if r := env.request("GET", "/video/v1/assets/"+a.ID, ""); r.status != http.StatusOK {
		t.Errorf("the asset itself: %s", r)
	}
	// Mux's other APIs are behind the same access token.
	apiError(t, env.anonymous("GET", "/data/v1/video-views", ""), http.StatusUnauthorized, "unauthorized")
}

// Every field of Mux's create bodies that asks for what Reelvault does not
// do is a 400 naming it, and nothing is made: never a 2xx that ignores it.
func TestMuxFieldsNotDoneAre400(t *testing.T) {
	env := newAPIEnv(t, apiOptions{ingest: true, live: true})
	const video = `"inputs":[{"url":"/videos/a.mp4"`
	for path, cases := range map[string]map[string]string{
		"/video/v1/assets": {
			`{` + video + `}],"copy_overlays":true}`:                   "copy_overlays",
			`{` + video + `}],"directives":[{"id":"d1"}]}`:             "directives",
			`{` + video + `}],"generate_shots":true}`:                  "generate_shots",
			`{` + video + `,"closed_captions":true}]}`:                 "inputs[0].closed_captions",
			`{` + video + `,"language_code":"en"}]}`:                   "inputs[0].language_code",
			`{` + video + `,"name":"English"}]}`:                       "inputs[0].name",
			`{` + video + `,"text_type":"subtitles"}]}`:                "inputs[0].text_type",
			`{` + video + `,"passthrough":"p"}]}`:                      "inputs[0].passthrough",
			`{"input":[{"url":"/videos/a.mp4","language_code":"en"}]}`: "input[0].language_code",
		},
		"/video/v1/uploads": {
			`{"new_asset_settings":{"inputs":[{"url":"https://example.com/en.vtt","type":"text"}]}}`: "new_asset_settings.inputs",
			`{"new_asset_settings":{"input":[{"url":"https://example.com/fr.m4a","type":"audio"}]}}`: "new_asset_settings.input",
			`{"new_asset_settings":{"generate_shots":true}}`:                                         "new_asset_settings.generate_shots",
			`{"new_asset_settings":{"copy_overlays":true}}`:                                          "new_asset_settings.copy_overlays",
		},
		"/video/v1/live-streams": {
			`{"new_asset_settings":{"inputs":[{"url":"https://example.com/en.vtt","type":"text"}]}}`: "new_asset_settings.inputs",
			`{"new_asset_settings":{"directives":[{"id":"d1"}]}}`:                                    "new_asset_settings.directives",
			`{"low_latency":true,"reduced_latency":true}`:                                            "low_latency",
			`{"low_latency":true,"latency_mode":"standard"}`:                                         "latency_mode",
		},
	} {
		for body, field := range cases {
			msg := apiError(t, env.request("POST", path, body), http.StatusBadRequest, "invalid_parameters")
			if !strings.Contains(strings.Join(msg.Error.Messages, " "), field) {
				t.Errorf("POST %s %s: %q does not name %s", path, body, msg.Error.Messages, field)
			}
		}
	}
	for _, list := range []string{"/video/v1/assets", "/video/v1/uploads", "/video/v1/live-streams"} {
		if r := env.request("GET", list, ""); !bytes.HasPrefix(r.body, []byte(`{"data":[]`)) {
			t.Errorf("a refused create made something: GET %s = %s", list, r)
		}
	}
	// false is what they are when not given, so it is no request.
	env.create(`{` + video + `,"closed_captions":false}],"copy_overlays":false,"generate_shots":false}`)
}

// Mux's deprecated low_latency / reduced_latency are its latency_mode, and
// test: true is accepted (nothing is billed, so nothing is limited).
func TestLiveStreamDeprecatedLatencyFlags(t *testing.T) {
	e := newAPIEnv(t, apiOptions{live: true})
	for body, want := range map[string]string{
		`{"low_latency":true}`:                       `"latency_mode":"low"`,
		`{"reduced_latency":true,"test":true}`:       `"latency_mode":"reduced"`,
		`{"low_latency":false}`:                      `"latency_mode":"standard"`,
		`{"latency_mode":"low","low_latency":false}`: `"latency_mode":"low"`,
	} {
		if r := e.request("POST", "/video/v1/live-streams", body); r.status != http.StatusCreated || !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("POST %s = %s, want %s", body, r, want)
		}
	}
	apiError(t, e.request("POST", "/video/v1/live-streams", `{"test":"yes"}`), http.StatusBadRequest, "invalid_parameters")
}

// Mux's PUT / DELETE .../new-asset-settings/static-renditions change the
// static renditions a stream's recordings get, and nothing else of its
// new_asset_settings; a resolution outside Mux's is a 400 naming it.
func TestLiveStreamStaticRenditionsEndpoint(t *testing.T) {
	e := newAPIEnv(t, apiOptions{live: true})
	r := e.request("POST", "/video/v1/live-streams", `{"new_asset_settings":{"master_access":"temporary"}}`)
	var created struct{ Data struct{ ID string } }
	if err := json.Unmarshal(r.body, &created); err != nil || r.status != http.StatusCreated {
		t.Fatalf("create: %s", r)
	}
	path := "/video/v1/live-streams/" + created.Data.ID + "/new-asset-settings/static-renditions"
	settings := func(r reply) map[string]any {
		t.Helper()
		var v struct {
			Data struct {
				NewAssetSettings map[string]any `json:"new_asset_settings"`
			}
		}
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		return v.Data.NewAssetSettings
	}
	r = e.request("PUT", path, `{"static_renditions":[{"resolution":"720p"},{"resolution":"audio-only","passthrough":"for radio"}]}`)
	if r.status != http.StatusOK {
		t.Fatalf("PUT: %s", r)
	}
	got := settings(e.request("GET", "/video/v1/live-streams/"+created.Data.ID, ""))
	want := []any{map[string]any{"resolution": "720p"}, map[string]any{"resolution": "audio-only", "passthrough": "for radio"}}
	if !reflect.DeepEqual(got["static_renditions"], want) || got["master_access"] != "temporary" {
		t.Errorf("new_asset_settings after PUT = %v, want static_renditions %v and master_access kept", got, want)
	}
	msg := apiError(t, e.request("PUT", path, `{"static_renditions":[{"resolution":"8k"}]}`), http.StatusBadRequest, "invalid_parameters")
	if !strings.Contains(strings.Join(msg.Error.Messages, " "), "static_renditions") {
		t.Errorf("a bad resolution: %q does not name static_renditions", msg.Error.Messages)
	}
	apiError(t, e.request("PUT", path, `{}`), http.StatusBadRequest, "invalid_parameters")
	if r := e.request("DELETE", path, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %s", r)
	}
	got = settings(e.request("GET", "/video/v1/live-streams/"+created.Data.ID, ""))
	if _, has := got["static_renditions"]; has || got["master_access"] != "temporary" {
		t.Errorf("new_asset_settings after DELETE = %v", got)
	}
	apiError(t, e.request("PUT", "/video/v1/live-streams/nope/new-asset-settings/static-renditions", `{"static_renditions":[]}`), http.StatusNotFound, "not_found")
}
