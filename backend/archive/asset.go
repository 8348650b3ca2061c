// Package archive is Reelvault's domain: assets, their masters and master
// access, and the Service that carries out every change to them. Each
// change and the events it causes are written in one transaction.
package archive

import (
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/media"
	"reelvault/backend/playback"
)

// Asset statuses.
const (
	StatusPreparing = "preparing"
	StatusReady     = "ready"
	StatusErrored   = "errored"
)

// Master access and master statuses.
const (
	AccessTemporary = "temporary"
	AccessNone      = "none"

	MasterPreparing = "preparing"
	MasterReady     = "ready"
	MasterErrored   = "errored"
)

// Progress states, as Mux names them.
const (
	ProgressIngesting   = "ingesting"
	ProgressTranscoding = "transcoding"
	ProgressCompleted   = "completed"
	ProgressErrored     = "errored"
)

// Sources: where an asset came from.
const (
	SourceFile   = "file"
	SourceURL    = "url"
	SourceUpload = "upload"
	SourceWatch  = "watch"
	SourceLive   = "live"
)

// Asset is one video in the archive.
type Asset struct {
	ID        string
	CreatedAt time.Time

	Status       string
	ErrorType    string
	ErrorMessage string

	Source     string
	Input      string
	IngestType string

	MaxResolutionTier string
	VideoQuality      string
	Passthrough       string
	Meta              Meta
	UploadID          string
	LiveStreamID      string
	IsLive            bool

	ProgressState string
	Progress      float64
	// Waiting says what the asset's work waits for ("Waiting for 12 GB of
	// free space"), "" when it is not waiting. Not stored: see setWaiting.
	Waiting string
	// QueueAhead is how many builds come before this asset's in its lane
	// (running or queued earlier); nil when its work is not waiting in the
	// queue. Not stored: read from the job queue (see withQueue).
	QueueAhead *int
	// Speed is how fast the asset's running download or build goes; nil when
	// nothing runs or it is not known yet. Not stored: see setSpeed.
	Speed *Speed
	// Duplicates are the other assets made from the same input bytes (the same
	// SHA-256), oldest first; read with the asset, not stored.
	Duplicates []string

	Duration       float64
	AspectRatio    string
	ResolutionTier string
	Tracks         []Track

	MasterMode   string
	MasterReason string
	// MasterChanges says, one sentence each, what the master changed compared to the
	// original (media.Changes); empty for a pure remux, nil before the master is built.
	MasterChanges []string
	// InputInfo describes the original as probed when the master was built.
	InputInfo *media.InputFile
	// MasterInfo describes the master file as probed once it was written (by a build or a
	// rebuild); nil for masters made before it was recorded.
	MasterInfo *media.InputFile
	// InputSHA256 is the input's hash when its source knew it (uploads).
	InputSHA256      string
	MasterVideoCodec string
	MasterAudioCodec string
	MasterFile       string // relative to the data folder
	MasterSize       int64
	MasterSHA256     string
	ThumbnailFile    string
	ThumbnailTime    *float64 // Mux's thumbnail_time: seconds into the master; nil is the default frame

	// The fixity audit: what is wrong with the master file ("" when it was
	// intact at MasterCheckedAt, or was never checked).
	MasterDamage    string
	MasterCheckedAt time.Time

	MasterAccess   string
	MasterStatus   string
	MasterError    string
	LinkGeneration int64
	LinkExpiresAt  time.Time // zero unless a link is out

	// PlaybackIDs open the asset on the share listener (Mux's delivery URLs),
	// oldest first. Kept in their own table: saveAsset does not write them.
	PlaybackIDs []playback.ID
	// Renditions is the asset's static renditions (proxies), oldest first.
	Renditions []Rendition
	// Rebuild is the master being made again at another tier, or the rebuild that
	// failed; nil when there is none. Kept in its own table: saveAsset does not write it.
	Rebuild *Rebuild
}

// Meta is the user's own labels (Mux's meta object).
type Meta struct {
	Title      string
	CreatorID  string
	ExternalID string
}

// Track is a video or audio track of the master, as Mux describes it.
type Track struct {
	ID           string
	Type         string
	Duration     float64
	MaxWidth     int
	MaxHeight    int
	MaxFrameRate float64
	MaxChannels  int
	Primary      bool
	Status       string
	LanguageCode string // audio and text: the language the file names ("eng"), if any
	Name         string // audio and text: the track's name in the file ("Boom"), if any
	TextType     string // text: "subtitles"
}

// LinkActive reports whether a download link is out and unexpired at now.
func (a Asset) LinkActive(now time.Time) bool {
	return a.MasterAccess == AccessTemporary && a.MasterStatus == MasterReady &&
		!a.LinkExpiresAt.IsZero() && now.Before(a.LinkExpiresAt)
}

// Errors of the asset use cases, in the one vocabulary the API maps.
var (
	ErrNotFound = fail.NotFound("asset")
	ErrNotReady = fail.Precondition("Asset is not ready")
)

var invalid = fail.Invalid

func oneOf(field, value string, allowed []string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return invalid(field, "must be one of %q, not %q", allowed, value)
}

func maxLen(field, value string, n int) error {
	if len([]rune(value)) > n {
		return invalid(field, "must be at most %d characters", n)
	}
	return nil
}
