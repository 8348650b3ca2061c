package wire

import "reelvault/backend/ingest"

// WatchFolder is a watch folder as the UI shows it: settings, state and the
// files it has seen lately, newest first. Times are Unix seconds as strings.
type WatchFolder struct {
	ID                string      `json:"id"`
	Path              string      `json:"path"`
	MaxResolutionTier string      `json:"max_resolution_tier"`
	MasterAccess      string      `json:"master_access"`
	VideoQuality      string      `json:"video_quality"`
	After             string      `json:"after"`
	DonePath          string      `json:"done_path"`
	FromCommandLine   bool        `json:"from_command_line"`
	CreatedAt         string      `json:"created_at"`
	State             string      `json:"state"`
	Message           string      `json:"message,omitempty"`
	LastScanAt        string      `json:"last_scan_at,omitempty"`
	RecentFiles       []WatchFile `json:"recent_files"`
}

// WatchFile is one file a folder has seen and what became of it.
type WatchFile struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	Outcome string `json:"outcome"`
	AssetID string `json:"asset_id,omitempty"`
	Note    string `json:"note,omitempty"`
	MovedTo string `json:"moved_to,omitempty"`
	At      string `json:"at"`
}

// NewWatchFolder renders a folder with its state.
func NewWatchFolder(st ingest.FolderState) WatchFolder {
	f := st.Folder
	v := WatchFolder{ID: f.ID, Path: f.Path, MaxResolutionTier: f.MaxResolutionTier, MasterAccess: f.MasterAccess,
		VideoQuality: f.VideoQuality, After: f.After, DonePath: f.DoneDir(), FromCommandLine: f.FromCommandLine,
		CreatedAt: unixString(f.CreatedAt), State: st.State, Message: st.Message,
		RecentFiles: make([]WatchFile, len(st.RecentFiles))}
	if !st.LastScanAt.IsZero() {
		v.LastScanAt = unixString(st.LastScanAt)
	}
	for i, r := range st.RecentFiles {
		v.RecentFiles[i] = WatchFile{Path: r.Path, Size: r.Size, Outcome: r.Outcome, AssetID: r.AssetID,
			Note: r.Note, MovedTo: r.MovedTo, At: unixString(r.At)}
	}
	return v
}

// DroppedPaths is what files and folders dropped on the window became: the
// assets made, and the paths not taken with the reason (at most a bounded
// number listed; SkippedTotal counts them all).
type DroppedPaths struct {
	Assets       []Asset       `json:"assets"`
	Skipped      []SkippedPath `json:"skipped"`
	SkippedTotal int           `json:"skipped_total"`
}

// SkippedPath is a dropped path not taken, and why.
type SkippedPath struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}
