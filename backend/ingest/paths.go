package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"reelvault/backend/archive"
)

// maxDroppedFiles bounds one drop: past it, watching the folder is the
// better tool (and the answer would be huge).
const maxDroppedFiles = 5000

// maxSkippedListed bounds the skipped list of one answer.
const maxSkippedListed = 200

// PathsParams is a drop of files and folders on the window (or the native
// "Add files" dialog), with the settings of the assets to make.
type PathsParams struct {
	Paths    []string
	Settings archive.AssetSettings
	Notify   bool // a person dropped them (archive.CreateParams.Notify)
}

// PathsResult is what a drop became.
type PathsResult struct {
	Assets       []archive.Asset
	Skipped      []SkippedPath
	SkippedTotal int // may exceed len(Skipped), which is bounded
}

// SkippedPath is a dropped path, or a file in a dropped folder, not taken.
type SkippedPath struct {
	Path   string
	Reason string
}

// IngestPaths creates an asset for each dropped file and for each video
// file inside each dropped folder (recursively; hidden and temporary files
// and non-video files are skipped). A file dropped by itself is taken
// whatever its type, as POST /video/v1/assets would: if it is not a video,
// its asset errors with the reason.
func (s *Service) IngestPaths(ctx context.Context, p PathsParams) (PathsResult, error) {
	if len(p.Paths) == 0 {
		return PathsResult{}, invalid("paths", "is required: a list of absolute file or folder paths")
	}
	if err := p.Settings.Validate(); err != nil {
		return PathsResult{}, err
	}
	files, res, err := s.expandPaths(p.Paths)
	if err != nil {
		return PathsResult{}, err
	}
	res.Assets = []archive.Asset{}
	for _, f := range files {
		cp := archive.CreateParams{Input: f, AssetSettings: p.Settings, Notify: p.Notify}
		if err := cp.Validate(); err != nil {
			res.skip(f, err.Error())
			continue
		}
		a, err := s.archive.Create(ctx, cp)
		if err != nil {
			return res, err
		}
		res.Assets = append(res.Assets, a)
	}
	s.log.Info("dropped paths ingested", "paths", len(p.Paths), "assets", len(res.Assets), "skipped", res.SkippedTotal)
	return res, nil
}

// expandPaths turns dropped paths into the files to ingest, in a stable
// order, each once.
func (s *Service) expandPaths(paths []string) ([]string, PathsResult, error) {
	var res PathsResult
	seen := map[string]bool{}
	var files []string
	add := func(path string) error {
		if seen[path] {
			return nil
		}
		seen[path] = true
		if len(files) == maxDroppedFiles {
			return invalid("paths", fmt.Sprintf("hold more than %d videos: add them in parts, or watch the folder instead", maxDroppedFiles))
		}
		files = append(files, path)
		return nil
	}
	for _, raw := range paths {
		if !filepath.IsAbs(raw) {
			res.skip(raw, "not an absolute path")
			continue
		}
		path := filepath.Clean(raw)
		st, err := os.Stat(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			res.skip(path, "does not exist")
			continue
		case err != nil:
			res.skip(path, "cannot be read: "+err.Error())
			continue
		case !st.IsDir():
			if err := add(path); err != nil {
				return nil, res, err
			}
			continue
		}
		var folderFiles []string
		walkErr := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				res.skip(p, "cannot be read: "+err.Error())
				return nil
			case d.IsDir():
				if p != path && (ignoredDir(d.Name()) || within(p, s.cfg.DataDir)) {
					return filepath.SkipDir
				}
				return nil
			case !d.Type().IsRegular() || ignoredName(d.Name()):
				return nil
			case !isVideoName(d.Name()):
				res.skip(p, "not a video file")
				return nil
			}
			folderFiles = append(folderFiles, p)
			return nil
		})
		if walkErr != nil {
			return nil, res, walkErr
		}
		sort.Strings(folderFiles)
		for _, f := range folderFiles {
			if err := add(f); err != nil {
				return nil, res, err
			}
		}
	}
	return files, res, nil
}

func (r *PathsResult) skip(path, reason string) {
	r.SkippedTotal++
	if len(r.Skipped) < maxSkippedListed {
		r.Skipped = append(r.Skipped, SkippedPath{Path: path, Reason: reason})
	}
}
