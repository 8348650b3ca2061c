package faststart

import (
	"bytes"
	"math"
	"os"
	"slices"
	"testing"

	mp4 "github.com/abema/go-mp4"
)

// Moving the index to the front adds its size to every chunk offset; an offset that no
// longer fits in 32 bits turns its table into a co64 one, which makes the index larger
// and moves every offset further. This builds the index of a file just under 4 GB from
// a real clip's: the clip as if a 4 GB free box sat before its media data (writing and
// copying such a file would take a minute for nothing the index does not show).
func TestWidensChunkOffsetsThatPassFourGigabytes(t *testing.T) {
	f, l := openLayout(t, tracksClip(t))
	if l.ftyp != 0 || l.mdat != 2 || l.moov != 3 {
		t.Fatalf("the clip's boxes are %+v; the test expects ftyp, free, mdat, moov", l.top)
	}
	var top uint64
	for _, tb := range l.chunk {
		top = max(top, tb.max)
	}
	// The gap puts the last chunk a few kilobytes below 4 GB: the index (about 5 kB)
	// pushes the last chunks of some tracks over.
	gap := int64(math.MaxUint32 - top - 2000)
	original := map[*chunkTable][]uint64{}
	for _, tb := range l.chunk {
		original[tb] = slices.Clone(tb.entries)
		for i := range tb.entries {
			tb.entries[i] += uint64(gap)
		}
		tb.max += uint64(gap)
	}
	l.top = slices.Insert(l.top, 1, box{typ: "free", start: l.top[0].end(), hdr: 8, size: gap})
	for i := 2; i < len(l.top); i++ {
		l.top[i].start += gap
	}
	l.mdat, l.moov = 3, 4
	ftyp := make([]byte, l.top[0].size)
	f.ReadAt(ftyp, 0)

	r, err := relocate(l, ftyp)
	if err != nil {
		t.Fatal(err)
	}
	moovSize := int64(len(r.head) - len(ftyp))
	if r.delta != moovSize {
		t.Errorf("offsets moved by %d, the new index is %d bytes: the data moves by exactly the index", r.delta, moovSize)
	}
	// Read the new index back with go-mp4, independently of the encoder.
	rd := bytes.NewReader(r.head)
	boxes, err := mp4.ExtractBoxesWithPayload(rd, nil, []mp4.BoxPath{
		{mp4.BoxTypeMoov(), mp4.BoxTypeTrak(), mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl(), mp4.BoxTypeStco()},
		{mp4.BoxTypeMoov(), mp4.BoxTypeTrak(), mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl(), mp4.BoxTypeCo64()},
	})
	if err != nil || len(boxes) != len(l.chunk) {
		t.Fatalf("go-mp4 reads %d chunk tables in the new index (want %d): %v", len(boxes), len(l.chunk), err)
	}
	var widened, kept int
	for i, b := range boxes {
		var got []uint64
		switch p := b.Payload.(type) {
		case *mp4.Stco:
			kept++
			for _, o := range p.ChunkOffset {
				got = append(got, uint64(o))
			}
		case *mp4.Co64:
			widened++
			got = p.ChunkOffset
		}
		want := original[l.chunk[i]]
		for j := range want {
			want[j] += uint64(gap + r.delta)
		}
		if !slices.Equal(got, want) {
			t.Errorf("track %d: chunk offsets not moved by the gap and the index", i)
		}
		if _, isStco := b.Payload.(*mp4.Stco); isStco && slices.Max(want) > math.MaxUint32 {
			t.Errorf("track %d: an offset over 4 GB left in a 32-bit table", i)
		}
	}
	if widened == 0 || kept == 0 {
		t.Errorf("%d tables widened, %d kept: the case should widen some and keep others", widened, kept)
	}
	// The containers' sizes add up: the index parses again, whole.
	idx, err := readLayoutBytes(t, r.head)
	if err != nil {
		t.Fatalf("the new index does not parse: %v", err)
	}
	if len(idx.chunk) != len(l.chunk) {
		t.Errorf("%d chunk tables after, %d before", len(idx.chunk), len(l.chunk))
	}
}

// readLayoutBytes parses head (ftyp + moov) followed by an mdat big enough for every
// chunk offset, written sparse.
func readLayoutBytes(t *testing.T, head []byte) (*layout, error) {
	t.Helper()
	path := t.TempDir() + "/index.mp4"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(head)
	mdat := int64(8<<30) - int64(len(head)) // sparse: nothing is written
	f.Write([]byte{0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0, 0, 0, 0, 0, 0, 0})
	f.WriteAt([]byte{byte(mdat >> 56), byte(mdat >> 48), byte(mdat >> 40), byte(mdat >> 32), byte(mdat >> 24), byte(mdat >> 16), byte(mdat >> 8), byte(mdat)}, int64(len(head))+8)
	if err := f.Truncate(int64(len(head)) + mdat); err != nil {
		t.Fatal(err)
	}
	return readLayout(f)
}
