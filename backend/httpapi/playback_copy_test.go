package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// previewsJSON is the {"data": previews} answer's playback copy part.
type previewsJSON struct {
	Data struct {
		Playback *struct {
			State string  `json:"state"`
			URL   *string `json:"url"`
		} `json:"playback"`
	} `json:"data"`
}

// A 24-bit WAV's master is ALAC, which browsers cannot play: the previews say a playback
// copy is coming, then give its URL, which serves an AAC M4A as audio/mp4 with Range
// requests (how the window's player seeks), behind the login.
func TestPlaybackCopyIsServedOnceMade(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	song := testmedia.TempClip(t, "song24.wav", testmedia.Join(testmedia.LavfiAudio("1"), []string{"-c:a", "pcm_s24le"})...)
	env := newAPIEnv(t, apiOptions{runJobs: true})
	a := env.create(`{"input":` + jsonString("file://"+song) + `}`)
	env.waitAsset(a.ID, time.Minute, "ready", func(a assetJSON) bool { return a.Status == "ready" })

	var p previewsJSON
	if !testtime.Poll(time.Minute, func() bool {
		p = previewsJSON{}
		decodeStrict(t, env.request("GET", "/ui/v1/assets/"+a.ID+"/previews", ""), &p)
		return p.Data.Playback != nil && p.Data.Playback.State != "preparing"
	}) {
		t.Fatalf("playback copy not made within a minute: %+v", p.Data.Playback)
	}
	if p.Data.Playback.State != "ready" || p.Data.Playback.URL == nil {
		t.Fatalf("playback %+v, want ready with a URL", p.Data.Playback)
	}
	url := *p.Data.Playback.URL

	whole := env.request("GET", url, "")
	if whole.status != http.StatusOK || whole.header.Get("Content-Type") != "audio/mp4" {
		t.Fatalf("GET %s: %d %v, want 200 audio/mp4", url, whole.status, whole.header)
	}
	if len(whole.body) < 200 || !bytes.Equal(whole.body[4:8], []byte("ftyp")) {
		t.Fatalf("GET %s: %d bytes starting %q, want an M4A", url, len(whole.body), whole.body[:min(len(whole.body), 8)])
	}
	req := env.newRequest("GET", url, "", true)
	req.Header.Set("Range", "bytes=10-109")
	part := env.send(req)
	if part.status != http.StatusPartialContent || !bytes.Equal(part.body, whole.body[10:110]) {
		t.Errorf("Range bytes=10-109: %d, %d bytes, want 206 with bytes 10..109 of the copy", part.status, len(part.body))
	}
	if r := env.anonymous("GET", url, ""); r.status != http.StatusUnauthorized {
		t.Errorf("playback copy without credentials: %s, want 401", r)
	}
}

// No copy yet (the asset still preparing) and an unknown asset are both 404.
func TestPlaybackCopyBeforeItIsMadeIs404(t *testing.T) {
	env := newAPIEnv(t, apiOptions{}) // no job runner: the asset stays preparing
	a := env.create(`{"input":"/videos/a.mp4"}`)
	apiError(t, env.request("GET", "/ui/v1/assets/"+a.ID+"/playback-copy", ""), http.StatusNotFound, "not_found")
	apiError(t, env.request("GET", "/ui/v1/assets/nope/playback-copy", ""), http.StatusNotFound, "not_found")
	var p previewsJSON
	decodeStrict(t, env.request("GET", "/ui/v1/assets/"+a.ID+"/previews", ""), &p)
	if p.Data.Playback != nil {
		t.Errorf("previews of a preparing asset: playback %+v, want null", p.Data.Playback)
	}
}
