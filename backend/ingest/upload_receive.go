package ingest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Chunk is one PUT to an upload URL: the whole file, a Content-Range chunk
// (UpChunk), or a status query (Content-Range: bytes */TOTAL, no body).
type Chunk struct {
	Start int64     // offset of the body's first byte
	End   int64     // offset of its last byte; -1 when the body simply runs to its end
	Total int64     // size of the whole file; -1 while unknown
	Body  io.Reader // nil for a status query
}

// Progress is where an upload stands after a chunk.
type Progress struct {
	Received int64 // bytes 0..Received-1 are on disk
	Total    int64 // -1 while unknown
	Upload   Upload
}

// Complete reports whether the whole file arrived and its asset exists.
func (p Progress) Complete() bool { return p.Upload.Status == UploadAssetCreated }

// copyBufferSize is the block bodies are streamed to disk in: large enough
// for loopback speed, small enough that many uploads at once stay cheap.
const copyBufferSize = 1 << 20

// copyBuffers recycles the blocks between requests: UpChunk sends one request
// per chunk, and a fresh 1 MiB (2 MiB when a chunk is resent) for each was
// most of a small chunk's cost: allocated, zeroed, then collected.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, copyBufferSize); return &b }}

// AuthorizeUpload returns the upload if token is its URL's token.
func (s *Service) AuthorizeUpload(ctx context.Context, id, token string) (Upload, error) {
	u, err := getUpload(ctx, s.db, id)
	if err != nil {
		return Upload{}, err
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(u.Token)) != 1 {
		return Upload{}, ErrBadToken
	}
	return u, nil
}

// Receive takes one chunk of an upload. Bytes already received may be sent
// again (a retried chunk, or a chunk resent whole after a dropped
// connection): they are compared with what is on disk, not rewritten, and
// must match. A chunk starting after the received bytes is a gap. The body
// streams to the upload's .part file; when the last byte arrives the file is
// moved into uploads/ and its asset created, in one transaction with the
// upload's change. preempt, if set, is how a later request for the same
// upload stops this one (it must make the body's Read return).
func (s *Service) Receive(ctx context.Context, id, token string, c Chunk, preempt func()) (Progress, error) {
	u, err := s.AuthorizeUpload(ctx, id, token)
	if err != nil {
		return Progress{}, err
	}
	return s.ReceiveAuthorized(ctx, u, c, preempt)
}

// ReceiveAuthorized is Receive for an upload the caller has just read and
// authorized (AuthorizeUpload): the upload URL's handler reads it once per
// chunk, for its token and CORS origin, and it is not read again unless it
// may have changed.
func (s *Service) ReceiveAuthorized(ctx context.Context, u Upload, c Chunk, preempt func()) (Progress, error) {
	if err := c.check(); err != nil {
		return Progress{}, err
	}
	if u.Status == UploadAssetCreated && c.within(u.TotalBytes) {
		// A chunk again after the last one (its answer was lost): fine if its
		// bytes are the file's, which only reading them can tell.
		if err := s.sameAsFinished(u, c); err != nil {
			return Progress{}, err
		}
		return Progress{Received: u.TotalBytes, Total: u.TotalBytes, Upload: u}, nil
	}
	if u.Status != UploadWaiting {
		return Progress{}, &NotWaitingError{Status: u.Status}
	}
	// A chunk that contradicts the size already declared is refused on its
	// own; it says nothing about the file, so the upload is left as it is.
	if _, err := reconcileTotal(u.TotalBytes, c, 0); err != nil {
		return Progress{}, err
	}
	// So is a claim of more bytes than an upload may hold: a header is no file,
	// only bytes arriving past the bound (writeChunk) fail the upload.
	if c.Total > s.cfg.MaxUploadBytes || c.End >= s.cfg.MaxUploadBytes {
		claimed := c.Total
		if c.End >= claimed {
			claimed = c.End + 1
			if claimed < 0 { // an end of MaxInt64
				claimed = c.End
			}
		}
		return Progress{}, &LimitError{Max: s.cfg.MaxUploadBytes, Claimed: claimed}
	}

	release, err := s.locks.acquire(ctx, u.ID, preempt)
	if err != nil {
		return Progress{}, err
	}
	defer release()
	s.noteSending(u.ID, true)
	p, err := s.receiveLocked(ctx, u, c)
	s.noteSending(u.ID, err != nil || p.Upload.Status == UploadWaiting) // done: no longer being sent
	return p, err
}

// sinkFor returns the upload's open part file, borrowed until giveBack, with
// the upload as it stands: an open sink proves the upload still waits (every
// change out of waiting drops it under the lock) and carries its declared
// size, so the row is read again only when there is none (the first chunk,
// after a restart or a long pause).
func (s *Service) sinkFor(ctx context.Context, u Upload) (*partSink, Upload, error) {
	if sk := s.sinks.borrow(u.ID); sk != nil {
		u.Status, u.TotalBytes = UploadWaiting, sk.total
		return sk, u, nil
	}
	u, err := getUpload(ctx, s.db, u.ID) // it may have changed while we waited
	if err != nil {
		return nil, u, err
	}
	if u.Status != UploadWaiting {
		return nil, u, &NotWaitingError{Status: u.Status}
	}
	if !s.sinks.reserve() {
		return nil, u, &BusyError{Max: s.cfg.MaxOpenUploads, RetryAfter: busyRetry}
	}
	sk, err := openSink(s.partPath(u.ID), u.TotalBytes)
	if err != nil {
		s.sinks.unreserve()
		return nil, u, err
	}
	s.sinks.add(u.ID, sk)
	return sk, u, nil
}

// busyRetry is when a chunk refused for want of an open place may come again:
// soon, since places free as uploads finish, or after the idle sweep.
const busyRetry = 5 * time.Second

// transferPause is how long an upload may pause between chunks and still count as being sent.
const transferPause = time.Minute

// noteSending records that upload id is being sent (a chunk arrived), or that it no longer is.
func (s *Service) noteSending(id string, sending bool) {
	s.sendingMu.Lock()
	defer s.sendingMu.Unlock()
	if sending {
		s.sending[id] = s.now()
	} else {
		delete(s.sending, id)
	}
}

// Transferring is how many uploads are being sent now (a chunk within the last minute, not
// complete yet): what closing the window (whose page sends them) would interrupt.
func (s *Service) Transferring() int {
	s.sendingMu.Lock()
	defer s.sendingMu.Unlock()
	n := 0
	for id, at := range s.sending {
		if s.now().Sub(at) > transferPause {
			delete(s.sending, id)
			continue
		}
		n++
	}
	return n
}

// receiveLocked is Receive once it holds the upload's lock.
func (s *Service) receiveLocked(ctx context.Context, u Upload, c Chunk) (Progress, error) {
	sk, u, err := s.sinkFor(ctx, u)
	if err != nil {
		return Progress{}, err
	}
	id := u.ID
	defer s.sinks.giveBack(id, sk)
	received := sk.size
	total, err := reconcileTotal(u.TotalBytes, c, received)
	if err != nil {
		return Progress{}, err
	}
	if total >= 0 && c.End >= total { // a range with total "*" after the size was declared
		return Progress{}, &RangeError{fmt.Sprintf("the chunk ends at byte %d, past the file's declared size of %d bytes", c.End, total)}
	}
	if total == 0 {
		return Progress{}, ErrEmptyUpload
	}
	if c.Body != nil {
		// Room for the rest of the file (or of this chunk, while the size is
		// not declared): refused before anything is written or recorded.
		need := c.End + 1 - received
		if total >= 0 {
			need = total - received
		}
		if err := s.cfg.Space.Check(filepath.Dir(s.partPath(id)), need); err != nil {
			return Progress{Received: received, Total: u.TotalBytes, Upload: u}, err
		}
	}
	if total >= 0 && u.TotalBytes < 0 {
		if _, err := s.db.ExecContext(ctx, `UPDATE uploads SET total_bytes = ? WHERE id = ?`, total, id); err != nil {
			return Progress{}, err
		}
		u.TotalBytes, sk.total = total, total
	}
	p := Progress{Received: received, Total: total, Upload: u}

	if c.Body != nil {
		if c.Start > received {
			return p, &GapError{Received: received}
		}
		var reachedEnd bool
		p.Received, reachedEnd, err = s.writeChunk(ctx, id, sk, c, total)
		if err != nil {
			return p, err
		}
		if reachedEnd && c.End < 0 && total < 0 {
			// A whole-file PUT without a declared size: its end is the file's end.
			total, p.Total = p.Received, p.Received
			if total == 0 {
				return p, ErrEmptyUpload
			}
		}
	}
	if total < 0 || p.Received < total {
		return p, nil
	}
	u, err = s.completeUpload(ctx, u, sk, total)
	if err != nil {
		return p, err
	}
	p.Upload = u
	return p, nil
}

// check rejects a Content-Range that contradicts itself or is out of range.
func (c Chunk) check() error {
	switch {
	case c.Start < 0:
		return &RangeError{"the chunk's first byte cannot be negative"}
	case c.End < -1 || c.Total < -1: // -1 is "not said"; below it means nothing
		return &RangeError{fmt.Sprintf("the chunk's last byte (%d) and the file's size (%d) cannot be negative", c.End, c.Total)}
	case c.End >= 0 && c.End < c.Start:
		return &RangeError{fmt.Sprintf("the chunk ends (byte %d) before it starts (byte %d)", c.End, c.Start)}
	case c.Total >= 0 && c.End >= c.Total:
		return &RangeError{fmt.Sprintf("the chunk ends at byte %d, past the file's size of %d bytes", c.End, c.Total)}
	}
	return nil
}

// within reports whether the chunk lies inside a file of total bytes.
func (c Chunk) within(total int64) bool {
	return total >= 0 && (c.Total < 0 || c.Total == total) && c.End < total
}

// reconcileTotal checks the chunk's declared total against the upload's.
func reconcileTotal(known int64, c Chunk, received int64) (int64, error) {
	total := known
	if c.Total >= 0 {
		if known >= 0 && c.Total != known {
			return 0, &RangeError{fmt.Sprintf("the file's size was declared as %d bytes and cannot change to %d", known, c.Total)}
		}
		total = c.Total
	}
	if total >= 0 && received > total {
		return 0, &RangeError{fmt.Sprintf("%d bytes were already received, more than the declared size of %d", received, total)}
	}
	return total, nil
}

// writeChunk compares the part of the body that is already on disk and
// appends the rest, never past the chunk's range or the file's declared size
// (total, -1 while unknown). It returns the new received size and whether the
// body was read to its end. A body cut short (dropped connection, preempted)
// keeps every byte that arrived: the client can resume from there.
func (s *Service) writeChunk(ctx context.Context, id string, sk *partSink, c Chunk, total int64) (int64, bool, error) {
	received := sk.size
	overlap := received - c.Start
	if c.End >= 0 {
		overlap = min(overlap, c.End-c.Start+1)
	}
	if overlap > 0 {
		pooled := copyBuffers.Get().(*[]byte)
		done, err := compareBody(sk.f, c.Body, c.Start, overlap, *pooled, received)
		copyBuffers.Put(pooled)
		if err != nil || done {
			return received, done, err
		}
	}
	limit := s.cfg.MaxUploadBytes - received // bytes this file may still grow by
	switch {
	case c.End >= 0:
		limit = c.End + 1 - received
	case total >= 0:
		limit = total - received
	}
	n, err := sk.append(io.LimitReader(c.Body, limit))
	before := received
	received += n
	if err != nil {
		return received, false, fmt.Errorf("upload %s: the transfer stopped after byte %d: %w", id, received, err)
	}
	if n < limit {
		if c.End >= 0 {
			return received, false, fmt.Errorf("upload %s: the body ended before the chunk's last byte (%d)", id, c.End)
		}
		return received, true, nil // the body's end
	}
	// The body holds more than its range (or than any upload may): drop the excess.
	var one [1]byte
	if more, _ := c.Body.Read(one[:]); more == 0 {
		return received, true, nil
	}
	if c.End >= 0 {
		keep := max(c.End+1, before) // never below what had arrived before this request
		if err := sk.truncate(keep); err != nil {
			return received, false, err
		}
		return keep, false, &RangeError{fmt.Sprintf("the body is longer than its Content-Range (bytes %d-%d)", c.Start, c.End)}
	}
	if total >= 0 {
		// Not the file declared: none of this body's new bytes are kept.
		if err := sk.truncate(before); err != nil {
			return received, false, err
		}
		return before, false, &RangeError{fmt.Sprintf("the body is longer than the file's declared size of %d bytes", total)}
	}
	return received, false, s.failTooLarge(ctx, id)
}

// sameAsFinished checks a chunk sent after the upload completed against the
// finished file: equal bytes are the same chunk resent; others are a conflict.
func (s *Service) sameAsFinished(u Upload, c Chunk) error {
	if c.Body == nil {
		return nil // a status query
	}
	f, err := os.Open(s.abs(u.File))
	if err != nil {
		return &NotWaitingError{Status: u.Status} // the asset (and its input) went since
	}
	defer f.Close()
	n := u.TotalBytes - c.Start
	if c.End >= 0 {
		n = c.End - c.Start + 1
	}
	if _, err := compareBody(f, c.Body, c.Start, n, make([]byte, copyBufferSize), u.TotalBytes); err != nil {
		return err
	}
	// A body longer than its range is no resend of it.
	if more, _ := c.Body.Read(make([]byte, 1)); more > 0 {
		return &RangeError{fmt.Sprintf("the body is longer than its Content-Range (bytes %d-%d)", c.Start, c.End)}
	}
	return nil
}

// compareBody reads n bytes of the body and checks they equal the file's
// bytes at off. done is true when the body ended within them (nothing new).
func compareBody(f *os.File, body io.Reader, off, n int64, buf []byte, received int64) (bool, error) {
	pooled := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(pooled)
	disk := (*pooled)[:len(buf)]
	for n > 0 {
		want := min(int64(len(buf)), n)
		got, err := io.ReadFull(body, buf[:want])
		if got > 0 {
			if _, rerr := f.ReadAt(disk[:got], off); rerr != nil {
				return false, rerr
			}
			if i := firstDifference(buf[:got], disk[:got]); i >= 0 {
				return false, &MismatchError{Offset: off + int64(i), Received: received}
			}
			off, n = off+int64(got), n-int64(got)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

func firstDifference(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// failTooLarge errors the upload: its bytes went past the bound.
func (s *Service) failTooLarge(ctx context.Context, id string) error {
	msg := fmt.Sprintf("The file is larger than the %d bytes an upload may be.", s.cfg.MaxUploadBytes)
	release, ok := s.locks.tryAcquire(id)
	if ok {
		defer release()
	}
	// Without the lock, the holder is this very request (writeChunk): the
	// state change is still safe, the transaction decides.
	if _, err := s.closeUpload(ctx, id, UploadErrored, "file_too_large", msg, "video.upload.errored"); err != nil {
		var nw *NotWaitingError
		if !errors.As(err, &nw) {
			return err
		}
	}
	s.log.Warn("upload too large", "upload", id, "max", s.cfg.MaxUploadBytes)
	return ErrTooLarge
}
