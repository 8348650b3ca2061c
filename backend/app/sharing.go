package app

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/links"
	"reelvault/backend/sharing"
)

// sharedAssets is the archive as share links see it: ready assets and
// their files.
type sharedAssets struct {
	archive *archive.Service
	dataDir string
}

func (s sharedAssets) SharedAsset(ctx context.Context, id string) (sharing.Asset, error) {
	a, err := s.archive.Get(ctx, id)
	if err != nil {
		return sharing.Asset{}, err
	}
	if a.MasterFile == "" {
		return sharing.Asset{}, archive.ErrNotReady
	}
	out := sharing.Asset{ID: a.ID, Title: a.Title(), Duration: a.Duration}
	for _, t := range a.Tracks {
		if t.Type == "video" && out.Width == 0 {
			out.Width, out.Height = t.MaxWidth, t.MaxHeight
		}
	}
	if a.ThumbnailFile != "" {
		out.PosterPath = filepath.Join(s.dataDir, a.ThumbnailFile)
	}
	master := sharing.File{AssetID: a.ID, Kind: sharing.KindMaster, Name: links.SafeFileName(a.Title()),
		Path: filepath.Join(s.dataDir, a.MasterFile), Size: a.MasterSize, SHA256: a.MasterSHA256, MimeType: "video/mp4"}
	if st, err := os.Stat(master.Path); err == nil {
		master.ModTime = st.ModTime()
	}
	out.Files = []sharing.File{master}
	return out, nil
}

// basePath is the path prefix of a public base ("" for most).
func basePath(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.EscapedPath(), "/")
}
