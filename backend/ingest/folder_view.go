package ingest

import (
	"context"
	"sort"
	"time"
)

// recentFilesShown is how many recorded files a folder's state lists.
const recentFilesShown = 25

// FolderState is a watch folder with its live state and the files it has
// seen lately, newest first.
type FolderState struct {
	Folder
	State       string
	Message     string
	LastScanAt  time.Time // zero before the first scan
	RecentFiles []FileState
}

// FileState is one file a folder has seen and what became of it.
type FileState struct {
	Path    string
	Size    int64
	Outcome string // settling | ingesting | ingested | moved | skipped
	AssetID string
	Note    string
	MovedTo string
	At      time.Time
}

// FolderState is f with its live state.
func (s *Service) FolderState(ctx context.Context, f Folder) (FolderState, error) {
	v := FolderState{Folder: f, State: StateStarting, RecentFiles: []FileState{}}
	if w := s.watcher(f.ID); w != nil {
		state, message, lastScan, settling := w.status()
		v.State, v.Message, v.LastScanAt = state, message, lastScan
		v.RecentFiles = append(v.RecentFiles, s.liveFiles(f, settling)...)
	}
	rows, err := recentFiles(ctx, s.db, f.ID, recentFilesShown)
	if err != nil {
		return FolderState{}, err
	}
	for _, r := range rows {
		fv := FileState{Path: r.Path, Size: r.Size, Outcome: r.Outcome, AssetID: r.AssetID, Note: r.Note,
			MovedTo: r.MovedTo, At: r.SeenAt}
		switch r.AfterState {
		case "moved":
			fv.Outcome = "moved"
		case "waiting":
			if fv.Note == "" {
				fv.Note = "moves to the done folder once its master is ready"
			}
		}
		v.RecentFiles = append(v.RecentFiles, fv)
	}
	return v, nil
}

// liveFiles lists files still settling or being ingested, newest first.
func (s *Service) liveFiles(f Folder, settling map[string]candidate) []FileState {
	out := make([]FileState, 0, len(settling))
	for path, c := range settling {
		out = append(out, FileState{Path: path, Size: c.stamp.size, Outcome: "settling",
			Note: "waiting for the file to stop changing", At: c.firstSeen})
	}
	s.mu.Lock()
	for path := range s.inflight {
		if !within(path, f.Path) {
			continue
		}
		out = append(out, FileState{Path: path, Outcome: "ingesting", At: s.now()})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
