package sharing

import (
	"slices"
	"time"
)

// Status of a link, as the API says it.
const (
	StatusActive    = "active"
	StatusExpired   = "expired"
	StatusRevoked   = "revoked"
	StatusExhausted = "exhausted"
)

// File kinds a link can offer: the master, the kept original of an upload,
// and the static renditions by resolution (only those ready when the link
// is opened).
const (
	KindMaster   = "master"
	KindOriginal = "original"
)

// RenditionKinds are the static renditions a link can offer, as Mux names
// their resolutions.
var RenditionKinds = []string{"highest", "audio-only", "2160p", "1440p", "1080p", "720p", "540p", "480p", "360p", "270p"}

// KnownKind reports whether a link may list kind in its files.
func KnownKind(kind string) bool {
	return kind == KindMaster || kind == KindOriginal || slices.Contains(RenditionKinds, kind)
}

// IsRendition reports whether kind is a static rendition's.
func IsRendition(kind string) bool { return slices.Contains(RenditionKinds, kind) }

// KindLabel is how the landing page names a kind of file.
func KindLabel(kind string) string {
	switch {
	case kind == KindMaster:
		return "Master"
	case kind == KindOriginal:
		return "Original"
	case kind == "audio-only":
		return "Audio"
	case kind == "highest":
		return "Full-size proxy"
	}
	return kind + " proxy"
}

// Webhook event types.
const (
	EventDownloaded = "reelvault.share_link.downloaded"
	EventExpired    = "reelvault.share_link.expired"
)

// Link is one share link.
type Link struct {
	ID           string
	Token        string
	Label        string
	AssetIDs     []string
	CreatedAt    time.Time
	ExpiresAt    time.Time // zero: never
	MaxDownloads int       // 0: no limit
	Downloads    int       // complete downloads so far
	LastDownload time.Time // zero: none yet
	PasswordHash string
	Kinds        []string
	RevokedAt    time.Time // zero: not revoked
}

// HasPassword reports whether the link asks for a password.
func (l Link) HasPassword() bool { return l.PasswordHash != "" }

// Status is the link's state at now. Revoked wins over expired, expired
// over exhausted.
func (l Link) Status(now time.Time) string {
	switch {
	case !l.RevokedAt.IsZero():
		return StatusRevoked
	case !l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt):
		return StatusExpired
	case l.MaxDownloads > 0 && l.Downloads >= l.MaxDownloads:
		return StatusExhausted
	}
	return StatusActive
}

// File is one file a link offers, resolved against the archive.
type File struct {
	AssetID  string
	Kind     string
	Name     string // the attachment name, e.g. "My clip.mp4"
	Path     string
	Size     int64
	SHA256   string
	ModTime  time.Time
	MimeType string
	URL      string // the direct URL, set by View
}

// Asset is what the landing page and the API show of one shared asset.
type Asset struct {
	ID         string
	Title      string
	Duration   float64 // seconds
	Width      int
	Height     int
	PosterPath string // "" when there is none
	Files      []File
	// Play is the file the landing page's player shows: a video proxy the
	// link offers, else its master (nil: nothing a browser plays).
	Play *File
}

// Download is one row of a link's download log.
type Download struct {
	ID        int64
	AssetID   string
	Kind      string
	StartedAt time.Time
	LastAt    time.Time
	Client    string
	UserAgent string
	BytesSent int64
	FileSize  int64
	Complete  bool
}
