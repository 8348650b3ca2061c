package ingest

import (
	"path/filepath"
	"strings"
)

// videoExtensions are the file types taken from watch folders and dropped
// folders. Anything else found there is skipped with a note.
var videoExtensions = map[string]bool{
	".mp4": true, ".mov": true, ".m4v": true, ".mkv": true, ".webm": true, ".avi": true, ".mxf": true,
	".mts": true, ".m2ts": true, ".ts": true, ".mpg": true, ".mpeg": true, ".m2v": true, ".wmv": true,
	".flv": true, ".3gp": true, ".3g2": true, ".ogv": true, ".dv": true, ".vob": true, ".f4v": true,
	".y4m": true, ".nut": true, ".asf": true,
}

// tempSuffixes mark files some program is still writing: browsers,
// downloaders, editors and copy tools rename them when done.
var tempSuffixes = []string{
	".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".opdownload", ".!qb", ".!ut",
	".swp", ".filepart", ".inprogress", "~",
}

// ignoredName reports files that are never looked at, not even noted:
// hidden files (.DS_Store, ._resource forks, rsync's .name.XXXXXX), Office
// lock files (~$name), temporary files and system clutter.
func ignoredName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	lower := strings.ToLower(name)
	if lower == "thumbs.db" || lower == "desktop.ini" {
		return true
	}
	for _, suf := range tempSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// ignoredDir reports folders whose contents are never taken: hidden ones
// (.Trash, .git, a data folder under ~/.local...) and system clutter.
func ignoredDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "$RECYCLE.BIN" || name == "System Volume Information" ||
		name == "lost+found"
}

// isVideoName reports whether the file's extension is a video container's.
func isVideoName(name string) bool {
	return videoExtensions[strings.ToLower(filepath.Ext(name))]
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
