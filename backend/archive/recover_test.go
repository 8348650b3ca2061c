package archive

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/quarantine"
)

// Start-up removes what a crash left half-written and the files of deleted
// assets; a finished file it cannot place goes to quarantine, bytes intact.
func TestRecoverRemovesOnlyWhatItMay(t *testing.T) {
	dataDir := t.TempDir()
	first := newEnvAt(t, dataDir)
	a := first.readyAsset(AccessNone)
	a = first.waitFor(a.ID, "thumbnail", 30*time.Second, func(a Asset) bool { return a.ThumbnailFile != "" })
	gone := first.readyAsset(AccessNone)
	if err := first.svc.Delete(first.ctx(), gone.ID); err != nil {
		t.Fatal(err)
	}
	first.stop()

	removed := []string{"masters/0123.mp4.part", "tmp/0123.download", "tmp/0123.download.part",
		"thumbs/0123.part.jpg", "masters/" + a.ID + ".mp4.part",
		// A crash between the delete's commit and the file removal.
		"masters/" + gone.ID + ".mp4", "thumbs/" + gone.ID + ".jpg"}
	unknown := map[string][]byte{"masters/from-a-newer-database.mp4": []byte("a finished master"), "thumbs/orphan.jpg": []byte("jpeg")}
	for _, f := range removed {
		if err := os.WriteFile(filepath.Join(dataDir, f), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for f, b := range unknown {
		if err := os.WriteFile(filepath.Join(dataDir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := openEnv(t, dataDir)
	if err := env.svc.Recover(env.ctx()); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	for _, f := range removed {
		if _, err := os.Stat(filepath.Join(dataDir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived Recover (%v)", f, err)
		}
	}
	checkQuarantined(t, dataDir, unknown)
	size, sum := fileSHA256(t, filepath.Join(dataDir, a.MasterFile))
	if size != a.MasterSize || sum != a.MasterSHA256 {
		t.Errorf("the recorded master changed or went: %d bytes %s", size, sum)
	}
	if _, err := os.Stat(filepath.Join(dataDir, a.ThumbnailFile)); err != nil {
		t.Errorf("the recorded thumbnail went: %v", err)
	}
}

// Putting back an older copy of the database (a restore from backup) must
// not cost the masters made since: they are kept, in quarantine.
func TestRestoredOlderDatabaseLosesNoMaster(t *testing.T) {
	dataDir := t.TempDir()
	dbPath := filepath.Join(dataDir, "reelvault.db")

	first := openEnv(t, dataDir)
	first.start()
	old := first.readyAsset(AccessNone)
	first.stop()
	first.db.Close() // checkpointed: the file alone is the whole database
	backup, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}

	second := openEnv(t, dataDir)
	second.start()
	newer := second.readyAsset(AccessNone)
	newer = second.waitFor(newer.ID, "thumbnail", 30*time.Second, func(a Asset) bool { return a.ThumbnailFile != "" })
	masterBytes, err := os.ReadFile(filepath.Join(dataDir, newer.MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	second.stop()
	second.db.Close()

	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	if err := os.WriteFile(dbPath, backup, 0o600); err != nil {
		t.Fatal(err)
	}
	restored := openEnv(t, dataDir)
	if err := restored.svc.Recover(restored.ctx()); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, old.MasterFile)); err != nil {
		t.Errorf("the master the restored database knows went: %v", err)
	}
	items := checkQuarantined(t, dataDir, map[string][]byte{newer.MasterFile: masterBytes})
	for _, it := range items {
		if it.Name == filepath.Base(newer.MasterFile) && it.Size != newer.MasterSize {
			t.Errorf("quarantined master is %d bytes, want %d", it.Size, newer.MasterSize)
		}
	}
}

// checkQuarantined asserts each file (path relative to the data folder) is
// gone from where it was and kept in quarantine with the same bytes.
func checkQuarantined(t *testing.T, dataDir string, files map[string][]byte) []quarantine.Item {
	t.Helper()
	items, err := quarantine.List(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	byFrom := map[string]quarantine.Item{}
	for _, it := range items {
		byFrom[it.From] = it
	}
	for rel, want := range files {
		if _, err := os.Stat(filepath.Join(dataDir, rel)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still in place (%v)", rel, err)
		}
		it, ok := byFrom[filepath.ToSlash(rel)]
		if !ok {
			t.Errorf("%s was not quarantined (quarantine holds %v)", rel, items)
			continue
		}
		got, err := os.ReadFile(it.Path(dataDir))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("quarantined %s: %d bytes (%v), want the original %d bytes", rel, len(got), err, len(want))
		}
		if it.Reason == "" {
			t.Errorf("quarantined %s has no reason", rel)
		}
	}
	return items
}
