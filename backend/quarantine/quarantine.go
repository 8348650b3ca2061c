// Package quarantine keeps files the database does not know about.
//
// A file in the data folder without a row may be the user's only copy: the
// database may have been restored from an older backup, or a power cut may
// have lost its last commits. So start-up never deletes such a file; it moves
// it here, where the user can see it, restore it into the library, or delete
// it themselves.
package quarantine

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/internal/partfile"
)

// Item is one quarantined file.
type Item struct {
	ID     string    // the item's folder name
	Name   string    // the file's own name, as it was found
	From   string    // where it was found, relative to the data folder
	Reason string    // why it was moved, in words
	Size   int64     // bytes
	At     time.Time // when it was moved
}

// Path is the quarantined file's location.
func (it Item) Path(dataDir string) string {
	return filepath.Join(Dir(dataDir), it.ID, it.Name)
}

// ErrNotFound is an id with no quarantined item.
var ErrNotFound = fail.NotFound("quarantined file")

const aboutFile = "about.json"

// Dir is the quarantine folder inside a data folder.
func Dir(dataDir string) string { return filepath.Join(dataDir, "quarantine") }

type about struct {
	Name   string    `json:"name"`
	From   string    `json:"from"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Move puts path (inside dataDir) into quarantine, with a note of where it
// was and why. The file is renamed, never copied: it stays on the same disk
// and its bytes are untouched.
func Move(dataDir, path, reason string, now time.Time) (Item, error) {
	from, err := filepath.Rel(dataDir, path)
	if err != nil || strings.HasPrefix(from, "..") {
		return Item{}, fmt.Errorf("quarantine: %s is outside the data folder", path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Item{}, err
	}
	id := now.UTC().Format("20060102T150405Z") + "-" + randomHex(4)
	dir := filepath.Join(Dir(dataDir), id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Item{}, err
	}
	it := Item{ID: id, Name: filepath.Base(path), From: filepath.ToSlash(from), Reason: reason, Size: st.Size(), At: now.UTC()}
	// The note first: a crash between the two steps leaves a note without a
	// file (harmless, listed as missing) rather than a file without a note.
	note, _ := json.MarshalIndent(about{Name: it.Name, From: it.From, Reason: reason, At: it.At}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, aboutFile), note, 0o600); err != nil {
		os.RemoveAll(dir)
		return Item{}, err
	}
	if err := os.Rename(path, it.Path(dataDir)); err != nil {
		os.RemoveAll(dir)
		return Item{}, err
	}
	partfile.SyncDir(dir)
	partfile.SyncDir(filepath.Dir(path))
	return it, nil
}

// List returns the quarantined files, oldest first.
func List(dataDir string) ([]Item, error) {
	entries, err := os.ReadDir(Dir(dataDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		it, err := Get(dataDir, e.Name())
		if err != nil {
			continue // not one of ours, or its note is unreadable: leave it be
		}
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	return items, nil
}

// Get returns one quarantined file.
func Get(dataDir, id string) (Item, error) {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return Item{}, ErrNotFound
	}
	raw, err := os.ReadFile(filepath.Join(Dir(dataDir), id, aboutFile))
	if errors.Is(err, os.ErrNotExist) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, err
	}
	var a about
	if err := json.Unmarshal(raw, &a); err != nil || a.Name == "" || strings.ContainsAny(a.Name, `/\`) {
		return Item{}, fmt.Errorf("quarantine %s: unreadable note", id)
	}
	it := Item{ID: id, Name: a.Name, From: a.From, Reason: a.Reason, At: a.At}
	if st, err := os.Stat(it.Path(dataDir)); err == nil {
		it.Size = st.Size()
	}
	return it, nil
}

// Delete removes a quarantined item: for good when the user asks, or once
// its file has been moved back into the library.
func Delete(dataDir, id string) error {
	if _, err := Get(dataDir, id); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(Dir(dataDir), id))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
