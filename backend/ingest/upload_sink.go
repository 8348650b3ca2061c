package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"time"

	"reelvault/backend/internal/partfile"
)

// A chunk's answer (308, or 200 for the last) promises that its bytes survive
// the app being killed: they are in the kernel, the part file's size says how
// many arrived, and a resumed upload continues from there. It does not promise
// that they survive a power cut: fsyncing every chunk would cost a disk flush
// per chunk (UpChunk sends one every 256 KiB to 30 MiB). After a power cut the
// part file holds a prefix of what was acknowledged, a client asking where to
// resume (bytes */TOTAL) is told the truth, and the hash is rebuilt from the
// file. The last chunk's answer is durable: the whole file is fsynced, renamed
// and the asset committed with synchronous=FULL before the 200.

// writebackEvery is how many hashed bytes go by between asking the kernel to
// start writing them to disk (partfile.StartWriteback), so that the fsync
// after the last chunk has only the tail left to flush.
const writebackEvery = 8 << 20

// hashQueue bounds the blocks written but not yet hashed, per upload: the
// memory an upload holds beyond its own block (4 MiB), and how far the hash
// may trail the writes.
const hashQueue = 4

// partSink is an upload's part file as this process writes it, kept open
// between chunks: its size, and the SHA-256 of its bytes, fed in the order
// they were written by a goroutine of its own, so the hash (and the start of
// the bytes' writeback) runs beside the next read from the network instead of
// between it and the answer. The finished upload's hash is known once the last
// block is hashed: no pass over the file. Only the holder of the upload's lock
// uses a sink.
type partSink struct {
	path string
	f    *os.File // nil until the first byte is written
	size int64    // bytes in the file: what has been received
	// total is the upload's declared size as last read or set under the
	// lock (-1 while unknown); a sink exists only while the upload waits.
	total   int64
	lastUse time.Time

	blocks    chan []byte // written blocks, in file order, for the hasher
	pending   sync.WaitGroup
	exited    chan struct{}
	closeOnce sync.Once
	onClose   func() // gives the sink's place back (uploadSinks.add sets it)
	// Owned by the hasher goroutine; read by others only after pending.Wait.
	h         hash.Hash
	hashed    int64
	writtenTo int64 // writeback asked for bytes [0, writtenTo)
}

// openSink opens an upload's part file and hashes the bytes already in it:
// after a restart, an idle close or a cut the running hash is gone, and it is
// rebuilt once, before new bytes are appended. A part file that does not
// exist yet is created by the first append, so a chunk refused before any
// byte is written (a gap, no room) or a status query leaves none behind.
func openSink(path string, total int64) (*partSink, error) {
	sk := &partSink{path: path, total: total, h: sha256.New(), blocks: make(chan []byte, hashQueue), exited: make(chan struct{})}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case err == nil:
		sk.f = f
		if err := sk.rehash(); err != nil {
			f.Close()
			return nil, err
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	go sk.hashBlocks()
	return sk, nil
}

// rehash sets size to the file's and the hash to its bytes'. No block may be
// pending.
func (sk *partSink) rehash() error {
	st, err := sk.f.Stat()
	if err != nil {
		return err
	}
	sk.h = sha256.New()
	pooled := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(pooled)
	n, err := io.CopyBuffer(sk.h, io.NewSectionReader(sk.f, 0, st.Size()), *pooled)
	if err != nil {
		return err
	}
	sk.size, sk.hashed, sk.writtenTo = n, n, n
	return nil
}

func (sk *partSink) hashBlocks() {
	defer close(sk.exited)
	for b := range sk.blocks {
		sk.h.Write(b)
		sk.hashed += int64(len(b))
		b = b[:cap(b)]
		copyBuffers.Put(&b)
		if sk.hashed-sk.writtenTo >= writebackEvery {
			partfile.StartWriteback(sk.f, sk.writtenTo, sk.hashed-sk.writtenTo)
			sk.writtenTo = sk.hashed
		}
		sk.pending.Done()
	}
}

// append streams body to the end of the file, handing each written block to
// the hasher. Each read is written at once, so the bytes (and the progress a
// status query reports) follow the network without waiting for a full block.
// It returns how many bytes it appended; every byte that reached the file
// counts, even when the body or the disk failed after it.
func (sk *partSink) append(body io.Reader) (int64, error) {
	var total int64
	for {
		pooled := copyBuffers.Get().(*[]byte)
		buf := *pooled
		n, rerr := body.Read(buf)
		var w int
		var werr error
		if n > 0 && sk.f == nil {
			// Set before any block reaches the hasher, which uses it.
			sk.f, werr = os.OpenFile(sk.path, os.O_RDWR|os.O_CREATE, 0o600)
		}
		if n > 0 && werr == nil {
			w, werr = sk.f.WriteAt(buf[:n], sk.size)
		}
		if w > 0 {
			sk.size += int64(w)
			total += int64(w)
			sk.pending.Add(1)
			sk.blocks <- buf[:w] // the hasher returns it to the pool
		} else {
			copyBuffers.Put(pooled)
		}
		switch {
		case werr != nil:
			return total, werr
		case rerr == io.EOF:
			return total, nil
		case rerr != nil:
			return total, rerr
		}
	}
}

// sum is the hex SHA-256 of the whole file, once every block is hashed.
func (sk *partSink) sum() (string, error) {
	sk.pending.Wait()
	if sk.hashed != sk.size {
		return "", fmt.Errorf("upload hash covers %d bytes of %d", sk.hashed, sk.size)
	}
	return hex.EncodeToString(sk.h.Sum(nil)), nil
}

// truncate cuts the file back to n bytes and rebuilds the hash from it.
func (sk *partSink) truncate(n int64) error {
	sk.pending.Wait()
	if err := sk.f.Truncate(n); err != nil {
		return err
	}
	return sk.rehash()
}

// close stops the hasher and closes the file; closing again does nothing.
func (sk *partSink) close() {
	sk.closeOnce.Do(func() {
		close(sk.blocks)
		<-sk.exited
		if sk.f != nil {
			sk.f.Close()
		}
		if sk.onClose != nil {
			sk.onClose()
		}
	})
}

// uploadSinks holds the open sinks by upload id. A request borrows its
// upload's sink while it holds the upload's lock; a sink dropped while
// borrowed (the upload errored from inside the request) is closed when given
// back. Every change of an upload out of "waiting" drops its sink, so a sink
// in the table means the upload is still waiting. At most max sinks are open
// at once, counting those dropped but not closed yet.
type uploadSinks struct {
	now      func() time.Time
	max      int
	mu       sync.Mutex
	m        map[string]*partSink
	borrowed map[*partSink]bool
	open     int // sinks not closed yet, and places reserved for sinks being opened
}

// reserve takes a place for a sink about to be opened (then add, or unreserve
// if it cannot be); false when all max are taken.
func (t *uploadSinks) reserve() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.open >= t.max {
		return false
	}
	t.open++
	return true
}

// unreserve gives back a place reserve took for a sink that was not opened.
func (t *uploadSinks) unreserve() {
	t.mu.Lock()
	t.open--
	t.mu.Unlock()
}

// borrow returns the upload's sink, or nil if it has none open.
func (t *uploadSinks) borrow(id string) *partSink {
	t.mu.Lock()
	defer t.mu.Unlock()
	sk := t.m[id]
	if sk != nil {
		t.borrowed[sk] = true
	}
	return sk
}

// add records a sink just opened in a place reserve took, borrowed by the
// caller; closing it gives the place back.
func (t *uploadSinks) add(id string, sk *partSink) {
	sk.onClose = t.unreserve
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[id] = sk
	t.borrowed[sk] = true
}

// giveBack ends a borrow, closing the sink if it was dropped meanwhile.
func (t *uploadSinks) giveBack(id string, sk *partSink) {
	t.mu.Lock()
	delete(t.borrowed, sk)
	dropped := t.m[id] != sk
	sk.lastUse = t.now()
	t.mu.Unlock()
	if dropped {
		sk.close()
	}
}

// drop removes the upload's sink; it is closed now unless a request has it,
// which closes it when done.
func (t *uploadSinks) drop(id string) {
	t.mu.Lock()
	sk := t.m[id]
	delete(t.m, id)
	closeNow := sk != nil && !t.borrowed[sk]
	t.mu.Unlock()
	if closeNow {
		sk.close()
	}
}

// release closes the sink its borrower is done with for good (the upload
// completes): the file must be closed before it is renamed.
func (t *uploadSinks) release(id string, sk *partSink) {
	t.mu.Lock()
	if t.m[id] == sk {
		delete(t.m, id)
	}
	t.mu.Unlock()
	sk.close()
}

// ids lists the uploads with an open sink.
func (t *uploadSinks) ids() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.m))
	for id := range t.m {
		ids = append(ids, id)
	}
	return ids
}

// idle lists the uploads whose sink has not been used since before.
func (t *uploadSinks) idle(before time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ids []string
	for id, sk := range t.m {
		if !t.borrowed[sk] && sk.lastUse.Before(before) {
			ids = append(ids, id)
		}
	}
	return ids
}
