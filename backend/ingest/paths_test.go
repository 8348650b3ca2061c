package ingest

import (
	"errors"
	"path/filepath"
	"sort"
	"testing"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
)

// A dropped folder ingests the videos inside it (subfolders too), and notes
// what it skipped; a dropped file is taken as it is.
func TestIngestPathsExpandsFolders(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	env := newEnv(t, "")
	drop := t.TempDir()
	writeFile(t, filepath.Join(drop, "a.mp4"), tiny)
	writeFile(t, filepath.Join(drop, "sub", "b.MOV"), tiny)
	writeFile(t, filepath.Join(drop, "sub", "deeper", "c.mkv"), tiny)
	writeFile(t, filepath.Join(drop, "readme.txt"), []byte("hi"))
	writeFile(t, filepath.Join(drop, ".hidden.mp4"), tiny)
	writeFile(t, filepath.Join(drop, ".git", "x.mp4"), tiny)
	single := filepath.Join(t.TempDir(), "single.mp4")
	writeFile(t, single, tiny)

	res, err := env.svc.IngestPaths(env.ctx(), PathsParams{
		Paths:    []string{drop, single, filepath.Join(drop, "a.mp4"), "/no/such/file.mp4", "relative.mp4"},
		Settings: archive.AssetSettings{MasterAccess: archive.AccessTemporary},
	})
	if err != nil {
		t.Fatalf("IngestPaths: %v", err)
	}
	var inputs []string
	for _, a := range res.Assets {
		inputs = append(inputs, a.Input)
		if a.MasterAccess != archive.AccessTemporary || a.Source != archive.SourceFile {
			t.Errorf("asset %s: master_access %q source %q", a.ID, a.MasterAccess, a.Source)
		}
	}
	sort.Strings(inputs)
	want := []string{filepath.Join(drop, "a.mp4"), filepath.Join(drop, "sub", "b.MOV"), filepath.Join(drop, "sub", "deeper", "c.mkv"), single}
	sort.Strings(want)
	if len(inputs) != len(want) {
		t.Fatalf("assets for %v, want %v", inputs, want)
	}
	for i := range want {
		if inputs[i] != want[i] {
			t.Fatalf("assets for %v, want %v", inputs, want)
		}
	}
	reasons := map[string]string{}
	for _, s := range res.Skipped {
		reasons[s.Path] = s.Reason
	}
	for path, reason := range map[string]string{filepath.Join(drop, "readme.txt"): "not a video file",
		"/no/such/file.mp4": "does not exist", "relative.mp4": "not an absolute path"} {
		if reasons[path] != reason {
			t.Errorf("skipped %s: %q, want %q (all: %v)", path, reasons[path], reason, reasons)
		}
	}
	if len(res.Skipped) != 3 || res.SkippedTotal != 3 {
		t.Errorf("skipped %v: hidden files must not be listed", res.Skipped)
	}

	_, err = env.svc.IngestPaths(env.ctx(), PathsParams{Paths: []string{drop}, Settings: archive.AssetSettings{MaxResolutionTier: "8k"}})
	var ve *fail.InvalidError
	if !errors.As(err, &ve) || ve.Field != "max_resolution_tier" {
		t.Errorf("bad tier: %v, want a validation error", err)
	}
}
