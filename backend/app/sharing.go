package app

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/ingest"
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
	if f, ok := s.original(a); ok {
		out.Files = append(out.Files, f)
	}
	for _, r := range a.Renditions {
		if r.Legacy || r.Status != archive.RenditionReady || !sharing.IsRendition(r.Resolution) {
			continue
		}
		f := sharing.File{AssetID: a.ID, Kind: r.Resolution, Name: r.DownloadName(a.Title()), Path: s.archive.RenditionFile(r),
			Size: r.FileSize, SHA256: r.SHA256, MimeType: r.MimeType()}
		if st, err := os.Stat(f.Path); err == nil {
			f.ModTime = st.ModTime()
		}
		out.Files = append(out.Files, f)
	}
	return out, nil
}

// original is the uploaded file Reelvault keeps as an upload's input (the
// user's only copy), named as the user knew it: the title the upload was
// given (its file name) with the file's own extension. Other sources' inputs
// are the user's own files elsewhere, not the archive's to hand out.
func (s sharedAssets) original(a archive.Asset) (sharing.File, bool) {
	if a.Source != archive.SourceUpload || a.InputSHA256 == "" {
		return sharing.File{}, false
	}
	uploads := filepath.Join(s.dataDir, "uploads")
	if rel, err := filepath.Rel(uploads, a.Input); err != nil || strings.HasPrefix(rel, "..") {
		return sharing.File{}, false
	}
	st, err := os.Stat(a.Input)
	if err != nil || !st.Mode().IsRegular() {
		return sharing.File{}, false
	}
	ext := strings.ToLower(filepath.Ext(a.Input))
	kind := ingest.MediaType(ext)
	return sharing.File{AssetID: a.ID, Kind: sharing.KindOriginal, Name: links.SafeFileNameExt(a.Title(), ext), Path: a.Input,
		Size: st.Size(), SHA256: a.InputSHA256, ModTime: st.ModTime(), MimeType: kind}, true
}

// basePath is the path prefix of a public base ("" for most).
func basePath(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.EscapedPath(), "/")
}
