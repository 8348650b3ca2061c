package wire

import (
	"bytes"
	"encoding/json"
	"math"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/sharing"
)

// ShareLink is a share link (Reelvault's own object, under
// /reelvault/v1/share-links). Times are ISO 8601 (UTC); expires_at and
// max_downloads are null for "never" and "no limit".
type ShareLink struct {
	ID             string          `json:"id"`
	URL            string          `json:"url"`
	Label          string          `json:"label"`
	AssetIDs       []string        `json:"asset_ids"`
	CreatedAt      string          `json:"created_at"`
	ExpiresAt      *string         `json:"expires_at"`
	MaxDownloads   *int            `json:"max_downloads"`
	Downloads      int             `json:"downloads"`
	LastDownloadAt *string         `json:"last_download_at"`
	HasPassword    bool            `json:"has_password"`
	Status         string          `json:"status"`
	Files          []ShareLinkFile `json:"files"`
}

// ShareLinkFile is one file a link offers, with its direct URL.
type ShareLinkFile struct {
	AssetID string `json:"asset_id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	URL     string `json:"url"`
}

// ShareDownload is one row of a link's download log.
type ShareDownload struct {
	ID            int64  `json:"id"`
	StartedAt     string `json:"started_at"`
	At            string `json:"at"` // the last byte sent
	ClientAddress string `json:"client_address"`
	UserAgent     string `json:"user_agent"`
	AssetID       string `json:"asset_id"`
	File          string `json:"file"` // the kind: "master"
	BytesSent     int64  `json:"bytes_sent"`
	Size          int64  `json:"size"`
	Complete      bool   `json:"complete"`
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optionalTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := isoTime(t)
	return &s
}

// NewShareLink renders a link.
func NewShareLink(v sharing.View) ShareLink {
	out := ShareLink{ID: v.ID, URL: v.URL, Label: v.Label, AssetIDs: v.AssetIDs, CreatedAt: isoTime(v.CreatedAt),
		ExpiresAt: optionalTime(v.ExpiresAt), Downloads: v.Downloads, LastDownloadAt: optionalTime(v.LastDownload),
		HasPassword: v.HasPassword(), Status: v.Status, Files: []ShareLinkFile{}}
	if out.AssetIDs == nil {
		out.AssetIDs = []string{}
	}
	if v.MaxDownloads > 0 {
		n := v.MaxDownloads
		out.MaxDownloads = &n
	}
	for _, a := range v.Assets {
		for _, f := range a.Files {
			out.Files = append(out.Files, ShareLinkFile{AssetID: a.ID, Name: f.Name, Kind: f.Kind, Size: f.Size, SHA256: f.SHA256, URL: f.URL})
		}
	}
	return out
}

// ShareLinkEvent is a link as webhooks carry it.
func ShareLinkEvent(v sharing.View) any { return NewShareLink(v) }

// NewShareDownload renders a download log row.
func NewShareDownload(d sharing.Download) ShareDownload {
	return ShareDownload{ID: d.ID, StartedAt: isoTime(d.StartedAt), At: isoTime(d.LastAt), ClientAddress: d.Client,
		UserAgent: d.UserAgent, AssetID: d.AssetID, File: d.Kind, BytesSent: d.BytesSent, Size: d.FileSize, Complete: d.Complete}
}

// ShareLinkRequest is the body of POST and PATCH /reelvault/v1/share-links.
type ShareLinkRequest struct {
	AssetIDs     []string        `json:"asset_ids"`
	Label        *string         `json:"label"`
	ExpiresIn    json.RawMessage `json:"expires_in"` // seconds, or "never"
	ExpiresAt    json.RawMessage `json:"expires_at"` // ISO 8601, or "never"
	MaxDownloads *int            `json:"max_downloads"`
	Password     string          `json:"password"`
	Files        []string        `json:"files"`
}

// Expiry reads expires_in / expires_at (at most one of them).
func (r ShareLinkRequest) Expiry() (sharing.Expiry, error) {
	in, at := present(r.ExpiresIn), present(r.ExpiresAt)
	switch {
	case in && at:
		return sharing.Expiry{}, fail.Invalid("expires_in", "and expires_at cannot both be given")
	case in:
		if isNever(r.ExpiresIn) {
			return sharing.Expiry{Set: true, Never: true}, nil
		}
		var secs float64
		if err := json.Unmarshal(r.ExpiresIn, &secs); err != nil || secs != math.Trunc(secs) || secs < 0 || secs > math.MaxInt32*100 {
			return sharing.Expiry{}, fail.Invalid("expires_in", "must be a whole number of seconds or \"never\"")
		}
		return sharing.Expiry{Set: true, In: time.Duration(secs) * time.Second}, nil
	case at:
		if isNever(r.ExpiresAt) {
			return sharing.Expiry{Set: true, Never: true}, nil
		}
		var s string
		if err := json.Unmarshal(r.ExpiresAt, &s); err != nil {
			return sharing.Expiry{}, fail.Invalid("expires_at", "must be an ISO 8601 time (2026-12-01T18:00:00Z) or \"never\"")
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return sharing.Expiry{}, fail.Invalid("expires_at", "must be an ISO 8601 time (2026-12-01T18:00:00Z) or \"never\"")
		}
		return sharing.Expiry{Set: true, At: t}, nil
	}
	return sharing.Expiry{}, nil
}

func present(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func isNever(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte(`"never"`))
}

// ShareSettings is /reelvault/v1/share-settings: sender_name is who landing
// pages say shared a link (the machine's host name until set).
type ShareSettings struct {
	SenderName string `json:"sender_name"`
}
