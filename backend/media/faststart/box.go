package faststart

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// box is one box's place: its header at start, its payload at start+hdr, its end at
// start+size.
type box struct {
	typ   string
	start int64
	hdr   int64 // 8, or 16 with a 64-bit size
	size  int64
}

func (b box) end() int64          { return b.start + b.size }
func (b box) payloadStart() int64 { return b.start + b.hdr }

// readBox reads the header at off of a box that must end by limit. A size of 0 ("to
// the end") is accepted only when toEndOK, and then means limit.
func readBox(r io.ReaderAt, off, limit int64, toEndOK bool) (box, error) {
	if limit-off < 8 {
		return box{}, fmt.Errorf("%d stray bytes at offset %d", limit-off, off)
	}
	var h [16]byte
	n := int64(8)
	if limit-off >= 16 {
		n = 16
	}
	if _, err := r.ReadAt(h[:n], off); err != nil {
		return box{}, fmt.Errorf("reading the box header at offset %d: %w", off, err)
	}
	b := box{typ: string(h[4:8]), start: off, hdr: 8}
	if !printable(h[4:8]) {
		return box{}, fmt.Errorf("no box at offset %d (type %q)", off, h[4:8])
	}
	switch size := binary.BigEndian.Uint32(h[:4]); size {
	case 0:
		if !toEndOK {
			return box{}, fmt.Errorf("box %q at offset %d claims to run to the end", b.typ, off)
		}
		b.size = limit - off
	case 1:
		if n < 16 {
			return box{}, fmt.Errorf("box %q at offset %d: its 64-bit size is cut off", b.typ, off)
		}
		large := binary.BigEndian.Uint64(h[8:16])
		if large > math.MaxInt64 {
			return box{}, fmt.Errorf("box %q at offset %d: size %d out of range", b.typ, off, large)
		}
		b.hdr, b.size = 16, int64(large)
	default:
		b.size = int64(size)
	}
	if b.size < b.hdr {
		return box{}, fmt.Errorf("box %q at offset %d: size %d is smaller than its header", b.typ, off, b.size)
	}
	if b.size > limit-off {
		return box{}, fmt.Errorf("box %q at offset %d: size %d runs %d bytes past its end", b.typ, off, b.size, b.size-(limit-off))
	}
	return b, nil
}

// printable reports whether a four-character code is plain ASCII (or ©, which
// QuickTime metadata keys begin with): random bytes rarely are.
func printable(t []byte) bool {
	for _, c := range t {
		if (c < 0x20 || c > 0x7e) && c != 0xa9 {
			return false
		}
	}
	return true
}

// children lists the boxes that exactly fill buf[from:to] (offsets relative to buf).
func children(buf []byte, from, to int64) ([]box, error) {
	r := bytesAt(buf)
	var out []box
	for off := from; off < to; {
		b, err := readBox(r, off, to, false)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		off = b.end()
	}
	return out, nil
}

// bytesAt reads a byte slice as an io.ReaderAt.
type bytesAt []byte

func (b bytesAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
