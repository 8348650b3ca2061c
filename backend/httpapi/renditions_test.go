package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

type renditionJSON struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Status         string `json:"status"`
	Resolution     string `json:"resolution"`
	ResolutionTier string `json:"resolution_tier"`
	Name           string `json:"name"`
	Ext            string `json:"ext"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
	Bitrate        int64  `json:"bitrate"`
	Filesize       string `json:"filesize"`
	Passthrough    string `json:"passthrough"`
	SHA256         string `json:"sha256"`
	URL            string `json:"url"`
	PlayURL        string `json:"play_url"`
}

type withRenditions struct {
	Status           string `json:"status"`
	MP4Support       string `json:"mp4_support"`
	StaticRenditions *struct {
		Status string          `json:"status"`
		Files  []renditionJSON `json:"files"`
	} `json:"static_renditions"`
}

func (e *apiEnv) renditionsOf(id string) withRenditions {
	e.t.Helper()
	r := e.request("GET", "/video/v1/assets/"+id, "")
	var body struct{ Data withRenditions }
	decodeStrict(e.t, r, &body)
	return body.Data
}

func (e *apiEnv) waitRenditions(id string) withRenditions {
	e.t.Helper()
	var a withRenditions
	if !testtime.Poll(2*time.Minute, func() bool {
		a = e.renditionsOf(id)
		if a.Status == "errored" {
			e.t.Fatalf("asset %s errored", id)
		}
		if a.Status != "ready" || a.StaticRenditions == nil {
			return false
		}
		for _, f := range a.StaticRenditions.Files {
			if f.Status == "preparing" || (a.StaticRenditions.Status == "preparing") {
				return false
			}
		}
		return true
	}) {
		e.t.Fatalf("asset %s: renditions not made: %+v", id, a)
	}
	return a
}

// Mux's static renditions API end to end over HTTP: asked on create, made
// after the master, listed, fetched, served to the window, deleted.
func TestStaticRenditionsAPI(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	env := newAPIEnv(t, apiOptions{runJobs: true})
	in := makeClip(t, "640x360", "1")
	a := env.create(`{"input":` + jsonString(in) + `,"master_access":"temporary","static_renditions":[{"resolution":"270p","passthrough":"p1"},{"resolution":"audio-only"}]}`)
	got := env.waitRenditions(a.ID)
	files := got.StaticRenditions.Files
	if len(files) != 2 || got.StaticRenditions.Status != "" {
		t.Fatalf("static_renditions = %+v, want two files and no aggregate status", got.StaticRenditions)
	}
	p := files[0]
	if p.Status != "ready" || p.Type != "advanced" || p.Resolution != "270p" || p.ResolutionTier != "720p" || p.Name != "270p.mp4" ||
		p.Ext != "mp4" || p.Width != 480 || p.Height != 270 || p.Bitrate <= 0 || p.Passthrough != "p1" || p.ID == "" {
		t.Errorf("270p rendition = %+v", p)
	}
	if n, err := strconv.ParseInt(p.Filesize, 10, 64); err != nil || n <= 0 {
		t.Errorf("filesize %q, want a positive number as a string", p.Filesize)
	}
	if p.URL == "" {
		t.Errorf("a ready rendition of an asset with master access has no signed url: %+v", p)
	}
	if au := files[1]; au.Name != "audio.m4a" || au.Ext != "m4a" || au.Type != "standard" || au.ResolutionTier != "audio-only" || au.Width != 0 {
		t.Errorf("audio-only rendition = %+v", au)
	}

	// The window reads the file through its play URL, exactly as recorded.
	r := env.request("GET", p.PlayURL+"?download=1", "")
	sum := sha256.Sum256(r.body)
	if r.status != http.StatusOK || hex.EncodeToString(sum[:]) != p.SHA256 || r.header.Get("Content-Type") != "video/mp4" {
		t.Errorf("GET %s: %d %s, sha %x; want 200 video/mp4 with sha256 %s", p.PlayURL, r.status, r.header.Get("Content-Type"), sum, p.SHA256)
	}
	if cd := r.header.Get("Content-Disposition"); cd == "" {
		t.Error("?download=1 gave no Content-Disposition")
	}

	list := env.request("GET", "/video/v1/assets/"+a.ID+"/static-renditions", "")
	var listed struct{ Data []renditionJSON }
	decodeStrict(t, list, &listed)
	if list.status != http.StatusOK || len(listed.Data) != 2 || listed.Data[0].ID != p.ID {
		t.Errorf("list: %s", list)
	}
	one := env.request("GET", "/video/v1/assets/"+a.ID+"/static-renditions/"+p.ID, "")
	var single struct{ Data renditionJSON }
	decodeStrict(t, one, &single)
	if one.status != http.StatusOK || single.Data.SHA256 != p.SHA256 {
		t.Errorf("get one: %s", one)
	}

	created := env.request("POST", "/video/v1/assets/"+a.ID+"/static-renditions", `{"resolution":"360p"}`)
	var made struct{ Data renditionJSON }
	decodeStrict(t, created, &made)
	if created.status != http.StatusCreated || made.Data.Status != "preparing" || made.Data.Name != "360p.mp4" {
		t.Errorf("POST static-renditions: %s", created)
	}
	apiError(t, env.request("POST", "/video/v1/assets/"+a.ID+"/static-renditions", `{"resolution":"360p"}`), http.StatusBadRequest, "invalid_parameters")
	apiError(t, env.request("POST", "/video/v1/assets/"+a.ID+"/static-renditions", `{"resolution":"8k"}`), http.StatusBadRequest, "invalid_parameters")
	apiError(t, env.request("POST", "/video/v1/assets/"+a.ID+"/static-renditions", `{}`), http.StatusBadRequest, "invalid_parameters")
	apiError(t, env.request("POST", "/video/v1/assets/nope/static-renditions", `{"resolution":"360p"}`), http.StatusNotFound, "not_found")
	apiError(t, env.request("GET", "/video/v1/assets/"+a.ID+"/static-renditions/nope", ""), http.StatusNotFound, "not_found")

	if r := env.request("DELETE", "/video/v1/assets/"+a.ID+"/static-renditions/"+p.ID, ""); r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Errorf("DELETE: %s, want 204 and no body", r)
	}
	apiError(t, env.request("GET", "/video/v1/assets/"+a.ID+"/static-renditions/"+p.ID, ""), http.StatusNotFound, "not_found")
	if r := env.request("GET", p.PlayURL, ""); r.status != http.StatusNotFound {
		t.Errorf("play URL of a deleted rendition: %d, want 404", r.status)
	}
	if types := env.eventTypesOf(a.ID); !hasAll(types, "video.asset.static_rendition.created", "video.asset.static_rendition.ready",
		"video.asset.static_rendition.deleted") {
		t.Errorf("events %v lack the static rendition ones", types)
	}

	// mp4_support, Mux's older way, maps onto files without ids.
	r = env.request("PUT", "/video/v1/assets/"+a.ID+"/mp4-support", `{"mp4_support":"capped-1080p"}`)
	var updated struct{ Data withRenditions }
	decodeStrict(t, r, &updated)
	if r.status != http.StatusOK || updated.Data.MP4Support != "capped-1080p" || updated.Data.StaticRenditions.Status != "preparing" {
		t.Errorf("PUT mp4-support: %s", r)
	}
	got = env.waitRenditions(a.ID)
	var capped *renditionJSON
	for i, f := range got.StaticRenditions.Files {
		if f.Name == "capped-1080p.mp4" {
			capped = &got.StaticRenditions.Files[i]
		}
	}
	if capped == nil || capped.ID != "" || capped.Status != "" || capped.Width != 640 || got.StaticRenditions.Status != "ready" {
		raw, _ := json.Marshal(got)
		t.Errorf("after mp4_support capped-1080p: %s", raw)
	}
	apiError(t, env.request("PUT", "/video/v1/assets/"+a.ID+"/mp4-support", `{"mp4_support":"bogus"}`), http.StatusBadRequest, "invalid_parameters")
}
