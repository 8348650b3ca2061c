package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/ingest"
	"reelvault/backend/internal/diskspace"
)

// withUploadURLs serves the direct-upload URLs ahead of the origin guard and
// authentication: their caller is Mux's UpChunk in a web page on the
// upload's cors_origin (or curl), holding nothing but the URL, whose token
// is its credential. Everything else goes on to next.
func (s *Server) withUploadURLs(next http.Handler, trusted bool) http.Handler {
	if s.Ingest == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, ingest.UploadPath) {
			next.ServeHTTP(w, r)
			return
		}
		if s.LoopbackOnly && !trusted && !isLoopbackHost(r.Host) {
			writeError(w, http.StatusForbidden, errForbidden, "this API answers only on this machine's loopback address")
			return
		}
		s.serveUploadURL(w, r)
	})
}

func (s *Server) serveUploadURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, ingest.UploadPath)
	if id == "" || strings.Contains(id, "/") {
		writeError(w, http.StatusNotFound, errNotFound, "There is no upload at "+r.URL.Path)
		return
	}
	token := r.URL.Query().Get("token")
	u, err := s.Ingest.AuthorizeUpload(r.Context(), id, token)
	switch {
	case errors.Is(err, ingest.ErrUploadNotFound):
		writeError(w, http.StatusNotFound, errNotFound, "The requested upload does not exist")
		return
	case errors.Is(err, ingest.ErrBadToken):
		writeError(w, http.StatusForbidden, errForbidden, "This upload URL is not valid: use the url the upload was created with")
		return
	case err != nil:
		s.answerError(w, err)
		return
	}
	if !s.allowUploadOrigin(w, r, u) {
		return
	}
	switch r.Method {
	case http.MethodOptions:
		w.Header().Set("Access-Control-Allow-Methods", "PUT, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Range, Content-Type")
		w.Header().Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		s.receiveUpload(w, r, u)
	default:
		w.Header().Set("Allow", "PUT, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, errInvalid, r.Method+" is not allowed on an upload URL; send the file with PUT")
	}
}

// allowUploadOrigin applies the upload's cors_origin. Requests without an
// Origin (curl, scripts) and from the UI's own origin always pass.
func (s *Server) allowUploadOrigin(w http.ResponseWriter, r *http.Request, u ingest.Upload) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u.CORSOrigin != "*" && !strings.EqualFold(origin, u.CORSOrigin) && !s.allowedOrigin(origin, r.Host) {
		writeError(w, http.StatusForbidden, errForbidden,
			fmt.Sprintf("this upload accepts requests from %q only (its cors_origin)", u.CORSOrigin))
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Range") // UpChunk and resumable clients read it
	return true
}

// receiveUpload takes one PUT: the whole file, a chunk, or a status query.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, u ingest.Upload) {
	chunk, hasBody, err := parseContentRange(r.Header.Get("Content-Range"), r.ContentLength)
	if err != nil {
		s.answerError(w, err)
		return
	}
	var body *uploadBody
	var preempt func()
	if hasBody {
		body = newUploadBody(w, r.Body, s.Ingest.UploadIdleTimeout())
		chunk.Body, preempt = body, body.stop
	}
	p, err := s.Ingest.ReceiveAuthorized(r.Context(), u, chunk, preempt)
	s.answerChunk(w, r, p, err, body)
}

func (s *Server) answerChunk(w http.ResponseWriter, r *http.Request, p ingest.Progress, err error, body *uploadBody) {
	setRange := func(received int64) {
		if received > 0 {
			w.Header().Set("Range", fmt.Sprintf("bytes=0-%d", received-1))
		}
	}
	var gap *ingest.GapError
	var mismatch *ingest.MismatchError
	var rangeErr *ingest.RangeError
	var notWaiting *ingest.NotWaitingError
	var busy *ingest.BusyError
	switch {
	case err == nil && p.Complete():
		writeData(w, http.StatusOK, s.uploadJSON(p.Upload))
	case err == nil:
		// Google's resumable-upload answer, which UpChunk expects after each
		// chunk but the last: "308 Resume Incomplete" with what arrived.
		setRange(p.Received)
		w.WriteHeader(http.StatusPermanentRedirect)
	case errors.As(err, &gap):
		setRange(gap.Received)
		writeError(w, http.StatusRequestedRangeNotSatisfiable, errInvalid, gap.Error())
	case errors.As(err, &mismatch):
		setRange(mismatch.Received)
		writeError(w, http.StatusConflict, errInvalid, mismatch.Error())
	case errors.As(err, &rangeErr), errors.Is(err, ingest.ErrEmptyUpload):
		writeError(w, http.StatusBadRequest, errInvalid, err.Error())
	case errors.Is(err, ingest.ErrTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, errInvalid, err.Error())
	case errors.As(err, &notWaiting):
		writeError(w, http.StatusGone, errFailed, notWaiting.Error())
	case errors.As(err, &busy):
		// 503 and Retry-After: UpChunk retries a 503 after a pause.
		w.Header().Set("Retry-After", strconv.Itoa(int(busy.RetryAfter.Seconds())))
		writeError(w, http.StatusServiceUnavailable, errFailed, busy.Error())
	case diskspace.IsShort(err):
		// 507: the client keeps the chunk and sends it again later.
		setRange(p.Received)
		answerNoSpace(w, err)
	case body != nil && body.wasStopped():
		setRange(p.Received)
		writeError(w, http.StatusConflict, errFailed, "a newer request for this upload took over from this one")
	case body != nil && body.failed():
		// The client is most likely gone; if not, it learns where to resume.
		s.Log.Info("upload transfer interrupted", "upload", p.Upload.ID, "received", p.Received, "err", err)
		setRange(p.Received)
		writeError(w, http.StatusBadRequest, errFailed,
			fmt.Sprintf("the transfer was interrupted; %d bytes are kept: resume from byte %d", p.Received, p.Received))
	default:
		s.answerError(w, err)
	}
}

// parseContentRange reads Content-Range as resumable uploads use it:
// absent (the whole file), "bytes START-END/TOTAL" (TOTAL may be "*"), or
// "bytes */TOTAL" (a status query, no body). hasBody tells whether the
// request's body is part of the file.
func parseContentRange(h string, contentLength int64) (c ingest.Chunk, hasBody bool, err error) {
	if h == "" {
		c := ingest.Chunk{Start: 0, End: -1, Total: -1}
		if contentLength >= 0 {
			c.End, c.Total = contentLength-1, contentLength
		}
		return c, true, nil
	}
	bad := fail.Invalid("Content-Range", "%q: give bytes START-END/TOTAL, or bytes */TOTAL to ask what has arrived", h)
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !ok {
		return ingest.Chunk{}, false, bad
	}
	rng, totalStr, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return ingest.Chunk{}, false, bad
	}
	c = ingest.Chunk{Total: -1, End: -1}
	if totalStr != "*" {
		n, ok := byteNumber(totalStr)
		if !ok {
			return ingest.Chunk{}, false, bad
		}
		c.Total = n
	}
	if rng == "*" {
		if contentLength > 0 {
			return ingest.Chunk{}, false, fail.Invalid("Content-Range", "%q asks what has arrived and carries no body", h)
		}
		return c, false, nil
	}
	first, last, ok := strings.Cut(rng, "-")
	start, ok1 := byteNumber(first)
	end, ok2 := byteNumber(last)
	if !ok || !ok1 || !ok2 || end < start {
		return ingest.Chunk{}, false, bad
	}
	// end-start+1 would overflow for bytes 0-9223372036854775807.
	if contentLength >= 0 && contentLength-1 != end-start {
		return ingest.Chunk{}, false, fail.Invalid("Content-Range", "%q covers %d bytes but the body has %d",
			h, uint64(end-start)+1, contentLength)
	}
	c.Start, c.End = start, end
	return c, true, nil
}

// byteNumber reads a byte position or count as HTTP writes it: ASCII digits only (no sign, no
// space, no underscore, which strconv would take), within int64.
func byteNumber(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// uploadBody streams a request body with an idle deadline, and can be
// stopped from another goroutine when a newer request for the same upload
// arrives (the old connection may be dead without the kernel knowing yet).
type uploadBody struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration

	mu       sync.Mutex
	stopped  bool
	extended time.Time
	err      error
}

func newUploadBody(w http.ResponseWriter, r io.Reader, idle time.Duration) *uploadBody {
	return &uploadBody{r: r, rc: http.NewResponseController(w), idle: idle}
}

var errSuperseded = errors.New("a newer request for this upload took over")

func (b *uploadBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	if b.stopped {
		b.mu.Unlock()
		return 0, errSuperseded
	}
	if now := time.Now(); now.Sub(b.extended) > b.idle/4 {
		b.rc.SetReadDeadline(now.Add(b.idle))
		b.extended = now
	}
	b.mu.Unlock()
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
	}
	return n, err
}

// stop makes a blocked Read return at once.
func (b *uploadBody) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	b.rc.SetReadDeadline(time.Now())
}

func (b *uploadBody) wasStopped() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopped
}

func (b *uploadBody) failed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err != nil
}
