package links

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// resolveTimeout bounds the database look-up so a stuck store cannot pin
// share-listener connections.
const resolveTimeout = 10 * time.Second

// etagHexLen is how much of the SHA-256 goes into the ETag: 128 bits is
// plenty to tell two masters apart and keeps the header short.
const etagHexLen = 32

// User-facing answers: short, plain, and the same whether or not the asset
// exists.
const (
	msgNotFound    = "Not found.\n"
	msgTampered    = "This link is not valid. Check that it was copied completely.\n"
	msgExpired     = "This link has expired. Ask for a new one.\n"
	msgRevoked     = "This link is no longer valid. Ask for a new one.\n"
	msgDamaged     = "This video cannot be served right now: the archived file is damaged or missing.\n"
	msgUnavailable = "This video cannot be served right now. Try again later.\n"
	msgMethod      = "Only GET and HEAD are allowed.\n"
)

// Master is the file behind a link, as the archive recorded it.
type Master struct {
	Path    string
	Size    int64
	SHA256  string // lowercase hex; its first 32 characters are the ETag
	ModTime time.Time
	// FileName is the default attachment name, e.g. "My clip.mp4"; it is
	// passed through SafeFileName.
	FileName string
}

// Resolver looks up the master behind a genuine, unexpired link.
type Resolver interface {
	// ResolveMaster returns the master if a link of this generation is
	// currently valid, else ErrRevoked (also for unknown or deleted assets,
	// so a link holder cannot probe which assets exist).
	ResolveMaster(ctx context.Context, assetID string, generation int64) (Master, error)
}

// FileResolver is a Resolver that also serves an asset's other files (its
// static renditions) behind links of the master's generation.
type FileResolver interface {
	// ResolveFile is ResolveMaster for the file named name ("720p.mp4");
	// ErrRevoked also when the asset has no such file ready.
	ResolveFile(ctx context.Context, assetID string, generation int64, name string) (Master, error)
}

// Handler is the share listener's only handler: it serves masters behind
// signed links and nothing else.
type Handler struct {
	Signer   *Signer
	Resolver Resolver
	// Now is the clock links expire by; nil means time.Now.
	Now func() time.Time
	// OnDamaged, if set, is told when a master's file is missing or its
	// size differs from the recorded one, so the archive can mark it
	// errored. It may be called once per failing request.
	OnDamaged func(assetID, reason string)
	Logger    *slog.Logger
}

// ServeHTTP checks, in an order that never reveals whether an asset exists:
// link shape and signature (403), expiry (410), then the resolver (410).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := h.logger()
	if h.Signer == nil || !h.Signer.IsLinkPath(r.URL.EscapedPath()) {
		writeText(w, http.StatusNotFound, msgNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeText(w, http.StatusMethodNotAllowed, msgMethod)
		return
	}
	claims, err := h.Signer.Verify(r, h.now())
	switch {
	case errors.Is(err, ErrTampered):
		log.Debug("refused tampered link", "path", r.URL.Path, "remote", r.RemoteAddr)
		writeText(w, http.StatusForbidden, msgTampered)
		return
	case errors.Is(err, ErrExpired):
		log.Debug("refused expired link", "asset_id", claims.AssetID, "expired", claims.Expires)
		writeText(w, http.StatusGone, msgExpired)
		return
	case err != nil:
		writeText(w, http.StatusForbidden, msgTampered)
		return
	}

	master, err := h.resolve(r.Context(), claims)
	switch {
	case errors.Is(err, ErrRevoked):
		log.Debug("refused revoked link", "asset_id", claims.AssetID, "generation", claims.Generation)
		writeText(w, http.StatusGone, msgRevoked)
		return
	case r.Context().Err() != nil:
		return // the client left; nobody to answer
	case err != nil:
		log.Error("resolving master failed", "asset_id", claims.AssetID, "err", err)
		writeText(w, http.StatusServiceUnavailable, msgUnavailable)
		return
	}
	h.serveMaster(w, r, claims, master)
}

func (h *Handler) resolve(ctx context.Context, c Claims) (Master, error) {
	if h.Resolver == nil {
		return Master{}, errors.New("links: handler has no resolver")
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	if !c.IsMaster() {
		fr, ok := h.Resolver.(FileResolver)
		if !ok {
			return Master{}, ErrRevoked
		}
		return fr.ResolveFile(ctx, c.AssetID, c.Generation, c.File)
	}
	return h.Resolver.ResolveMaster(ctx, c.AssetID, c.Generation)
}

// serveMaster streams the file with http.ServeContent on the raw
// ResponseWriter and an *os.File, so the kernel's sendfile does the copy and
// memory stays flat whatever the file size.
func (h *Handler) serveMaster(w http.ResponseWriter, r *http.Request, c Claims, m Master) {
	f, size, err := openMaster(m)
	if err != nil && !c.IsMaster() {
		// A rendition can be made again; the master's audit is not its business.
		h.logger().Warn("rendition cannot be served", "asset_id", c.AssetID, "file", c.File, "err", err)
		writeText(w, http.StatusInternalServerError, msgDamaged)
		return
	}
	if err != nil {
		h.damaged(c.AssetID, err)
		writeText(w, http.StatusInternalServerError, msgDamaged)
		return
	}
	defer f.Close()

	name := c.DownloadName
	if name == "" {
		name = SafeFileNameExt(m.FileName, c.Ext())
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "video/mp4")
	if c.Ext() == ".m4a" {
		hdr.Set("Content-Type", "audio/mp4")
	}
	hdr.Set("Content-Disposition", contentDisposition(name))
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Cache-Control", "private, no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if etag, ok := etagFor(m.SHA256); ok {
		hdr.Set("ETag", etag)
	}
	modTime := m.ModTime
	if modTime.IsZero() {
		modTime = size.ModTime()
	}
	h.logger().Debug("serving master", "asset_id", c.AssetID, "method", r.Method,
		"range", r.Header.Get("Range"), "remote", r.RemoteAddr)
	if emptySuffixRange(r.Header.Get("Range")) {
		// net/http answers "bytes=-0" with a 206 of nothing and a Content-Range
		// ending before it starts; a zero-length suffix is unsatisfiable (RFC 9110).
		hdr.Set("Content-Range", fmt.Sprintf("bytes */%d", size.Size()))
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	http.ServeContent(w, r, "", modTime, f)
}

// openMaster opens the recorded file and checks it is the size the archive
// recorded; a mismatch means a truncated or replaced master.
func openMaster(m Master) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(m.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("master file is missing: %s", m.Path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open master file: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("cannot stat master file: %w", err)
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("master path is not a regular file: %s", m.Path)
	}
	if info.Size() != m.Size {
		f.Close()
		return nil, nil, fmt.Errorf("master file is %d bytes, recorded size is %d", info.Size(), m.Size)
	}
	return f, info, nil
}

func (h *Handler) damaged(assetID string, cause error) {
	h.logger().Warn("master cannot be served", "asset_id", assetID, "err", cause)
	if h.OnDamaged != nil {
		h.OnDamaged(assetID, cause.Error())
	}
}

// etagFor returns a strong ETag from the master's SHA-256, or false when no
// usable checksum was recorded.
func etagFor(sha string) (string, bool) {
	if len(sha) < etagHexLen {
		return "", false
	}
	prefix := sha[:etagHexLen]
	if _, err := hex.DecodeString(prefix); err != nil {
		return "", false
	}
	return `"` + strings.ToLower(prefix) + `"`, true
}

func writeText(w http.ResponseWriter, code int, msg string) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) logger() *slog.Logger {
	l := h.Logger
	if l == nil {
		l = slog.Default()
	}
	return l.With("component", "links")
}

// emptySuffixRange reports a Range whose only range is a suffix of zero bytes.
func emptySuffixRange(h string) bool {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return false
	}
	n, ok := strings.CutPrefix(strings.TrimSpace(spec), "-")
	return ok && strings.Trim(n, "0") == "" && n != ""
}
