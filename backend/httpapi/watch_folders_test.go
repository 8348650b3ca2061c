package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type watchFolderJSON struct {
	ID                string `json:"id"`
	Path              string `json:"path"`
	MaxResolutionTier string `json:"max_resolution_tier"`
	MasterAccess      string `json:"master_access"`
	VideoQuality      string `json:"video_quality"`
	After             string `json:"after"`
	DonePath          string `json:"done_path"`
	State             string `json:"state"`
	Message           string `json:"message"`
	RecentFiles       []struct {
		Path    string `json:"path"`
		Outcome string `json:"outcome"`
		AssetID string `json:"asset_id"`
		Note    string `json:"note"`
	} `json:"recent_files"`
}

func decodeFolder(t *testing.T, r reply) watchFolderJSON {
	t.Helper()
	var env struct{ Data watchFolderJSON }
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("watch folder JSON %s: %v", r.body, err)
	}
	return env.Data
}

// Watch folders are managed through the API; a file dropped in one shows
// up as an asset and in the folder's recent files.
func TestWatchFoldersAPI(t *testing.T) {
	src := makeClip(t, "64x36", "1")
	e := newAPIEnv(t, apiOptions{runIngest: true})
	dir := t.TempDir()

	r := e.request("POST", "/ui/v1/watch-folders", `{"path": `+jsonString(dir)+`, "after": "move", "master_access": "temporary"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST: %s", r)
	}
	f := decodeFolder(t, r)
	if f.Path != dir || f.After != "move" || f.MasterAccess != "temporary" || f.MaxResolutionTier != "1080p" ||
		f.VideoQuality != "plus" || f.DonePath != filepath.Join(dir, "done") {
		t.Errorf("created %+v: want the settings given, defaults for the rest, done folder inside", f)
	}

	for body, field := range map[string]string{
		`{"path": ` + jsonString(dir) + `}`:                           "already watched",
		`{"path": "relative/dir"}`:                                    "absolute",
		`{"path": ` + jsonString(filepath.Join(dir, "missing")) + `}`: "does not exist",
		`{"path": ` + jsonString(e.dataDir) + `}`:                     "data folder",
		`{}`: "path",
		`{"path": ` + jsonString(t.TempDir()) + `, "after": "delete"}`:        "after",
		`{"path": ` + jsonString(t.TempDir()) + `, "video_quality": "ultra"}`: "video_quality",
	} {
		if r := e.request("POST", "/ui/v1/watch-folders", body); r.status != http.StatusBadRequest || !strings.Contains(errorMessage(r), field) {
			t.Errorf("POST %s: %s, want 400 about %q", body, r, field)
		}
	}

	r = e.request("PATCH", "/ui/v1/watch-folders/"+f.ID, `{"video_quality": "premium", "after": "leave"}`)
	if r.status != http.StatusOK || decodeFolder(t, r).VideoQuality != "premium" || decodeFolder(t, r).After != "leave" {
		t.Fatalf("PATCH: %s", r)
	}
	waitFor(t, 10*time.Second, func() bool {
		return decodeFolder(t, e.request("GET", "/ui/v1/watch-folders/"+f.ID, "")).State == "watching"
	}, "the folder is not watched")

	data, _ := os.ReadFile(src)
	os.WriteFile(filepath.Join(dir, "dropped.mp4"), data, 0o644)
	var seen watchFolderJSON
	waitFor(t, 30*time.Second, func() bool {
		seen = decodeFolder(t, e.request("GET", "/ui/v1/watch-folders/"+f.ID, ""))
		return len(seen.RecentFiles) == 1 && seen.RecentFiles[0].Outcome == "ingested"
	}, "the dropped file is not in the recent files as ingested")
	a := asset(t, e.request("GET", "/video/v1/assets/"+seen.RecentFiles[0].AssetID, ""))
	if a.MasterAccess != "temporary" {
		t.Errorf("asset master_access %q: the folder's settings were not used", a.MasterAccess)
	}

	var list struct{ Data []watchFolderJSON }
	json.Unmarshal(e.request("GET", "/ui/v1/watch-folders", "").body, &list)
	if len(list.Data) != 1 || list.Data[0].ID != f.ID {
		t.Errorf("list %+v", list.Data)
	}
	if r := e.request("DELETE", "/ui/v1/watch-folders/"+f.ID, ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE: %s", r)
	}
	for _, m := range []string{"GET", "DELETE"} {
		if r := e.request(m, "/ui/v1/watch-folders/"+f.ID, ""); r.status != http.StatusNotFound {
			t.Errorf("%s after delete: %s, want 404", m, r)
		}
	}
	if r := e.request("PATCH", "/ui/v1/watch-folders/nope", `{"after": "move"}`); r.status != http.StatusNotFound {
		t.Errorf("PATCH unknown: %s, want 404", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "dropped.mp4")); err != nil {
		t.Errorf("removing a watch folder touched its files: %v", err)
	}
}

// A folder dropped on the window ingests the videos inside it.
func TestIngestPathsAPI(t *testing.T) {
	src := makeClip(t, "64x36", "1")
	data, _ := os.ReadFile(src)
	e := newAPIEnv(t, apiOptions{ingest: true})
	drop := t.TempDir()
	os.MkdirAll(filepath.Join(drop, "b-roll"), 0o755)
	os.WriteFile(filepath.Join(drop, "a.mp4"), data, 0o644)
	os.WriteFile(filepath.Join(drop, "b-roll", "b.mp4"), data, 0o644)
	os.WriteFile(filepath.Join(drop, "notes.txt"), []byte("x"), 0o644)

	r := e.request("POST", "/ui/v1/ingest-paths", `{"paths": [`+jsonString(drop)+`], "max_resolution_tier": "2160p"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST: %s", r)
	}
	var out struct {
		Data struct {
			Assets  []assetJSON `json:"assets"`
			Skipped []struct {
				Path   string `json:"path"`
				Reason string `json:"reason"`
			} `json:"skipped"`
		} `json:"data"`
	}
	json.Unmarshal(r.body, &out)
	if len(out.Data.Assets) != 2 || out.Data.Assets[0].MaxResolutionTier != "2160p" {
		t.Errorf("assets %+v: want the two videos with the tier asked for", out.Data.Assets)
	}
	if len(out.Data.Skipped) != 1 || filepath.Base(out.Data.Skipped[0].Path) != "notes.txt" {
		t.Errorf("skipped %+v, want notes.txt", out.Data.Skipped)
	}
	for _, body := range []string{`{"paths": []}`, `{"paths": "one"}`, `{"paths": [` + jsonString(drop) + `], "master_access": "always"}`} {
		if r := e.request("POST", "/ui/v1/ingest-paths", body); r.status != http.StatusBadRequest {
			t.Errorf("POST %s: %s, want 400", body, r)
		}
	}
}
