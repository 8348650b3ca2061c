package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
)

// What happens to a watched file once its master is ready.
const (
	AfterLeave = "leave" // stays where it is
	AfterMove  = "move"  // moves to the done folder (never deleted)
)

// Watch folder states, as the UI shows them.
const (
	StateStarting = "starting" // not looked at yet
	StateWatching = "watching" // change events, plus a periodic rescan
	StatePolling  = "polling"  // no change events (network mount): scanned periodically
	StateError    = "error"    // cannot be watched now (missing, not a folder, no permission); retried
)

// Folder is one watched folder and the settings of the assets it makes.
type Folder struct {
	ID   string
	Path string
	// What its files' assets are made with (master access, tier, quality).
	archive.AssetSettings
	After           string
	DonePath        string // as configured: "" means <Path>/done
	FromCommandLine bool
	CreatedAt       time.Time
}

// DoneDir is where finished files are moved when After is "move".
func (f Folder) DoneDir() string {
	switch {
	case f.DonePath == "":
		return filepath.Join(f.Path, "done")
	case filepath.IsAbs(f.DonePath):
		return filepath.Clean(f.DonePath)
	}
	return filepath.Join(f.Path, f.DonePath)
}

// FolderParams creates or changes a folder; nil fields are left as they are
// (or get their default on creation).
type FolderParams struct {
	Path              *string
	MaxResolutionTier *string
	MasterAccess      *string
	VideoQuality      *string
	After             *string
	DonePath          *string
}

// ErrFolderNotFound is an unknown watch folder id.
var ErrFolderNotFound = fail.NotFound("watch folder")

// AddFolder starts watching a folder. Videos already in it are ingested
// too (each file once, ever: a folder removed and added again does not
// ingest its files a second time).
func (s *Service) AddFolder(ctx context.Context, p FolderParams) (Folder, error) {
	if p.Path == nil {
		return Folder{}, invalid("path", "is required: the absolute path of a folder to watch")
	}
	f := Folder{ID: strings.ReplaceAll(uuid.NewString(), "-", ""), AssetSettings: archive.AssetSettings{}.WithDefaults(),
		After: AfterLeave, CreatedAt: s.now()}
	if err := s.applyFolderParams(ctx, &f, p, true); err != nil {
		return Folder{}, err
	}
	if err := insertFolder(ctx, s.db, f); err != nil {
		return Folder{}, err
	}
	s.log.Info("watch folder added", "folder", f.ID, "path", f.Path)
	s.restartWatcher(f)
	return f, nil
}

// UpdateFolder changes a folder's path or settings.
func (s *Service) UpdateFolder(ctx context.Context, id string, p FolderParams) (Folder, error) {
	f, err := getFolder(ctx, s.db, id)
	if err != nil {
		return Folder{}, err
	}
	if err := s.applyFolderParams(ctx, &f, p, p.Path != nil); err != nil {
		return Folder{}, err
	}
	if err := updateFolder(ctx, s.db, f); err != nil {
		return Folder{}, err
	}
	s.restartWatcher(f)
	return f, nil
}

// RemoveFolder stops watching a folder. Its files and assets stay.
func (s *Service) RemoveFolder(ctx context.Context, id string) error {
	if err := deleteFolder(ctx, s.db, id); err != nil {
		return err
	}
	s.stopWatcher(id)
	s.log.Info("watch folder removed", "folder", id)
	return nil
}

// GetFolder returns one folder.
func (s *Service) GetFolder(ctx context.Context, id string) (Folder, error) {
	return getFolder(ctx, s.db, id)
}

// ListFolders returns every folder, oldest first.
func (s *Service) ListFolders(ctx context.Context) ([]Folder, error) {
	return listFolders(ctx, s.db)
}

// EnsureFolders makes sure each path given on the command line (--watch) is
// a watch folder, with default settings when new. A missing path is kept and
// shows as an error until it appears.
func (s *Service) EnsureFolders(ctx context.Context, paths []string) error {
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("--watch %q: %w", p, err)
		}
		if _, err := getFolderByPath(ctx, s.db, abs); err == nil {
			continue
		} else if !errors.Is(err, ErrFolderNotFound) {
			return err
		}
		if within(abs, s.cfg.DataDir) {
			return fmt.Errorf("--watch %q: the data folder cannot be watched", p)
		}
		f := Folder{ID: strings.ReplaceAll(uuid.NewString(), "-", ""), Path: abs, AssetSettings: archive.AssetSettings{}.WithDefaults(),
			After: AfterLeave, FromCommandLine: true, CreatedAt: s.now()}
		if err := insertFolder(ctx, s.db, f); err != nil {
			return err
		}
		s.log.Info("watch folder added from the command line", "folder", f.ID, "path", abs)
	}
	return nil
}

// applyFolderParams validates p and writes it into f.
func (s *Service) applyFolderParams(ctx context.Context, f *Folder, p FolderParams, checkPath bool) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&f.Path, p.Path)
	set(&f.MaxResolutionTier, p.MaxResolutionTier)
	set(&f.MasterAccess, p.MasterAccess)
	set(&f.VideoQuality, p.VideoQuality)
	set(&f.After, p.After)
	set(&f.DonePath, p.DonePath)
	if checkPath {
		if err := s.checkFolderPath(ctx, f); err != nil {
			return err
		}
	}
	if f.After != AfterLeave && f.After != AfterMove {
		return invalid("after", fmt.Sprintf("must be %q or %q, not %q", AfterLeave, AfterMove, f.After))
	}
	if f.DonePath != "" {
		if done := f.DoneDir(); done == f.Path || within(f.Path, done) {
			return invalid("done_path", "must not be the watched folder itself or contain it")
		}
	}
	return f.AssetSettings.Validate()
}

// checkFolderPath accepts an existing folder that is not the data folder,
// inside it, or already watched.
func (s *Service) checkFolderPath(ctx context.Context, f *Folder) error {
	if !filepath.IsAbs(f.Path) {
		return invalid("path", fmt.Sprintf("must be an absolute path, not %q", f.Path))
	}
	f.Path = filepath.Clean(f.Path)
	st, err := os.Stat(f.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return invalid("path", fmt.Sprintf("%s does not exist", f.Path))
	case err != nil:
		return invalid("path", fmt.Sprintf("%s cannot be read: %v", f.Path, err))
	case !st.IsDir():
		return invalid("path", fmt.Sprintf("%s is a file, not a folder", f.Path))
	}
	if within(f.Path, s.cfg.DataDir) {
		return invalid("path", "the archive's own data folder cannot be watched")
	}
	// Nested folders would race for the same files with different settings.
	others, err := listFolders(ctx, s.db)
	if err != nil {
		return err
	}
	for _, o := range others {
		switch {
		case o.ID == f.ID:
		case o.Path == f.Path:
			return invalid("path", fmt.Sprintf("%s is already watched", f.Path))
		case within(f.Path, o.Path):
			return invalid("path", fmt.Sprintf("%s is inside the watched folder %s", f.Path, o.Path))
		case within(o.Path, f.Path):
			return invalid("path", fmt.Sprintf("%s holds the watched folder %s", f.Path, o.Path))
		}
	}
	return nil
}
