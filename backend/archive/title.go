package archive

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// Title is what the asset is called: meta.title, or else the input's file
// name, or else when it was made.
func (a Asset) Title() string {
	if a.Meta.Title != "" {
		return a.Meta.Title
	}
	switch a.Source {
	case SourceFile, SourceWatch:
		return trimFileExt(filepath.Base(a.Input))
	case SourceURL:
		// The URL's last path segment, decoded ("my%20clip.mp4" reads "my clip").
		if u, err := url.Parse(a.Input); err == nil {
			if name := path.Base(u.Path); name != "/" && name != "." {
				return trimFileExt(name)
			}
		}
	}
	return "Untitled " + a.CreatedAt.Format("2006-01-02 15:04")
}

// trimFileExt drops a file extension ("clip.mov" -> "clip") but keeps a
// name whose last dot is no extension ("Dr. Who", "Episode 1.5").
func trimFileExt(name string) string {
	ext := filepath.Ext(name)
	if len(ext) < 2 || len(ext) > 6 || len(ext) == len(name) {
		return name
	}
	letters := 0
	for _, r := range ext[1:] {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		case r < '0' || r > '9':
			return name
		}
	}
	if letters == 0 {
		return name
	}
	return strings.TrimSuffix(name, ext)
}
