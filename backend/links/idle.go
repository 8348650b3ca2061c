package links

import (
	"io"
	"net/http"
	"time"
)

// WriteIdle is how long a download may make no progress (a client that
// stopped reading) before its connection is dropped. A download may take
// hours; it may not be silent for minutes.
const WriteIdle = time.Minute

// idlePiece is how much is sent under one write deadline.
const idlePiece = 4 << 20

// idleWrites gives every write of a response its own deadline, idle from
// now, so a stalled client frees its connection while a slow one goes on.
func idleWrites(next http.Handler, idle time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&idleWriter{ResponseWriter: w, rc: http.NewResponseController(w), idle: idle}, r)
	})
}

type idleWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (w *idleWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *idleWriter) Write(p []byte) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(w.idle))
	return w.ResponseWriter.Write(p)
}

// ReadFrom sends r in pieces, each under a fresh deadline, through the
// connection's own ReadFrom, so a file still goes out with sendfile: a
// piece of a file is an *io.LimitedReader over the *os.File itself.
func (w *idleWriter) ReadFrom(r io.Reader) (int64, error) {
	rf, ok := w.ResponseWriter.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{w}, r)
	}
	limited, isLimited := r.(*io.LimitedReader)
	var total int64
	for {
		w.rc.SetWriteDeadline(time.Now().Add(w.idle))
		var n int64
		var err error
		if isLimited {
			if limited.N <= 0 {
				return total, nil
			}
			piece := &io.LimitedReader{R: limited.R, N: min(idlePiece, limited.N)}
			n, err = rf.ReadFrom(piece)
			limited.N -= n
		} else {
			n, err = rf.ReadFrom(io.LimitReader(r, idlePiece))
		}
		total += n
		if err != nil || n == 0 || (!isLimited && n < idlePiece) {
			return total, err
		}
	}
}
