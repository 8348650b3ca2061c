package archive

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/internal/testmedia"
)

// Each bad input ends errored with a message a person understands, and
// leaves nothing behind in the data folder.
func TestBadInputsEndErrored(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	dir := t.TempDir()

	textFile := filepath.Join(dir, "notes.mp4")
	if err := os.WriteFile(textFile, []byte(strings.Repeat("These are my holiday notes, not a video.\n", 50)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Cut a real clip in half: its moov (written last) is gone.
	whole, err := os.ReadFile(smallClip(t))
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "cut.mp4")
	if err := os.WriteFile(truncated, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}

	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + l.Addr().String() + "/video.mp4"
	l.Close()

	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()

	// A 115-byte "video" that is an HLS playlist naming a private local file must not
	// become a master of that file, whether given as a path or downloaded.
	playlist := []byte("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://" + smallClip(t) + "\n#EXT-X-ENDLIST\n")
	playlistFile := filepath.Join(dir, "holiday.mov")
	if err := os.WriteFile(playlistFile, playlist, 0o644); err != nil {
		t.Fatal(err)
	}
	playlistServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(playlist) }))
	defer playlistServer.Close()

	cases := []struct {
		name, input, errType string
		want                 []string // substrings of the message, case-insensitive
	}{
		{"missing file", filepath.Join(dir, "nowhere.mp4"), "invalid_input", []string{"does not exist", "nowhere.mp4"}},
		{"text named .mp4", textFile, "invalid_input", []string{"not a video file"}},
		{"truncated mp4", truncated, "invalid_input", []string{"incomplete or damaged"}},
		{"closed port", closedURL, "download_failed", []string{"could not download", "refused"}},
		{"http 404", notFound.URL + "/gone.mp4", "download_failed", []string{"could not download", "404"}},
		{"hls playlist as a file", playlistFile, "invalid_input", []string{"not a video file", "hls playlist"}},
		{"hls playlist over http", playlistServer.URL + "/holiday.mov", "invalid_input", []string{"not a video file", "hls playlist"}},
	}
	env := newEnv(t)
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = env.create(CreateParams{Input: c.input, AssetSettings: AssetSettings{MasterAccess: AccessTemporary}}).ID
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := env.waitStatus(ids[i], StatusErrored, 30*time.Second)
			msg := a.ErrorMessage
			for _, w := range c.want {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
					t.Errorf("message %q does not say %q", msg, w)
				}
			}
			if a.ErrorType != c.errType {
				t.Errorf("errors.type %v, want %s", a.ErrorType, c.errType)
			}
			for _, jargon := range []string{"media:", "ffprobe", "exit status", "%!"} {
				if strings.Contains(msg, jargon) {
					t.Errorf("message %q shows %q to the user", msg, jargon)
				}
			}
			if a.ProgressState != "errored" || a.Progress != -1 {
				t.Errorf("progress %s %v, want state errored, progress -1 (as Mux)", a.ProgressState, a.Progress)
			}
			// Master access was asked for at creation: it fails with the asset.
			if a.MasterStatus != MasterErrored {
				t.Errorf("master %s, want errored", a.MasterStatus)
			}
			types := env.eventTypes(a.ID)
			if indexOf(types, "video.asset.errored") < 0 || indexOf(types, "video.asset.master.errored") < 0 {
				t.Errorf("events %v, want video.asset.errored and video.asset.master.errored", types)
			}
		})
	}
	for _, sub := range []string{"masters", "tmp"} {
		if left := dirNames(t, filepath.Join(env.dataDir, sub)); len(left) != 0 {
			t.Errorf("%s/ holds %v after failed builds", sub, left)
		}
	}
}

// Inputs that can never work are refused at once, naming the field.
func TestCreateRejectsBadParameters(t *testing.T) {
	env := newEnv(t)
	cases := []struct {
		p     CreateParams
		field string
	}{
		{CreateParams{Input: ""}, "input"},
		{CreateParams{Input: "videos/clip.mp4"}, "input"},
		{CreateParams{Input: "ftp://example.com/clip.mp4"}, "input"},
		{CreateParams{Input: "/tmp/a.mp4", AssetSettings: AssetSettings{MasterAccess: "forever"}}, "master_access"},
		{CreateParams{Input: "/tmp/a.mp4", AssetSettings: AssetSettings{MaxResolutionTier: "720p"}}, "max_resolution_tier"},
		{CreateParams{Input: "/tmp/a.mp4", AssetSettings: AssetSettings{VideoQuality: "ultra"}}, "video_quality"},
		{CreateParams{Input: "/tmp/a.mp4", AssetSettings: AssetSettings{Passthrough: strings.Repeat("p", 256)}}, "passthrough"},
		{CreateParams{Input: "/tmp/a.mp4", AssetSettings: AssetSettings{Meta: Meta{CreatorID: strings.Repeat("c", 129)}}}, "meta.creator_id"},
	}
	for _, c := range cases {
		_, err := env.svc.Create(env.ctx(), c.p)
		ve, ok := err.(*fail.InvalidError)
		if !ok || ve.Field != c.field {
			t.Errorf("Create(%+v): error %v, want a ValidationError on %s", c.p, err, c.field)
		}
	}
	if list, _, err := env.svc.List(env.ctx(), ListParams{}); err != nil || len(list) != 0 {
		t.Errorf("after refused creates the archive lists %d assets (err %v), want 0", len(list), err)
	}
}
