package faststart

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sync/atomic"
)

// testHookBeforeCopy lets tests act once the output is created and before any byte is
// copied (kill the process, cut the input short, cancel).
var testHookBeforeCopy func(relocated bool, headBytes int64)

// Result is what Write made.
type Result struct {
	Size      int64  // bytes written
	SHA256    string // of the output, lowercase hex
	Relocated bool   // the index was moved to the front; false: the file was copied as it is
	Cloned    bool   // the copy is a reflink (the filesystem shares the blocks)
	Index     Index  // the input's, as Inspect reads it
}

// Write makes output, a faststart copy of input, in one read of input and one write of
// output, hashing what it writes; output is fsynced when Write returns nil. A file that
// Write cannot relocate returns an error wrapping ErrNotEligible before output is
// created. On any other error a partly written output is left for the caller to remove;
// Write never renames it. Cancelling ctx stops the copy between blocks.
func Write(ctx context.Context, input, output string) (Result, error) {
	return WriteCounting(ctx, input, output, nil)
}

// WriteCounting is Write that adds to copied (if not nil) the bytes of output made so
// far, as they are hashed: a caller can show how far the copy is and how fast it goes.
func WriteCounting(ctx context.Context, input, output string, copied *atomic.Int64) (Result, error) {
	src, err := os.Open(input)
	if err != nil {
		return Result{}, err
	}
	defer src.Close()
	l, err := readLayout(src)
	if err != nil {
		return Result{}, err
	}
	res := Result{Index: l.index}
	var rel relocation
	if !l.index.Faststart {
		var ftyp []byte
		if l.ftyp >= 0 {
			b := l.top[l.ftyp]
			ftyp = make([]byte, b.size)
			if _, err := src.ReadAt(ftyp, b.start); err != nil {
				return Result{}, fmt.Errorf("reading the file type box: %w", err)
			}
		}
		if l.frag != nil {
			rel, err = relocateFragments(l, ftyp)
		} else {
			rel, err = relocate(l, ftyp)
		}
		if err != nil {
			return Result{}, notEligible("%v", err)
		}
		res.Relocated = true
	}
	adviseSequential(src)

	dst, direct, err := openOutput(output)
	if err != nil {
		return Result{}, err
	}
	defer dst.Close()
	h := sha256.New()
	c := &copier{src: src, dst: dst, h: h, copied: copied}
	c.direct.Store(direct)
	if testHookBeforeCopy != nil {
		testHookBeforeCopy(res.Relocated, int64(len(rel.head)))
	}
	var n int64
	switch {
	case res.Relocated:
		n, err = c.run(ctx, rel.head, rel.rest)
	case cloneFile(dst, src):
		res.Cloned = true
		c.dst = nil // the blocks are shared already: read once, to hash
		n, err = c.run(ctx, nil, []span{{0, l.index.Size}})
	default:
		n, err = c.run(ctx, nil, []span{{0, l.index.Size}})
	}
	if err != nil {
		return Result{}, err
	}
	// With direct I/O the data are on the disk already: this flushes its cache and the
	// file's size and blocks. Through the page cache, it writes everything.
	if err := dst.Sync(); err != nil {
		return Result{}, err
	}
	if err := dst.Close(); err != nil {
		return Result{}, err
	}
	res.Size, res.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return res, nil
}
