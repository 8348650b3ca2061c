package links

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// A static rendition is served behind the same kind of link as the master:
// signed with its name, of the master's generation, expiring with it.
func TestRenditionLinksServeTheirFileAndOnlyIt(t *testing.T) {
	env := newTestEnv(t, 64<<10)
	path, data, sum := writeRandomFile(t, 20<<10)
	st, _ := os.Stat(path)
	env.archive.files = map[string]Master{testAssetID + "/audio.m4a": {Path: path, Size: int64(len(data)), SHA256: sum,
		ModTime: st.ModTime(), FileName: "Interview take 2 - audio"}}
	exp := env.clock.Now().Add(time.Hour)
	link := env.signer.FileURL(testAssetID, 3, exp, "audio.m4a")
	if !strings.HasSuffix(link, "/audio.m4a") {
		t.Fatalf("rendition link %q does not end in its file name", link)
	}
	r := env.get(link)
	if r.StatusCode != http.StatusOK || !bytes.Equal(r.body, data) {
		t.Fatalf("GET rendition link: %d, %d bytes; want 200 and the rendition's %d bytes", r.StatusCode, len(r.body), len(data))
	}
	if ct := r.Header.Get("Content-Type"); ct != "audio/mp4" {
		t.Errorf("Content-Type %q, want audio/mp4", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="Interview take 2 - audio.m4a"`) {
		t.Errorf("Content-Disposition %q, want the title with .m4a", cd)
	}
	// The name is signed: the same signature on another file is tampering.
	other := strings.Replace(link, "/audio.m4a", "/720p.mp4", 1)
	if r := env.get(other); r.StatusCode != http.StatusForbidden {
		t.Errorf("rendition link renamed to another file: %d, want 403", r.StatusCode)
	}
	asMaster := strings.Replace(link, "/audio.m4a", "/master.mp4", 1)
	if r := env.get(asMaster); r.StatusCode != http.StatusForbidden {
		t.Errorf("rendition link's signature on master.mp4: %d, want 403", r.StatusCode)
	}
	for _, bad := range []string{"/../x.mp4", "/AUDIO.m4a", "/a.mov", "/" + strings.Repeat("a", 40) + ".mp4"} {
		if r := env.get(strings.Replace(link, "/audio.m4a", bad, 1)); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
			t.Errorf("file segment %q: %d, want 403", bad, r.StatusCode)
		}
	}
	// A file the asset does not have looks like a revoked link.
	if r := env.get(env.signer.FileURL(testAssetID, 3, exp, "720p.mp4")); r.StatusCode != http.StatusGone {
		t.Errorf("link to a rendition the asset lacks: %d, want 410", r.StatusCode)
	}
	// Turning master access off and on again (a new generation) revokes it with the master's.
	env.archive.bumpGeneration(testAssetID)
	if r := env.get(link); r.StatusCode != http.StatusGone {
		t.Errorf("rendition link of an old generation: %d, want 410", r.StatusCode)
	}
}
