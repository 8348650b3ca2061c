// Package delivery serves Mux's delivery URLs on the share listener, by
// playback ID:
//
//	/{PLAYBACK_ID}/highest.mp4            the master
//	/{PLAYBACK_ID}/{rendition}.mp4, /audio.m4a   a static rendition (Renditions)
//	/{PLAYBACK_ID}/thumbnail.{jpg,png,webp}?time=&width=&height=&fit_mode=&rotate=&flip_v=&flip_h=
//
// A signed playback ID needs ?token=, a JWT checked as Mux documents
// (package playback). Every request looks the playback ID, its key and its
// asset up again, so a deleted one stops serving at once. HLS
// (stream.mux.com/{id}.m3u8) is not served.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/links"
	"reelvault/backend/playback"
)

// lookupTimeout bounds the database look-ups of one request.
const lookupTimeout = 10 * time.Second

// Errors a Library or Renditions answers.
var (
	// ErrGone: the object behind a playback ID no longer exists.
	ErrGone = errors.New("delivery: no such asset or live stream")
	// ErrNotReady: the asset (or every recording of a live stream) has no master yet.
	ErrNotReady = errors.New("delivery: not ready")
	// ErrNoRendition: the asset has no ready rendition of that name.
	ErrNoRendition = errors.New("delivery: no such rendition")
)

// File is a file of an asset as the archive recorded it.
type File struct {
	Path     string
	Size     int64
	SHA256   string // lowercase hex, "" if unknown: no ETag then
	ModTime  time.Time
	Name     string // attachment name for ?download (SafeFileName'd)
	MimeType string // "" is video/mp4
}

// Media is what a playback ID opens: an asset with a ready master.
type Media struct {
	AssetID  string
	Master   File
	Duration float64
	// ThumbnailTime is the asset's thumbnail_time, the default frame; nil
	// is Mux's default, the middle of the video.
	ThumbnailTime *float64
	// NoPicture: the master is audio only, so there is no thumbnail.
	NoPicture bool
}

// Library finds the media behind playback IDs.
type Library interface {
	// AssetMedia is an asset's ready master: ErrGone, ErrNotReady.
	AssetMedia(ctx context.Context, assetID string) (Media, error)
	// LiveStreamMedia is a live stream's latest recording with a ready
	// master (thumbnails only): ErrGone, ErrNotReady.
	LiveStreamMedia(ctx context.Context, streamID string) (Media, error)
}

// Renditions finds an asset's static renditions (Mux's {name}.mp4 and
// audio.m4a); the renditions package implements it.
type Renditions interface {
	// Rendition is the ready rendition file named name ("720p.mp4",
	// "audio.m4a"), or ErrNoRendition.
	Rendition(ctx context.Context, assetID, name string) (File, error)
}

// IDs is the playback IDs and the tokens of signed ones (playback.Store).
type IDs interface {
	Lookup(ctx context.Context, pid string) (playback.ID, error)
	Verify(ctx context.Context, token, playbackID, audience string) (jwt.MapClaims, error)
}

// Handler serves delivery URLs.
type Handler struct {
	IDs        IDs
	Library    Library
	Renditions Renditions // nil: only highest.mp4 and thumbnails are served
	Thumbnails *Thumbnails
	// BasePath is the path prefix of the public base ("" for most).
	BasePath func() string
	// OnDamaged is told when a master's file is missing or has changed size.
	OnDamaged func(assetID, reason string)
	Log       *slog.Logger
}

// User-facing answers, plain text; none says whether an asset exists.
const (
	msgNotFound    = "Not found.\n"
	msgToken       = "This URL needs a valid, unexpired token for this playback ID (?token=).\n"
	msgNotReady    = "This video is not ready yet.\n"
	msgNoRendition = "This video has no %s: only highest.mp4 (the master) and thumbnails are served unless the asset has that static rendition ready.\n"
	msgLiveFile    = "A live stream's playback ID serves thumbnails of its latest recording; files are served by the recording's own playback IDs.\n"
	msgDamaged     = "This video cannot be served right now: the archived file is damaged or missing.\n"
	msgUnavailable = "This video cannot be served right now. Try again later.\n"
	msgMethod      = "Only GET and HEAD are allowed.\n"
	msgBusy        = "Too many pictures are being made right now. Try again in a few seconds.\n"
)

// retryBusy is the Retry-After, in seconds, of a picture refused while the queue is full.
const retryBusy = "2"

// deliveryPath is /{playback id}/{file name}; the id's own shape is checked
// by playback.LooksLikeID.
var deliveryPath = regexp.MustCompile(`^/([A-Za-z0-9]{44})/([a-z0-9-]{1,32}\.(mp4|m4a|jpg|png|webp))$`)

// Owns reports whether a request path (escaped, with the base path) is a
// delivery URL, so the share listener routes it here.
func (h *Handler) Owns(escapedPath string) bool {
	_, _, ok := h.split(escapedPath)
	return ok
}

func (h *Handler) split(escapedPath string) (pid, file string, ok bool) {
	p := escapedPath
	if h.BasePath != nil {
		var cut bool
		if p, cut = strings.CutPrefix(p, h.BasePath()); !cut {
			return "", "", false
		}
	}
	m := deliveryPath.FindStringSubmatch(p)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pid, file, ok := h.split(r.URL.EscapedPath())
	if !ok {
		writeText(w, http.StatusNotFound, msgNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeText(w, http.StatusMethodNotAllowed, msgMethod)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), lookupTimeout)
	defer cancel()
	id, err := h.IDs.Lookup(ctx, pid)
	if err != nil {
		h.lookupFailed(w, r, err, "playback_id", pid)
		return
	}
	thumbnail := strings.HasPrefix(file, "thumbnail.")
	audience := playback.AudienceVideo
	if thumbnail {
		audience = playback.AudienceThumbnail
	}
	var claims jwt.MapClaims
	if id.Policy == playback.Signed {
		claims, err = h.IDs.Verify(ctx, r.URL.Query().Get("token"), pid, audience)
		if errors.Is(err, playback.ErrBadToken) {
			h.log().Debug("refused a token", "playback_id", pid, "err", err, "remote", r.RemoteAddr)
			writeText(w, http.StatusForbidden, msgToken)
			return
		}
		if err != nil {
			h.lookupFailed(w, r, err, "playback_id", pid)
			return
		}
	}
	var m Media
	switch {
	case id.ObjectType == playback.ObjectAsset:
		m, err = h.Library.AssetMedia(ctx, id.ObjectID)
	case thumbnail:
		m, err = h.Library.LiveStreamMedia(ctx, id.ObjectID)
	default:
		writeText(w, http.StatusNotFound, msgLiveFile)
		return
	}
	if err != nil {
		h.lookupFailed(w, r, err, "object", id.ObjectID)
		return
	}
	cache := "no-cache" // public: kept by browsers, but asked again, so a deletion is seen at once
	if id.Policy == playback.Signed {
		cache = "private, no-store"
	}
	switch {
	case thumbnail:
		h.serveThumbnail(w, r, m, strings.TrimPrefix(file, "thumbnail."), claims, cache)
	case file == "highest.mp4":
		h.serveFile(w, r, m.AssetID, m.Master, cache, true)
	default:
		h.serveRendition(ctx, w, r, m.AssetID, file, cache)
	}
}

func (h *Handler) lookupFailed(w http.ResponseWriter, r *http.Request, err error, what, id string) {
	switch {
	case errors.Is(err, playback.ErrNotFound), errors.Is(err, ErrGone):
		writeText(w, http.StatusNotFound, msgNotFound)
	case errors.Is(err, ErrNotReady):
		writeText(w, http.StatusNotFound, msgNotReady)
	case r.Context().Err() != nil:
		// The client left.
	default:
		h.log().Error("delivery look-up failed", what, id, "err", err)
		writeText(w, http.StatusServiceUnavailable, msgUnavailable)
	}
}

func (h *Handler) serveRendition(ctx context.Context, w http.ResponseWriter, r *http.Request, assetID, name, cache string) {
	if h.Renditions == nil {
		writeText(w, http.StatusNotFound, fmt.Sprintf(msgNoRendition, name))
		return
	}
	f, err := h.Renditions.Rendition(ctx, assetID, name)
	if errors.Is(err, ErrNoRendition) {
		writeText(w, http.StatusNotFound, fmt.Sprintf(msgNoRendition, name))
		return
	}
	if err != nil {
		h.lookupFailed(w, r, err, "asset_id", assetID)
		return
	}
	h.serveFile(w, r, assetID, f, cache, false)
}

// serveFile streams a file with Range and conditional requests
// (http.ServeContent on an *os.File, so sendfile does the copy).
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, assetID string, file File, cache string, master bool) {
	f, info, err := links.OpenFile(file.Path, file.Size)
	if err != nil {
		h.log().Warn("file cannot be served", "asset_id", assetID, "err", err)
		// Only the master's damage is the fixity audit's business: a rendition is made again.
		if h.OnDamaged != nil && master {
			h.OnDamaged(assetID, err.Error())
		}
		writeText(w, http.StatusInternalServerError, msgDamaged)
		return
	}
	defer f.Close()
	hdr := w.Header()
	mime := file.MimeType
	if mime == "" {
		mime = "video/mp4"
	}
	hdr.Set("Content-Type", mime)
	if name := r.URL.Query().Get("download"); name != "" {
		// As Mux's ?download=: an attachment under that name (not signed).
		ext := ".mp4"
		if mime == "audio/mp4" {
			ext = ".m4a"
		}
		hdr.Set("Content-Disposition", links.ContentDisposition(links.SafeFileNameExt(name, ext)))
	}
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Cache-Control", cache)
	hdr.Set("X-Content-Type-Options", "nosniff")
	if etag, ok := links.ETag(file.SHA256); ok {
		hdr.Set("ETag", etag)
	}
	if links.EmptySuffixRange(r.Header.Get("Range")) {
		hdr.Set("Content-Range", fmt.Sprintf("bytes */%d", info.Size()))
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	modTime := file.ModTime
	if modTime.IsZero() {
		modTime = info.ModTime()
	}
	http.ServeContent(w, r, "", modTime, f)
}

// pictureTypes are the thumbnail formats and their Content-Type.
var pictureTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

func (h *Handler) serveThumbnail(w http.ResponseWriter, r *http.Request, m Media, format string, claims jwt.MapClaims, cache string) {
	mime, ok := pictureTypes[format]
	if !ok {
		writeText(w, http.StatusNotFound, msgNotFound)
		return
	}
	defaultAt := m.Duration / 2 // Mux's default frame: the middle
	if m.ThumbnailTime != nil {
		defaultAt = *m.ThumbnailTime
	}
	o, err := parseThumbnail(withClaims(r.URL.Query(), claims), format, m.Duration, defaultAt)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	if h.Thumbnails == nil {
		writeText(w, http.StatusNotFound, msgNotFound)
		return
	}
	if m.NoPicture {
		writeText(w, http.StatusNotFound, "This video has no picture (its master is audio only).\n")
		return
	}
	// The master is checked as for a download: a picture of a damaged one is not served.
	master, _, err := links.OpenFile(m.Master.Path, m.Master.Size)
	if err != nil {
		if h.OnDamaged != nil {
			h.OnDamaged(m.AssetID, err.Error())
		}
		writeText(w, http.StatusInternalServerError, msgDamaged)
		return
	}
	master.Close()
	path, err := h.Thumbnails.Picture(r.Context(), m, o)
	if errors.Is(err, ErrBusy) {
		w.Header().Set("Retry-After", retryBusy)
		writeText(w, http.StatusServiceUnavailable, msgBusy)
		return
	}
	if err != nil {
		if r.Context().Err() == nil {
			h.log().Warn("thumbnail failed", "asset_id", m.AssetID, "err", err)
			writeText(w, http.StatusInternalServerError, "This picture could not be made from the video.\n")
		}
		return
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		writeText(w, http.StatusServiceUnavailable, msgUnavailable) // evicted just now; rare
		return
	}
	if err != nil {
		writeText(w, http.StatusInternalServerError, msgUnavailable)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		writeText(w, http.StatusInternalServerError, msgUnavailable)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", mime)
	hdr.Set("Cache-Control", cache)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("ETag", `"`+strings.TrimSuffix(strings.ReplaceAll(info.Name(), "-", ""), "."+format)+`"`)
	http.ServeContent(w, r, "", info.ModTime(), f)
}

func (h *Handler) log() *slog.Logger {
	l := h.Log
	if l == nil {
		l = slog.Default()
	}
	return l.With("component", "delivery")
}

func writeText(w http.ResponseWriter, code int, msg string) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg))
}
