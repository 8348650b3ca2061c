package sharing

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"reelvault/backend/links"
)

// Password tries: after maxTries wrong ones from one client for one link
// within tryWindow, every try is refused (429) until the window is over.
const (
	maxTries  = 5
	tryWindow = 15 * time.Minute
	// lookupTimeout bounds the database work of one request.
	lookupTimeout = 10 * time.Second
	cookieName    = "rv_share"
)

// Handler serves share links on the share listener: landing pages, files
// and posters under /s/. Everything else is for another handler.
type Handler struct {
	Service *Service
	// Key signs the cookie a correct password earns (the link-signing key).
	Key []byte
	// Sender is who the landing page says sent the link (a display name).
	Sender func(context.Context) string
	// BasePath is the public base's path prefix ("" usually).
	BasePath func() string
	Log      *slog.Logger

	triesMu sync.Mutex
	tries   map[string]*tries
}

type tries struct {
	since time.Time
	fails int
}

// Owns reports whether the path is a share link's.
func (h *Handler) Owns(escapedPath string) bool {
	return strings.HasPrefix(escapedPath, h.basePath()+"/s/")
}

func (h *Handler) basePath() string {
	if h.BasePath == nil {
		return ""
	}
	return h.BasePath()
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}

// ServeHTTP routes /s/{token}[/f/{asset}/{kind}/{name} | /poster/{asset}].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, h.basePath()+"/s/")
	if !ok {
		h.page(w, r, http.StatusNotFound, problemPage(pageTampered))
		return
	}
	parts := strings.Split(rest, "/")
	ctx, cancel := context.WithTimeout(r.Context(), lookupTimeout)
	defer cancel()
	l, err := h.Service.ByToken(ctx, parts[0])
	switch {
	case errors.Is(err, ErrNotFound):
		h.log().Debug("refused unknown share link", "remote", r.RemoteAddr)
		h.page(w, r, http.StatusNotFound, problemPage(pageTampered))
		return
	case err != nil:
		h.log().Error("share link look-up failed", "err", err)
		h.page(w, r, http.StatusServiceUnavailable, problemPage(pageUnavailable))
		return
	}
	switch {
	case len(parts) == 1 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.landing(ctx, w, r, l)
	case len(parts) == 1 && r.Method == http.MethodPost:
		h.login(ctx, w, r, l)
	case len(parts) == 5 && parts[1] == "f" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.file(ctx, w, r, l, parts[2], parts[3])
	case len(parts) == 3 && parts[1] == "poster" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.poster(ctx, w, r, l, parts[2])
	default:
		h.page(w, r, http.StatusNotFound, problemPage(pageTampered))
	}
}

// refusal is the page of a link that no longer opens, or "" when it does.
func (h *Handler) refusal(l Link) (int, string) {
	switch l.Status(h.Service.Now()) {
	case StatusRevoked:
		return http.StatusGone, pageRevoked
	case StatusExpired:
		return http.StatusGone, pageExpired
	case StatusExhausted:
		return http.StatusForbidden, pageExhausted
	}
	return 0, ""
}

func (h *Handler) landing(ctx context.Context, w http.ResponseWriter, r *http.Request, l Link) {
	if code, kind := h.refusal(l); kind != "" {
		h.page(w, r, code, problemPage(kind))
		return
	}
	if l.HasPassword() && !h.unlocked(r, l) {
		h.page(w, r, http.StatusUnauthorized, passwordPage(""))
		return
	}
	v, err := h.Service.View(ctx, l)
	if err != nil {
		h.log().Error("share link view failed", "id", l.ID, "err", err)
		h.page(w, r, http.StatusServiceUnavailable, problemPage(pageUnavailable))
		return
	}
	h.page(w, r, http.StatusOK, landingPage(v, h.sender(ctx)))
}

func (h *Handler) sender(ctx context.Context) string {
	if h.Sender == nil {
		return ""
	}
	return h.Sender(ctx)
}

// login checks the password form and, when right, sets the link's cookie.
func (h *Handler) login(ctx context.Context, w http.ResponseWriter, r *http.Request, l Link) {
	if code, kind := h.refusal(l); kind != "" {
		h.page(w, r, code, problemPage(kind))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	pw := r.PostFormValue("password")
	switch h.checkPassword(l, clientHost(r), pw) {
	case passThrottled:
		h.page(w, r, http.StatusTooManyRequests, passwordPage("Too many wrong passwords. Try again in 15 minutes."))
		return
	case passWrong:
		h.page(w, r, http.StatusUnauthorized, passwordPage("That password is not right."))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: h.cookieValue(l), Path: h.basePath() + "/s/" + l.Token,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, h.basePath()+"/s/"+l.Token, http.StatusSeeOther)
}

type passResult int

const (
	passOK passResult = iota
	passWrong
	passThrottled
)

// checkPassword compares pw with the link's hash, refusing every try once
// a client has made too many wrong ones.
func (h *Handler) checkPassword(l Link, client, pw string) passResult {
	key := l.ID + "|" + client
	now := h.Service.Now()
	h.triesMu.Lock()
	if h.tries == nil {
		h.tries = map[string]*tries{}
	}
	t := h.tries[key]
	if t != nil && now.Sub(t.since) >= tryWindow {
		delete(h.tries, key)
		t = nil
	}
	throttled := t != nil && t.fails >= maxTries
	h.triesMu.Unlock()
	if throttled {
		return passThrottled
	}
	if bcrypt.CompareHashAndPassword([]byte(l.PasswordHash), []byte(pw)) == nil {
		return passOK
	}
	h.triesMu.Lock()
	defer h.triesMu.Unlock()
	if t = h.tries[key]; t == nil {
		t = &tries{since: now}
		h.tries[key] = t
	}
	t.fails++
	h.log().Info("wrong share link password", "id", l.ID, "client", client, "fails", t.fails)
	return passWrong
}

func (h *Handler) cookieValue(l Link) string {
	m := hmac.New(sha256.New, h.Key)
	fmt.Fprintf(m, "reelvault/share-cookie/v1\x00%s\x00%s", l.ID, l.PasswordHash)
	return hex.EncodeToString(m.Sum(nil))
}

// unlocked reports whether the request carries the link's cookie (a
// browser that gave the password) or the password itself as HTTP Basic
// auth (curl -u :PASSWORD, wget --password), which is rate limited too.
func (h *Handler) unlocked(r *http.Request, l Link) bool {
	if c, err := r.Cookie(cookieName); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(h.cookieValue(l))) == 1 {
		return true
	}
	if _, pw, ok := r.BasicAuth(); ok {
		return h.checkPassword(l, clientHost(r), pw) == passOK
	}
	return false
}

func (h *Handler) findFile(ctx context.Context, l Link, assetID, kind string) (File, Asset, bool, error) {
	found := false
	for _, id := range l.AssetIDs {
		found = found || id == assetID
	}
	if !found {
		return File{}, Asset{}, false, nil
	}
	v, err := h.Service.View(ctx, Link{ID: l.ID, Token: l.Token, AssetIDs: []string{assetID}, Kinds: l.Kinds})
	if err != nil || len(v.Assets) == 0 {
		return File{}, Asset{}, false, err
	}
	for _, f := range v.Assets[0].Files {
		if f.Kind == kind {
			return f, v.Assets[0], true, nil
		}
	}
	return File{}, v.Assets[0], false, nil
}

// file serves one file with Range, HEAD and ETag, and logs what it sent.
func (h *Handler) file(ctx context.Context, w http.ResponseWriter, r *http.Request, l Link, assetID, kind string) {
	if code, kind := h.refusal(l); kind != "" && kind != pageExhausted {
		h.page(w, r, code, problemPage(kind))
		return
	}
	if l.HasPassword() && !h.unlocked(r, l) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Reelvault share link", charset="UTF-8"`)
		h.page(w, r, http.StatusUnauthorized, passwordPage(""))
		return
	}
	client := clientHost(r)
	start := requestedStart(r.Header.Get("Range"))
	if ok, err := h.Service.MayStart(ctx, l, assetID, kind, client, start); err != nil {
		h.log().Error("share download check failed", "id", l.ID, "err", err)
		h.page(w, r, http.StatusServiceUnavailable, problemPage(pageUnavailable))
		return
	} else if !ok {
		h.page(w, r, http.StatusForbidden, problemPage(pageExhausted))
		return
	}
	f, _, ok, err := h.findFile(ctx, l, assetID, kind)
	if err != nil {
		h.log().Error("share file look-up failed", "id", l.ID, "err", err)
		h.page(w, r, http.StatusServiceUnavailable, problemPage(pageUnavailable))
		return
	}
	if !ok {
		h.page(w, r, http.StatusNotFound, problemPage(pageTampered))
		return
	}
	fh, info, err := links.OpenFile(f.Path, f.Size)
	if err != nil {
		h.log().Warn("shared file cannot be served", "asset_id", f.AssetID, "err", err)
		h.page(w, r, http.StatusInternalServerError, problemPage(pageUnavailable))
		return
	}
	defer fh.Close()
	hdr := w.Header()
	hdr.Set("Content-Type", f.MimeType)
	disp := links.ContentDisposition(f.Name)
	if r.URL.Query().Has("inline") {
		disp = "inline" + strings.TrimPrefix(disp, "attachment")
	}
	hdr.Set("Content-Disposition", disp)
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Cache-Control", "private, no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if etag, ok := links.ETag(f.SHA256); ok {
		hdr.Set("ETag", etag)
	}
	if links.EmptySuffixRange(r.Header.Get("Range")) {
		hdr.Set("Content-Range", fmt.Sprintf("bytes */%d", info.Size()))
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	var download int64
	if r.Method == http.MethodGet {
		if download, err = h.Service.Begin(ctx, l, f, client, r.UserAgent(), start); err != nil {
			h.log().Error("share download not logged", "id", l.ID, "err", err)
			h.page(w, r, http.StatusServiceUnavailable, problemPage(pageUnavailable))
			return
		}
	}
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, "", info.ModTime(), fh)
	if download == 0 {
		return
	}
	sent := Served{Download: download, Link: l, File: f, Client: client, Bytes: cw.n}
	switch cw.status {
	case http.StatusOK:
	case http.StatusPartialContent:
		var ok bool
		if sent.Start, ok = rangeStart(hdr.Get("Content-Range")); !ok {
			sent.Bytes = 0 // several ranges: no one place in the file to count
		}
	default:
		sent.Bytes = 0 // 304, 416: nothing of the file
	}
	// The client may have left: the log is still written.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
	defer cancel()
	if err := h.Service.Record(rec, sent); err != nil {
		h.log().Error("share download not logged", "id", l.ID, "err", err)
	}
}

// requestedStart is where a Range header's first range starts (a suffix
// range counts as "further in"); 0 without one.
func requestedStart(rangeHeader string) int64 {
	spec, ok := strings.CutPrefix(strings.TrimSpace(rangeHeader), "bytes=")
	if !ok {
		return 0
	}
	first, _, _ := strings.Cut(spec, ",")
	a, _, ok := strings.Cut(strings.TrimSpace(first), "-")
	if !ok {
		return 0
	}
	if a == "" {
		return 1
	}
	n, err := strconv.ParseInt(a, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// rangeStart reads the first byte of "bytes a-b/size".
func rangeStart(cr string) (int64, bool) {
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return 0, false
	}
	a, _, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(a, 10, 64)
	return n, err == nil && n >= 0
}

func (h *Handler) poster(ctx context.Context, w http.ResponseWriter, r *http.Request, l Link, assetID string) {
	if code, kind := h.refusal(l); kind != "" {
		h.page(w, r, code, problemPage(kind))
		return
	}
	if l.HasPassword() && !h.unlocked(r, l) {
		h.page(w, r, http.StatusUnauthorized, passwordPage(""))
		return
	}
	_, a, _, err := h.findFile(ctx, l, assetID, "")
	if err != nil || a.PosterPath == "" {
		http.NotFound(w, r)
		return
	}
	fh, err := os.Open(a.PosterPath)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", info.ModTime(), fh)
}

// countingWriter counts the body bytes written, keeping sendfile.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (c *countingWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) ReadFrom(src io.Reader) (int64, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := c.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(c.ResponseWriter, src)
	}
	c.n += n
	return n, err
}

func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func nonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawStdEncoding.EncodeToString(b)
}
