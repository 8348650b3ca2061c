package fixity

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Manifest lists the masters a backup vouches for, with their hashes, so a
// restored archive (or a copy of its masters) can be checked against it.
type Manifest struct {
	CreatedAt time.Time       `json:"created_at"`
	Database  string          `json:"database"` // the backup's database file, beside the manifest
	Masters   []ManifestEntry `json:"masters"`
}

// ManifestEntry is one master: its file relative to the data folder.
type ManifestEntry struct {
	AssetID string `json:"asset_id"`
	File    string `json:"file"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
}

// NewManifest describes masters, whose paths are inside dataDir.
func NewManifest(dataDir, database string, masters []Master, now time.Time) (Manifest, error) {
	m := Manifest{CreatedAt: now.UTC(), Database: database, Masters: []ManifestEntry{}}
	for _, ms := range masters {
		rel, err := filepath.Rel(dataDir, ms.Path)
		if err != nil {
			return Manifest{}, err
		}
		m.Masters = append(m.Masters, ManifestEntry{AssetID: ms.AssetID, File: filepath.ToSlash(rel), Size: ms.Size, SHA256: ms.SHA256})
	}
	return m, nil
}

// MastersIn is the manifest's masters as files of the data folder dataDir.
func (m Manifest) MastersIn(dataDir string) []Master {
	out := make([]Master, 0, len(m.Masters))
	for _, e := range m.Masters {
		out = append(out, Master{AssetID: e.AssetID, Path: filepath.Join(dataDir, filepath.FromSlash(e.File)), Size: e.Size, SHA256: e.SHA256})
	}
	return out
}

// ReadManifest reads and checks a manifest file.
func ReadManifest(path string) (Manifest, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return Manifest{}, fmt.Errorf("%s is not a Reelvault backup manifest: %v", path, err)
	}
	for i, e := range m.Masters {
		if e.File == "" || filepath.IsAbs(e.File) || !filepath.IsLocal(filepath.FromSlash(e.File)) || len(e.SHA256) != 64 || e.Size < 0 {
			return Manifest{}, fmt.Errorf("%s: entry %d (%q) is not a master of a data folder", path, i, e.File)
		}
	}
	return m, nil
}
