package app

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

type renditionFile struct {
	ID, Name, Status, SHA256, URL string
	Filesize                      string `json:"filesize"`
}

// renditionsAsset is what these tests read of an asset.
type renditionsAsset struct {
	Status           string                        `json:"status"`
	PlaybackIDs      []struct{ ID, Policy string } `json:"playback_ids"`
	StaticRenditions *struct {
		Files []renditionFile `json:"files"`
	} `json:"static_renditions"`
}

// waitRenditionsReady polls the asset until none of its renditions is preparing.
func waitRenditionsReady(t *testing.T, api apiClient, id string) renditionsAsset {
	t.Helper()
	var a renditionsAsset
	testtime.Until(t, 2*time.Minute, "the asset and its renditions ready", func() bool {
		_, body := api.do("GET", "/video/v1/assets/"+id, "")
		var env struct{ Data json.RawMessage }
		json.Unmarshal(body, &env)
		a = renditionsAsset{}
		json.Unmarshal(env.Data, &a)
		if a.Status != "ready" || a.StaticRenditions == nil {
			return false
		}
		for _, f := range a.StaticRenditions.Files {
			if f.Status == "preparing" {
				return false
			}
		}
		return true
	})
	return a
}

func httpGet(t *testing.T, u string) (int, http.Header, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// Static renditions through the real binary: asked on create, made after the
// master, served at Mux's /{PLAYBACK_ID}/{name} and behind the asset's
// signed master-access link, each with the bytes the API's sha256 names.
func TestServeStaticRenditions(t *testing.T) {
	requireTools(t)
	clip := filepath.Join(t.TempDir(), "Harbour.mp4")
	testmedia.Make(t, clip, testmedia.Join(testmedia.LavfiVideo("640x360", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())...)
	serve := startServe(t, t.TempDir(), childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret"))
	api := apiClient{t: t, base: serve.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`","playback_policies":["public"],"master_access":"temporary",`+
		`"static_renditions":[{"resolution":"360p"},{"resolution":"audio-only"},{"resolution":"1080p"}]}`)
	id := api.asset(status, body).ID
	a := waitRenditionsReady(t, api, id)
	files := map[string]renditionFile{}
	for _, f := range a.StaticRenditions.Files {
		files[f.Name] = f
	}
	if files["360p.mp4"].Status != "ready" || files["audio.m4a"].Status != "ready" || files["1080p.mp4"].Status != "skipped" {
		t.Fatalf("renditions %+v: want 360p and audio ready, 1080p skipped (above a 360p master)", files)
	}
	pid := a.PlaybackIDs[0].ID
	for _, name := range []string{"360p.mp4", "audio.m4a"} {
		code, hdr, got := httpGet(t, serve.shareURL+"/"+pid+"/"+name)
		if code != http.StatusOK || sha(got) != files[name].SHA256 {
			t.Errorf("/{PLAYBACK_ID}/%s: %d, %d bytes, sha %s; want the rendition (%s)", name, code, len(got), sha(got), files[name].SHA256)
		}
		if want := map[string]string{"360p.mp4": "video/mp4", "audio.m4a": "audio/mp4"}[name]; hdr.Get("Content-Type") != want {
			t.Errorf("%s: Content-Type %q, want %q", name, hdr.Get("Content-Type"), want)
		}
		// The signed link beside the master's: the same bytes, named after the title.
		code, hdr, got = httpGet(t, files[name].URL)
		if code != http.StatusOK || sha(got) != files[name].SHA256 || !strings.Contains(hdr.Get("Content-Disposition"), "Harbour - ") {
			t.Errorf("signed link of %s (%s): %d, %d bytes, %q", name, files[name].URL, code, len(got), hdr.Get("Content-Disposition"))
		}
	}
	if code, _, _ := httpGet(t, serve.shareURL+"/"+pid+"/1080p.mp4"); code != http.StatusNotFound {
		t.Errorf("a skipped rendition's URL: %d, want 404", code)
	}
	// Switching master access off revokes the renditions' links with the master's.
	if status, body := api.do("PUT", "/video/v1/assets/"+id+"/master-access", `{"master_access":"none"}`); status != http.StatusOK {
		t.Fatalf("master access none: %d %s", status, body)
	}
	if code, _, _ := httpGet(t, files["360p.mp4"].URL); code != http.StatusGone {
		t.Errorf("rendition link after master access none: %d, want 410", code)
	}
	// Deleting a rendition stops it at once.
	if status, body := api.do("DELETE", "/video/v1/assets/"+id+"/static-renditions/"+files["audio.m4a"].ID, ""); status != http.StatusNoContent {
		t.Fatalf("delete rendition: %d %s", status, body)
	}
	if code, _, _ := httpGet(t, serve.shareURL+"/"+pid+"/audio.m4a"); code != http.StatusNotFound {
		t.Errorf("deleted rendition's URL: %d, want 404", code)
	}
}

// A share link offers an upload's kept original and its proxies beside the
// master: each file downloads from its URL with the SHA-256 the link names,
// the original under the name the user uploaded it as, and the landing page
// plays the proxy.
func TestServeShareLinkWithOriginalAndProxy(t *testing.T) {
	requireTools(t)
	src := testmedia.TempClip(t, "upload.mov", testmedia.Join(testmedia.LavfiVideo("640x360", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())...)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	serve := startServe(t, t.TempDir(), childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret"))
	api := apiClient{t: t, base: serve.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/uploads", `{"new_asset_settings":{"meta":{"title":"Harbour take 2"},"static_renditions":[{"resolution":"270p"}]}}`)
	var created struct {
		Data struct{ ID, URL string } `json:"data"`
	}
	if status != http.StatusCreated || json.Unmarshal(body, &created) != nil {
		t.Fatalf("create upload: %d %s", status, body)
	}
	if code, b := putChunk(t, created.Data.URL, data, 0, len(data), len(data)); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, b)
	}
	_, body = api.do("GET", "/video/v1/uploads/"+created.Data.ID, "")
	var up struct {
		Data struct {
			AssetID string `json:"asset_id"`
		}
	}
	json.Unmarshal(body, &up)
	a := waitRenditionsReady(t, api, up.Data.AssetID)
	proxy := a.StaticRenditions.Files[0]
	if proxy.Status != "ready" {
		t.Fatalf("proxy %+v", proxy)
	}

	status, body = api.do("POST", "/reelvault/v1/share-links", `{"asset_ids":["`+up.Data.AssetID+`"],"files":["master","original","270p"]}`)
	var link struct {
		Data struct {
			URL   string
			Files []struct{ Kind, Name, SHA256, URL string }
		}
	}
	if status != http.StatusCreated || json.Unmarshal(body, &link) != nil {
		t.Fatalf("create share link: %d %s", status, body)
	}
	kinds := map[string]int{}
	for i, f := range link.Data.Files {
		kinds[f.Kind] = i
	}
	if len(link.Data.Files) != 3 {
		t.Fatalf("link files %+v, want master, original and 270p", link.Data.Files)
	}
	original, small := link.Data.Files[kinds["original"]], link.Data.Files[kinds["270p"]]
	if original.Name != "Harbour take 2.mov" || original.SHA256 != sha(data) {
		t.Errorf("original offered as %q (%s), want Harbour take 2.mov with the upload's sha256 %s", original.Name, original.SHA256, sha(data))
	}
	if small.Name != "Harbour take 2 - 270p.mp4" || small.SHA256 != proxy.SHA256 {
		t.Errorf("proxy offered as %q (%s), want Harbour take 2 - 270p.mp4 (%s)", small.Name, small.SHA256, proxy.SHA256)
	}
	for _, f := range link.Data.Files {
		code, hdr, got := httpGet(t, f.URL)
		if code != http.StatusOK || sha(got) != f.SHA256 || !strings.Contains(hdr.Get("Content-Disposition"), f.Name) {
			t.Errorf("%s from %s: %d, %d bytes (sha %s, want %s), %q", f.Kind, f.URL, code, len(got), sha(got), f.SHA256, hdr.Get("Content-Disposition"))
		}
	}
	code, _, page := httpGet(t, link.Data.URL)
	if code != http.StatusOK || !strings.Contains(string(page), `/270p/`) || !strings.Contains(string(page), "270p proxy") ||
		!strings.Contains(string(page), "Download Original") {
		t.Errorf("landing page: %d, does not play the proxy or offer each file:\n%s", code, page)
	}
	status, body = api.do("POST", "/reelvault/v1/share-links", `{"asset_ids":["`+up.Data.AssetID+`"],"files":["8k"]}`)
	if status != http.StatusBadRequest {
		t.Errorf("a link of files 8k: %d %s, want 400", status, body)
	}
}
