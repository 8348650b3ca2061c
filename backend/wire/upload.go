package wire

import (
	"encoding/json"
	"strconv"
	"time"

	"reelvault/backend/ingest"
)

// Upload is Mux's direct upload object, then Reelvault's own fields (Mux
// clients ignore unknown fields). Its events carry the same object.
type Upload struct {
	ID               string          `json:"id"`
	URL              string          `json:"url"`
	Status           string          `json:"status"`
	Timeout          int64           `json:"timeout"`
	NewAssetSettings json.RawMessage `json:"new_asset_settings"`
	CORSOrigin       string          `json:"cors_origin,omitempty"`
	AssetID          string          `json:"asset_id,omitempty"`
	Error            *UploadError    `json:"error,omitempty"`
	Test             bool            `json:"test,omitempty"`

	CreatedAt     string `json:"created_at"`
	ReceivedBytes int64  `json:"received_bytes"`
	TotalBytes    *int64 `json:"total_bytes,omitempty"`
}

// UploadError is Mux's error object of an errored upload.
type UploadError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// NewUpload renders an upload; it is also ingest's Config.UploadEvent.
func NewUpload(st ingest.UploadState) Upload {
	u := st.Upload
	v := Upload{ID: u.ID, URL: st.URL, Status: u.Status, Timeout: int64(u.Timeout / time.Second),
		NewAssetSettings: u.NewAssetSettings, CORSOrigin: u.CORSOrigin, AssetID: u.AssetID, Test: u.Test,
		CreatedAt: unixString(u.CreatedAt), ReceivedBytes: st.ReceivedBytes}
	if len(v.NewAssetSettings) == 0 {
		v.NewAssetSettings = json.RawMessage("{}")
	}
	if u.ErrorType != "" {
		v.Error = &UploadError{Type: u.ErrorType, Message: u.ErrorMessage}
	}
	if u.TotalBytes >= 0 {
		total := u.TotalBytes
		v.TotalBytes = &total
	}
	return v
}

// UploadEvent is NewUpload as ingest's event renderer.
func UploadEvent(st ingest.UploadState) any { return NewUpload(st) }

// unixString is Mux's created_at in API answers: Unix seconds as a string.
func unixString(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
