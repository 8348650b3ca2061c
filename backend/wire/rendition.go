package wire

import (
	"strconv"
	"time"

	"reelvault/backend/archive"
)

// StaticRendition is Mux's static rendition object, plus Reelvault's own
// fields after Passthrough. mp4_support's files carry only the file's facts,
// as Mux shows them.
type StaticRendition struct {
	ID             string          `json:"id,omitempty"`
	Type           string          `json:"type,omitempty"`
	Status         string          `json:"status,omitempty"`
	Resolution     string          `json:"resolution,omitempty"`
	ResolutionTier string          `json:"resolution_tier,omitempty"`
	Name           string          `json:"name"`
	Ext            string          `json:"ext"`
	Width          int             `json:"width,omitempty"`
	Height         int             `json:"height,omitempty"`
	Bitrate        int64           `json:"bitrate,omitempty"`
	Filesize       string          `json:"filesize,omitempty"` // a string, as Mux
	Passthrough    string          `json:"passthrough,omitempty"`
	AssetID        string          `json:"asset_id,omitempty"` // events only, as Mux
	Error          *RenditionError `json:"error,omitempty"`

	SHA256 string `json:"sha256,omitempty"`
	// URL downloads the file while the master's link is out (master_access
	// temporary), signed like it and revoked with it.
	URL       string `json:"url,omitempty"`
	ExpiresAt string `json:"url_expires_at,omitempty"`
	// PlayURL is where the window's player and download button read it.
	PlayURL string `json:"play_url,omitempty"`
}

// RenditionError says why a rendition errored or was skipped.
type RenditionError struct {
	Type     string   `json:"type"`
	Messages []string `json:"messages"`
}

// StaticRenditions is the asset's static_renditions object.
type StaticRenditions struct {
	// Status is the aggregate status of mp4_support's files; absent when
	// only the static renditions API made them (each has its own).
	Status string            `json:"status,omitempty"`
	Files  []StaticRendition `json:"files"`
}

// RenditionPlayURL is where the UI reads a ready rendition's file.
func RenditionPlayURL(assetID, renditionID string) string {
	return "/ui/v1/assets/" + assetID + "/static-renditions/" + renditionID + "/file"
}

// Rendition renders one rendition for the API as of now, with its download
// link while the asset's master link is out.
func (r *Assets) Rendition(a archive.Asset, rn archive.Rendition, now time.Time) StaticRendition {
	v := newRendition(rn)
	if rn.Status == archive.RenditionReady && !rn.Legacy {
		v.PlayURL = RenditionPlayURL(a.ID, rn.ID)
		if a.LinkActive(now) {
			v.URL = r.signer.Load().FileURL(a.ID, a.LinkGeneration, a.LinkExpiresAt, rn.Name)
			v.ExpiresAt = unixString(a.LinkExpiresAt)
		}
	}
	return v
}

// RenditionEvent renders a rendition for its events' data: with its
// asset's id, as Mux sends it. It is archive's Config.RenditionEvent.
func RenditionEvent(rn archive.Rendition) any {
	v := newRendition(rn)
	v.AssetID = rn.AssetID
	return v
}

func newRendition(rn archive.Rendition) StaticRendition {
	v := StaticRendition{Name: rn.Name, Ext: rn.Ext(), Width: rn.Width, Height: rn.Height, Bitrate: rn.Bitrate, SHA256: rn.SHA256}
	if rn.FileSize > 0 {
		v.Filesize = strconv.FormatInt(rn.FileSize, 10)
	}
	if rn.Legacy {
		return v
	}
	v.ID, v.Type, v.Status, v.Resolution, v.Passthrough = rn.ID, rn.Type(), rn.Status, rn.Resolution, rn.Passthrough
	v.ResolutionTier = rn.ResolutionTier()
	if rn.Error != "" && (rn.Status == archive.RenditionErrored || rn.Status == archive.RenditionSkipped) {
		typ := "rendition_failed"
		if rn.Status == archive.RenditionSkipped {
			typ = "skipped"
		}
		v.Error = &RenditionError{Type: typ, Messages: []string{rn.Error}}
	}
	return v
}

// staticRenditions is an asset's static_renditions object, nil when it has
// none. mp4_support's skipped files are left out, as Mux makes no such file.
func (r *Assets) staticRenditions(a archive.Asset, now time.Time) *StaticRenditions {
	if len(a.Renditions) == 0 {
		return nil
	}
	out := &StaticRenditions{Files: []StaticRendition{}}
	legacy := ""
	for _, rn := range a.Renditions {
		if rn.Legacy {
			legacy = aggregate(legacy, rn.Status)
			if rn.Status == archive.RenditionSkipped {
				continue
			}
		}
		out.Files = append(out.Files, r.Rendition(a, rn, now))
	}
	if legacy != "" {
		out.Status = legacy
	}
	return out
}

// aggregate folds one mp4_support file's status into the asset's: preparing
// while any is, errored if any did, else ready.
func aggregate(cur, next string) string {
	rank := map[string]int{"": 0, archive.RenditionSkipped: 1, archive.RenditionReady: 1, archive.RenditionErrored: 2, archive.RenditionPreparing: 3}
	if next == archive.RenditionSkipped {
		next = archive.RenditionReady
	}
	if rank[next] > rank[cur] {
		return next
	}
	return cur
}
