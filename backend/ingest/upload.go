package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/partfile"
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
	FileName         string // the file's name on the sender's computer, when it said (Reelvault's file_name)
	ErrorType        string
	ErrorMessage     string
}

// UploadState is an upload with what only the running service knows: the
// URL it is PUT to and how many bytes have arrived.
type UploadState struct {
	Upload
	URL           string
	ReceivedBytes int64
}

// UploadPath is where the upload URLs are served, outside the authenticated
// API: the uploader (UpChunk in a browser, curl) has only the URL.
const UploadPath = "/upload/"

// UploadURL is the absolute URL the file is PUT to.
func (s *Service) UploadURL(u Upload) string {
	return s.cfg.BaseURL + UploadPath + u.ID + "?token=" + url.QueryEscape(u.Token)
}

// UploadState is u as it stands now.
func (s *Service) UploadState(u Upload) UploadState {
	st := UploadState{Upload: u, URL: s.UploadURL(u)}
	switch u.Status {
	case UploadWaiting:
		if fi, err := os.Stat(s.partPath(u.ID)); err == nil {
			st.ReceivedBytes = fi.Size()
		}
	case UploadAssetCreated:
		st.ReceivedBytes = u.TotalBytes
	}
	return st
}

func (s *Service) partPath(id string) string { return s.abs(partRel(id)) }
func partRel(id string) string               { return "uploads/" + id + partfile.Suffix }

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

// LimitError refuses a request that claims a file larger than an upload may
// be (its Content-Range or Content-Length); the upload is left as it was (the
// window then cancels it; another client may send a smaller file).
// It is an ErrTooLarge.
type LimitError struct{ Max, Claimed int64 }

func (e *LimitError) Error() string {
	return fmt.Sprintf("this upload is limited to %s (%d bytes) and this request claims a file of %d bytes: "+
		"nothing was written", diskspace.Human(e.Max), e.Max, e.Claimed)
}

func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }

// BusyError refuses a chunk of an upload while Max others are receiving, each
// with its part file open; nothing was written. A place frees when one of
// them finishes, is cancelled or pauses past the idle timeout.
type BusyError struct {
	Max        int
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("this computer is receiving %d uploads at once, the most it takes; nothing was written: "+
		"send this again in %d seconds", e.Max, int(e.RetryAfter.Seconds()))
}

// RangeError is a Content-Range that cannot be honoured (a total that changed,
// an end past the total...).
type RangeError struct{ Message string }

func (e *RangeError) Error() string { return e.Message }
