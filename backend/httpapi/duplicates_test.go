package httpapi_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The same file added twice (by two paths) is found by its bytes once both
// masters are made: each asset names the other; a different file names none.
func TestSameInputBytesAreListedAsDuplicates(t *testing.T) {
	e := newAPIEnv(t, apiOptions{runJobs: true})
	clip := makeClip(t, "320x240", "1")
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy on the other drive.mp4")
	if err := os.WriteFile(copyPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	first := e.create(`{"input": ` + jsonString(clip) + `}`)
	second := e.create(`{"input": ` + jsonString(copyPath) + `}`)
	other := e.create(`{"input": ` + jsonString(makeClip(t, "320x240", "2")) + `}`)

	named := func(id, want string) func(assetJSON) bool {
		return func(a assetJSON) bool { return a.Status == "ready" && slices.Equal(a.Duplicates, []string{want}) }
	}
	e.waitAsset(first.ID, 60*time.Second, "naming its copy", named(first.ID, second.ID))
	e.waitAsset(second.ID, 60*time.Second, "naming the first", named(second.ID, first.ID))
	// The different clip's own hash is in by the time its duplicates could be listed.
	e.waitAsset(other.ID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status == "ready" })
	var sum string
	if got := e.waitAsset(other.ID, 30*time.Second, "hashed", func(a assetJSON) bool {
		_ = e.db.QueryRowContext(t.Context(), `SELECT coalesce(input_sha256, '') FROM assets WHERE id = ?`, other.ID).Scan(&sum)
		return sum != ""
	}); len(got.Duplicates) != 0 {
		t.Errorf("a different file lists duplicates %v", got.Duplicates)
	}
	for _, a := range e.list("?limit=10").Data {
		if a.ID == first.ID && !slices.Equal(a.Duplicates, []string{second.ID}) {
			t.Errorf("the list shows duplicates %v for the first, want [%s]", a.Duplicates, second.ID)
		}
	}
}
