package faststart

import (
	"context"
	"fmt"
	"hash"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// The copy moves blockSize bytes per system call, with blocks in flight between the
// reader, the writer and the hasher, so the three overlap: 4 MiB blocks (8 MiB were
// no faster here) keep the buffers at 16 MiB, well inside the memory budget.
const (
	blockSize = 4 << 20
	blocks    = 4
	// kickEvery is how much is written between requests to start writing back: the
	// final fsync then waits for the last few blocks only, not the whole file.
	kickEvery = 32 << 20
)

// writebackKick is off in measurements that compare without it.
var writebackKick = true

// copier streams spans of src to dst at dstOff, every byte also into h.
type copier struct {
	src    *os.File
	h      hash.Hash
	dst    *os.File // nil: read and hash only
	kicked int64    // dst bytes already handed to the flusher
	flush  chan int64
}

// run copies spans in order; it returns the bytes copied.
func (c *copier) run(ctx context.Context, spans []span, dstOff int64) (int64, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	free := make(chan []byte, blocks)
	for range blocks {
		free <- make([]byte, blockSize)
	}
	written := make(chan []byte, blocks) // in order, to the hasher
	full := make(chan []byte, blocks)    // in order, to the writer
	hashed := make(chan struct{})
	if c.dst != nil && writebackKick {
		c.flush = make(chan int64, 1)
		flushed := make(chan struct{})
		go flusher(c.dst, c.flush, flushed)
		defer func() { close(c.flush); <-flushed }()
	}
	go func() { // the reader
		defer close(full)
		for _, s := range spans {
			for off := s.from; off < s.to; {
				var buf []byte
				select {
				case buf = <-free:
				case <-ctx.Done():
					return
				}
				n := min(int64(len(buf)), s.to-off)
				got, err := c.src.ReadAt(buf[:n], off)
				if int64(got) < n {
					if err == nil || err == io.EOF {
						err = fmt.Errorf("the input ends at byte %d, before the %d its boxes announce (was it cut short, or changed while it was read?)", off+int64(got), s.to)
					}
					cancel(err)
					return
				}
				off += n
				full <- buf[:n]
			}
		}
	}()
	go func() { // the hasher: a block goes back to the reader once written and hashed
		defer close(hashed)
		for buf := range written {
			c.h.Write(buf)
			free <- buf[:cap(buf)]
		}
	}()
	var total int64
	for buf := range full {
		if c.dst != nil {
			if _, err := c.dst.WriteAt(buf, dstOff+total); err != nil {
				cancel(err)
				break
			}
		}
		total += int64(len(buf))
		c.kick(dstOff + total)
		written <- buf
		if ctx.Err() != nil {
			break
		}
	}
	close(written)
	<-hashed
	// Drain what the reader may still hold, so it cannot block on full.
	for range full {
	}
	if err := context.Cause(ctx); err != nil {
		return total, err
	}
	return total, nil
}

// kick asks the flusher to start writeback of what was written since the last kick. It
// never waits: sync_file_range blocks while the disk is congested, and the copy must
// not (a request that finds the flusher busy is covered by the next one).
func (c *copier) kick(upTo int64) {
	if c.flush == nil || upTo-c.kicked < kickEvery {
		return
	}
	select {
	case c.flush <- upTo:
		c.kicked = upTo
	default:
	}
}

// flusher starts writeback of dst up to each offset it receives, without waiting for it
// to finish: the final fsync then finds most of the file on disk already.
func flusher(dst *os.File, upTo <-chan int64, done chan<- struct{}) {
	defer close(done)
	var flushed int64
	for end := range upTo {
		// Best effort: on failure the final fsync does all the work, as without it.
		_ = unix.SyncFileRange(int(dst.Fd()), flushed, end-flushed, unix.SYNC_FILE_RANGE_WRITE)
		flushed = end
	}
}

// adviseSequential tells the kernel the input is read once from start to end, so it
// reads ahead further.
func adviseSequential(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
}

// cloneFile shares src's blocks with dst (a reflink) where the filesystem can
// (Btrfs, XFS): no data is copied. It reports whether it did.
func cloneFile(dst, src *os.File) bool {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) == nil
}
