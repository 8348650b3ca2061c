package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"reelvault/backend/fail"
)

// Upload statuses, as Mux names them.
const (
	UploadWaiting      = "waiting"
	UploadAssetCreated = "asset_created"
	UploadErrored      = "errored"
	UploadCancelled    = "cancelled"
	UploadTimedOut     = "timed_out"
)

// Upload is one direct upload (Mux's upload object).
type Upload struct {
	ID               string
	Token            string
	CreatedAt        time.Time
	Status           string
	Timeout          time.Duration
	NewAssetSettings json.RawMessage
	CORSOrigin       string
	Test             bool
	TotalBytes       int64 // -1 until the uploader declares it
	AssetID          string
	File             string // relative to the data folder, once complete
	ErrorType        string
	ErrorMessage     string
}

// UploadView is an upload as the API shows it: Mux's fields, then
// Reelvault's own (Mux clients ignore unknown fields).
type UploadView struct {
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

// UploadPath is where the upload URLs are served, outside the authenticated
// API: the uploader (UpChunk in a browser, curl) has only the URL.
const UploadPath = "/upload/"

// UploadURL is the absolute URL the file is PUT to.
func (s *Service) UploadURL(u Upload) string {
	return s.cfg.BaseURL + UploadPath + u.ID + "?token=" + url.QueryEscape(u.Token)
}

// UploadView renders an upload for the API.
func (s *Service) UploadView(u Upload) UploadView {
	v := UploadView{ID: u.ID, URL: s.UploadURL(u), Status: u.Status, Timeout: int64(u.Timeout / time.Second),
		NewAssetSettings: u.NewAssetSettings, CORSOrigin: u.CORSOrigin, AssetID: u.AssetID, Test: u.Test,
		CreatedAt: strconv.FormatInt(u.CreatedAt.Unix(), 10)}
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
	switch u.Status {
	case UploadWaiting:
		if st, err := os.Stat(s.partPath(u.ID)); err == nil {
			v.ReceivedBytes = st.Size()
		}
	case UploadAssetCreated:
		v.ReceivedBytes = u.TotalBytes
	}
	return v
}

func (s *Service) partPath(id string) string { return s.abs(partRel(id)) }
func partRel(id string) string               { return "uploads/" + id + ".part" }

// Errors of the upload use cases; the API maps them to status codes.
var (
	ErrUploadNotFound = fail.NotFound("upload")
	ErrBadToken       = errors.New("the upload URL's token is not valid")
	ErrTooLarge       = errors.New("the file is larger than uploads may be")
	ErrEmptyUpload    = errors.New("the upload is empty")
)

// NotWaitingError is a change asked of an upload that is no longer waiting
// for its file (cancel of a finished upload, bytes sent to a cancelled one).
type NotWaitingError struct{ Status string }

func (e *NotWaitingError) Error() string {
	return fmt.Sprintf("the upload is %s, no longer waiting for its file", e.Status)
}

// GapError is a chunk that starts after the bytes received so far.
type GapError struct{ Received int64 }

func (e *GapError) Error() string {
	return fmt.Sprintf("this chunk leaves a gap: %d bytes have been received, so the next chunk must start at byte %d", e.Received, e.Received)
}

// MismatchError is a chunk that re-sends received bytes with other content.
type MismatchError struct{ Offset, Received int64 }

func (e *MismatchError) Error() string {
	return fmt.Sprintf("this chunk overlaps the bytes already received with other content (first difference at byte %d); the next chunk must start at byte %d",
		e.Offset, e.Received)
}

// RangeError is a Content-Range that cannot be honoured (a total that changed,
// an end past the total...).
type RangeError struct{ Message string }

func (e *RangeError) Error() string { return e.Message }
