package archive

import (
	"testing"
	"time"
)

// The title shown in the list and the download's file name come from
// meta.title, else the input's file name, read as a person would.
func TestTitlesAndDownloadNames(t *testing.T) {
	env := openEnv(t, t.TempDir())
	created := time.Date(2026, 5, 6, 7, 8, 0, 0, time.UTC)
	cases := []struct {
		source, input, title string
		wantTitle, wantFile  string
	}{
		{SourceFile, "/videos/holiday.MOV", "", "holiday", "holiday.mp4"},
		{SourceFile, "/videos/Dr. Who", "", "Dr. Who", "Dr. Who.mp4"},
		{SourceFile, "/videos/Episode 1.5", "", "Episode 1.5", "Episode 1.5.mp4"},
		{SourceWatch, "/watch/archive.tar.mkv", "", "archive.tar", "archive.tar.mp4"},
		{SourceFile, "/videos/a.mp4", "Dr. Who: the movie", "Dr. Who: the movie", "Dr. Who- the movie.mp4"},
		{SourceURL, "https://cdn.example.com/v/my%20clip.webm?sig=abc.def", "", "my clip", "my clip.mp4"},
		{SourceURL, "https://cdn.example.com/", "", "Untitled 2026-05-06 07:08", "Untitled 2026-05-06 07-08.mp4"},
		{SourceUpload, "", "", "Untitled 2026-05-06 07:08", "Untitled 2026-05-06 07-08.mp4"},
	}
	for i, c := range cases {
		a := Asset{ID: "t" + string(rune('a'+i)), CreatedAt: created, Source: c.source, Input: c.input, Meta: Meta{Title: c.title},
			Status: StatusReady, MasterAccess: AccessTemporary, MasterStatus: MasterReady, MasterFile: "masters/x.mp4",
			LinkGeneration: 1, LinkExpiresAt: env.clock.Now().Add(time.Hour)}
		if got := a.Title(); got != c.wantTitle {
			t.Errorf("%s %q title %q: view title %q, want %q", c.source, c.input, c.title, got, c.wantTitle)
		}
		if err := saveAsset(env.ctx(), env.db, &a); err != nil {
			t.Fatal(err)
		}
		m, err := env.svc.ResolveMaster(env.ctx(), a.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if m.FileName != c.wantFile {
			t.Errorf("%s %q title %q: download name %q, want %q", c.source, c.input, c.title, m.FileName, c.wantFile)
		}
	}
}
