package ingest

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// recentFilesShown is how many recorded files a folder's view lists.
const recentFilesShown = 25

// FolderView is a watch folder as the UI shows it: settings, state and the
// files it has seen lately, newest first.
type FolderView struct {
	ID                string     `json:"id"`
	Path              string     `json:"path"`
	MaxResolutionTier string     `json:"max_resolution_tier"`
	MasterAccess      string     `json:"master_access"`
	VideoQuality      string     `json:"video_quality"`
	After             string     `json:"after"`
	DonePath          string     `json:"done_path"`
	FromCommandLine   bool       `json:"from_command_line"`
	CreatedAt         string     `json:"created_at"`
	State             string     `json:"state"`
	Message           string     `json:"message,omitempty"`
	LastScanAt        string     `json:"last_scan_at,omitempty"`
	RecentFiles       []FileView `json:"recent_files"`
}

// FileView is one file a folder has seen and what became of it.
type FileView struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	Outcome string `json:"outcome"` // settling | ingesting | ingested | moved | skipped
	AssetID string `json:"asset_id,omitempty"`
	Note    string `json:"note,omitempty"`
	MovedTo string `json:"moved_to,omitempty"`
	At      string `json:"at"` // Unix seconds
}

// FolderView renders a folder with its live state.
func (s *Service) FolderView(ctx context.Context, f Folder) (FolderView, error) {
	v := FolderView{ID: f.ID, Path: f.Path, MaxResolutionTier: f.MaxResolutionTier, MasterAccess: f.MasterAccess,
		VideoQuality: f.VideoQuality, After: f.After, DonePath: f.DoneDir(), FromCommandLine: f.FromCommandLine,
		CreatedAt: unixString(f.CreatedAt), State: StateStarting, RecentFiles: []FileView{}}
	if w := s.watcher(f.ID); w != nil {
		state, message, lastScan, settling := w.status()
		v.State, v.Message = state, message
		if !lastScan.IsZero() {
			v.LastScanAt = unixString(lastScan)
		}
		v.RecentFiles = append(v.RecentFiles, s.liveFiles(f, settling)...)
	}
	rows, err := recentFiles(ctx, s.db, f.ID, recentFilesShown)
	if err != nil {
		return FolderView{}, err
	}
	for _, r := range rows {
		fv := FileView{Path: r.Path, Size: r.Size, Outcome: r.Outcome, AssetID: r.AssetID, Note: r.Note,
			MovedTo: r.MovedTo, At: unixString(r.SeenAt)}
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
func (s *Service) liveFiles(f Folder, settling map[string]candidate) []FileView {
	out := make([]FileView, 0, len(settling))
	for path, c := range settling {
		out = append(out, FileView{Path: path, Size: c.stamp.size, Outcome: "settling",
			Note: "waiting for the file to stop changing", At: unixString(c.firstSeen)})
	}
	s.mu.Lock()
	for path := range s.inflight {
		if !within(path, f.Path) {
			continue
		}
		out = append(out, FileView{Path: path, Outcome: "ingesting", At: unixString(s.now())})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func unixString(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
