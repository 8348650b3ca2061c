package faststart

import (
	"encoding/binary"
	"fmt"
	"math"
)

// relocation is how Write lays the file out: the file type box, the rewritten index,
// then every other top-level box in its original order.
type relocation struct {
	head  []byte // file type box + index, as written
	delta int64  // by which every chunk offset moves
	rest  []span // of the input, copied after head
}

// span is a byte range [from, to) of the input.
type span struct{ from, to int64 }

// relocate computes the new index for l, whose ftyp box bytes are ftyp. A chunk offset
// that would no longer fit in 32 bits turns its stco table into a co64 one; that makes
// the index larger and moves the data further, so the sizes are settled first.
func relocate(l *layout, ftyp []byte) (relocation, error) {
	var r relocation
	before := int64(len(ftyp)) // of the media data, in the output, apart from the index
	for i, b := range l.top {
		if i == l.ftyp || i == l.moov {
			continue
		}
		if i < l.mdat {
			before += b.size
		}
		if n := len(r.rest); n > 0 && r.rest[n-1].to == b.start {
			r.rest[n-1].to = b.end()
		} else {
			r.rest = append(r.rest, span{b.start, b.end()})
		}
	}
	mdatStart := l.top[l.mdat].start
	for range len(l.chunk) + 1 { // each round widens at least one table, or ends
		size, err := l.tree.size()
		if err != nil {
			return r, err
		}
		r.delta = before + size - mdatStart
		widened := false
		for _, t := range l.chunk {
			if !t.wide && int64(t.max)+r.delta > math.MaxUint32 {
				t.wide, widened = true, true
			}
		}
		if !widened {
			size, _ := l.tree.size()
			r.head = make([]byte, 0, int64(len(ftyp))+size)
			r.head = append(r.head, ftyp...)
			r.head = l.tree.encode(r.head, r.delta)
			if int64(len(r.head)) != int64(len(ftyp))+size {
				return r, fmt.Errorf("the index came out at %d bytes, not %d", len(r.head)-len(ftyp), size)
			}
			return r, nil
		}
	}
	return r, fmt.Errorf("the chunk offset tables did not settle")
}

// size is the box's size as encode writes it.
func (n *node) size() (int64, error) {
	switch {
	case n.raw != nil:
		return int64(len(n.raw)), nil
	case n.table != nil:
		w := int64(4)
		if n.table.wide {
			w = 8
		}
		return n.hdrLen(0) + 8 + w*int64(len(n.table.entries)), nil
	}
	var sum int64
	for _, k := range n.kids {
		s, err := k.size()
		if err != nil {
			return 0, err
		}
		sum += s
	}
	if sum > maxIndexBytes*2 {
		return 0, fmt.Errorf("the index would grow to over %d bytes", maxIndexBytes*2)
	}
	return n.hdrLen(sum) + sum, nil
}

// hdrLen is 16 when the box keeps (or needs) a 64-bit size.
func (n *node) hdrLen(payload int64) int64 {
	if n.hdr16 || payload+8 > math.MaxUint32 {
		return 16
	}
	return 8
}

// encode appends the box to dst, chunk offsets moved by delta.
func (n *node) encode(dst []byte, delta int64) []byte {
	if n.raw != nil {
		return append(dst, n.raw...)
	}
	size, _ := n.size() // checked by relocate before encoding
	typ := n.typ
	if n.table != nil {
		typ = "stco"
		if n.table.wide {
			typ = "co64"
		}
	}
	if n.hdrLen(size-8) == 16 {
		dst = binary.BigEndian.AppendUint32(dst, 1)
		dst = append(dst, typ...)
		dst = binary.BigEndian.AppendUint64(dst, uint64(size))
	} else {
		dst = binary.BigEndian.AppendUint32(dst, uint32(size))
		dst = append(dst, typ...)
	}
	if t := n.table; t != nil {
		dst = append(dst, t.versionFlags[:]...)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(t.entries)))
		for _, e := range t.entries {
			v := uint64(int64(e) + delta)
			if t.wide {
				dst = binary.BigEndian.AppendUint64(dst, v)
			} else {
				dst = binary.BigEndian.AppendUint32(dst, uint32(v))
			}
		}
		return dst
	}
	for _, k := range n.kids {
		dst = k.encode(dst, delta)
	}
	return dst
}
