package httpapi_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"regexp"
	"testing"
)

type playbackIDJSON struct {
	ID     string `json:"id"`
	Policy string `json:"policy"`
	Object *struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"object"`
}

// data decodes {"data": v} and checks the status.
func data[T any](t *testing.T, r reply, status int) T {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d (%s)", r.status, status, r.body)
	}
	var env struct {
		Data T `json:"data"`
	}
	decodeStrict(t, r, &env)
	return env.Data
}

var muxLikeID = regexp.MustCompile(`^[A-Za-z0-9]{44}$`)

func playbackIDsOf(t *testing.T, r reply) []playbackIDJSON {
	t.Helper()
	return data[struct {
		PlaybackIDs []playbackIDJSON `json:"playback_ids"`
	}](t, r, http.StatusOK).PlaybackIDs
}

// An asset made with playback policies shows one playback ID per policy;
// more are added and deleted as with Mux, each change a video.asset.updated,
// and GET /video/v1/playback-ids names the asset.
func TestAssetPlaybackIDs(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":"/videos/a.mp4","playback_policy":"public","playback_policies":["signed","public"]}`)
	ids := playbackIDsOf(t, env.request("GET", "/video/v1/assets/"+a.ID, ""))
	if len(ids) != 2 || ids[0].Policy != "signed" || ids[1].Policy != "public" {
		t.Fatalf("playback_ids = %+v, want signed then public", ids)
	}
	for _, id := range ids {
		if !muxLikeID.MatchString(id.ID) {
			t.Errorf("playback ID %q is not 44 letters and digits", id.ID)
		}
	}
	if ids[0].ID == ids[1].ID {
		t.Fatal("two playback IDs are the same")
	}
	plain := env.create(`{"input":"/videos/b.mp4"}`)
	if got := playbackIDsOf(t, env.request("GET", "/video/v1/assets/"+plain.ID, "")); got == nil || len(got) != 0 {
		t.Errorf("an asset without playback policies: playback_ids = %v, want []", got)
	}

	base := "/video/v1/assets/" + a.ID + "/playback-ids"
	added := data[playbackIDJSON](t, env.request("POST", base, `{"policy":"signed"}`), http.StatusCreated)
	if added.Policy != "signed" || !muxLikeID.MatchString(added.ID) {
		t.Fatalf("POST playback-ids = %+v", added)
	}
	if got := playbackIDsOf(t, env.request("GET", "/video/v1/assets/"+a.ID, "")); len(got) != 3 || got[2].ID != added.ID {
		t.Fatalf("after POST: playback_ids = %+v, want the new one last", got)
	}
	if got := data[playbackIDJSON](t, env.request("GET", base+"/"+added.ID, ""), http.StatusOK); got.ID != added.ID || got.Policy != "signed" {
		t.Errorf("GET one = %+v", got)
	}
	looked := data[playbackIDJSON](t, env.request("GET", "/video/v1/playback-ids/"+added.ID, ""), http.StatusOK)
	if looked.Object == nil || looked.Object.Type != "asset" || looked.Object.ID != a.ID {
		t.Errorf("GET /video/v1/playback-ids = %+v, want object asset %s", looked, a.ID)
	}
	for body, field := range map[string]string{`{"policy":"drm"}`: "drm", `{"policy":"open"}`: "policy", `{"policy":3}`: "policy"} {
		e := apiError(t, env.request("POST", base, body), http.StatusBadRequest, "invalid_parameters")
		if !regexp.MustCompile(field).MatchString(e.Error.Messages[0]) {
			t.Errorf("POST %s: %q does not name %s", body, e.Error.Messages[0], field)
		}
	}
	apiError(t, env.request("POST", "/video/v1/assets/nope/playback-ids", `{"policy":"public"}`), http.StatusNotFound, "not_found")
	// Another asset's playback ID is not this one's.
	other := env.create(`{"input":"/videos/c.mp4","playback_policies":["public"]}`)
	apiError(t, env.request("GET", "/video/v1/assets/"+other.ID+"/playback-ids/"+added.ID, ""), http.StatusNotFound, "not_found")
	apiError(t, env.request("DELETE", "/video/v1/assets/"+other.ID+"/playback-ids/"+added.ID, ""), http.StatusNotFound, "not_found")

	if r := env.request("DELETE", base+"/"+added.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %s", r)
	}
	apiError(t, env.request("GET", base+"/"+added.ID, ""), http.StatusNotFound, "not_found")
	apiError(t, env.request("GET", "/video/v1/playback-ids/"+added.ID, ""), http.StatusNotFound, "not_found")
	if got := playbackIDsOf(t, env.request("GET", "/video/v1/assets/"+a.ID, "")); len(got) != 2 {
		t.Errorf("after DELETE: %d playback IDs, want 2", len(got))
	}
	updated := 0
	for _, typ := range env.eventTypesOf(a.ID) {
		if typ == "video.asset.updated" {
			updated++
		}
	}
	if updated != 2 {
		t.Errorf("%d video.asset.updated events for an add and a delete, want 2", updated)
	}

	// Deleting the asset deletes its playback IDs.
	if r := env.request("DELETE", "/video/v1/assets/"+a.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE asset: %s", r)
	}
	apiError(t, env.request("GET", "/video/v1/playback-ids/"+ids[0].ID, ""), http.StatusNotFound, "not_found")
}

// A live stream has its own playback IDs (playback_policies), and gives its
// recordings theirs (new_asset_settings.playback_policies).
func TestLiveStreamPlaybackIDs(t *testing.T) {
	env := newAPIEnv(t, apiOptions{live: true})
	r := env.request("POST", "/video/v1/live-streams", `{"playback_policies":["public"],"new_asset_settings":{"playback_policy":["signed"]}}`)
	st := data[struct {
		ID               string           `json:"id"`
		PlaybackIDs      []playbackIDJSON `json:"playback_ids"`
		NewAssetSettings map[string]any   `json:"new_asset_settings"`
	}](t, r, http.StatusCreated)
	if len(st.PlaybackIDs) != 1 || st.PlaybackIDs[0].Policy != "public" {
		t.Fatalf("live stream playback_ids = %+v", st.PlaybackIDs)
	}
	if p, _ := json.Marshal(st.NewAssetSettings["playback_policies"]); string(p) != `["signed"]` {
		t.Errorf("new_asset_settings.playback_policies = %s", p)
	}
	base := "/video/v1/live-streams/" + st.ID + "/playback-ids"
	added := data[playbackIDJSON](t, env.request("POST", base, `{"policy":"signed"}`), http.StatusCreated)
	looked := data[playbackIDJSON](t, env.request("GET", "/video/v1/playback-ids/"+added.ID, ""), http.StatusOK)
	if looked.Object == nil || looked.Object.Type != "live_stream" || looked.Object.ID != st.ID {
		t.Errorf("GET /video/v1/playback-ids = %+v", looked)
	}
	if got := playbackIDsOf(t, env.request("GET", "/video/v1/live-streams/"+st.ID, "")); len(got) != 2 {
		t.Errorf("live stream has %d playback IDs, want 2", len(got))
	}
	if r := env.request("DELETE", base+"/"+added.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %s", r)
	}
	apiError(t, env.request("GET", base+"/"+added.ID, ""), http.StatusNotFound, "not_found")
	if r := env.request("DELETE", "/video/v1/live-streams/"+st.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE live stream: %s", r)
	}
	apiError(t, env.request("GET", "/video/v1/playback-ids/"+st.PlaybackIDs[0].ID, ""), http.StatusNotFound, "not_found")
}

// Signing keys as Mux's System API has them: the private key once, at
// creation, as the base64 of an RSA PEM; then only id and created_at.
func TestSigningKeys(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	type keyJSON struct {
		ID         string  `json:"id"`
		CreatedAt  string  `json:"created_at"`
		PrivateKey *string `json:"private_key"`
	}
	k := data[keyJSON](t, env.request("POST", "/system/v1/signing-keys", ""), http.StatusCreated)
	if k.PrivateKey == nil || !regexp.MustCompile(`^\d+$`).MatchString(k.CreatedAt) {
		t.Fatalf("created key = %+v", k)
	}
	pemBytes, err := base64.StdEncoding.DecodeString(*k.PrivateKey)
	if err != nil {
		t.Fatalf("private_key is not base64: %v", err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatalf("private_key is not a PEM: %q", pemBytes)
	}
	if priv, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil || priv.N.BitLen() != 2048 {
		t.Fatalf("private_key is not a 2048-bit RSA key: %v", err)
	}
	k2 := data[keyJSON](t, env.request("POST", "/video/v1/signing-keys", ""), http.StatusCreated)

	for _, base := range []string{"/system/v1/signing-keys", "/video/v1/signing-keys"} {
		got := data[keyJSON](t, env.request("GET", base+"/"+k.ID, ""), http.StatusOK)
		if got.ID != k.ID || got.PrivateKey != nil || got.CreatedAt != k.CreatedAt {
			t.Errorf("GET %s/{id} = %+v, want the key without its private half", base, got)
		}
		all := data[[]keyJSON](t, env.request("GET", base, ""), http.StatusOK)
		if len(all) != 2 {
			t.Errorf("GET %s: %d keys, want 2", base, len(all))
		}
	}
	first := data[[]keyJSON](t, env.request("GET", "/system/v1/signing-keys?limit=1&page=1", ""), http.StatusOK)
	second := data[[]keyJSON](t, env.request("GET", "/system/v1/signing-keys?limit=1&page=2", ""), http.StatusOK)
	third := data[[]keyJSON](t, env.request("GET", "/system/v1/signing-keys?limit=1&page=3", ""), http.StatusOK)
	if len(first) != 1 || len(second) != 1 || first[0].ID == second[0].ID || len(third) != 0 {
		t.Errorf("paging: %v %v %v, want one key a page, then none", first, second, third)
	}
	apiError(t, env.request("GET", "/system/v1/signing-keys?limit=1000", ""), http.StatusBadRequest, "invalid_parameters")

	if r := env.request("DELETE", "/system/v1/signing-keys/"+k2.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %s", r)
	}
	apiError(t, env.request("GET", "/video/v1/signing-keys/"+k2.ID, ""), http.StatusNotFound, "not_found")
	apiError(t, env.request("DELETE", "/system/v1/signing-keys/"+k2.ID, ""), http.StatusNotFound, "not_found")
}
