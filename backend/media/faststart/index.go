package faststart

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// ErrNotEligible is wrapped by every error that means "this file is not for the one-pass
// path": the caller makes the master with ffmpeg instead.
var ErrNotEligible = errors.New("not eligible for the one-pass remux")

// NotEligibleError says why a file cannot be relocated by Write.
type NotEligibleError struct{ Reason string }

func (e *NotEligibleError) Error() string        { return "one-pass remux: " + e.Reason }
func (e *NotEligibleError) Is(target error) bool { return target == ErrNotEligible }

func notEligible(format string, args ...any) error {
	return &NotEligibleError{Reason: fmt.Sprintf(format, args...)}
}

// Limits on what the index may hold: far above any real camera file (a 10-hour 60 fps
// recording's tables are tens of MB), low enough that a hostile header cannot make the
// process allocate without bound.
const (
	maxIndexBytes   = 256 << 20
	maxTopLevel     = 1 << 16
	maxTreeDepth    = 16
	maxChunkEntries = maxIndexBytes / 4
)

// Index is what Inspect learns from a file's boxes, without reading its media data.
type Index struct {
	Size      int64 // of the file, in bytes
	Faststart bool  // the index already precedes the media data: Write copies the file as it is
	// Fragmented: the samples are described by movie fragments (moof) through the file,
	// as a live recording is; Write builds one index of them and puts it first.
	Fragmented bool
	IndexSize  int64 // of the moov box as it is in the file
	// MajorBrand is the file type box's major brand: "isom", "mp42"... for MP4, "qt  "
	// for a QuickTime movie (which stays one: the relocation keeps the box); "" if none.
	MajorBrand string
	Tracks     []Track // in the order of the file
}

// Track is one trak of the index.
type Track struct {
	ID            uint32   // from tkhd
	Handler       string   // handler type: "vide", "soun", "tmcd", "text", "sbtl", "meta"...
	SampleEntries []string // four-character codes of its sample descriptions: "avc1", "mp4a", "tmcd"...
	Chunks        int      // chunk offsets in its table
}

// Inspect reads the top-level boxes and the index of the file at path. It returns an
// error wrapping ErrNotEligible when Write could not relocate it.
func Inspect(path string) (Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return Index{}, err
	}
	defer f.Close()
	l, err := readLayout(f)
	if err != nil {
		return Index{}, err
	}
	return l.index, nil
}

// layout is a parsed file: its top-level boxes and its index as a tree.
type layout struct {
	index Index
	top   []box
	ftyp  int // index in top, -1 if none
	moov  int
	mdat  int
	tree  *node         // the moov box
	chunk []*chunkTable // every chunk offset table in the tree
	frag  *fragments    // a fragmented file's samples and media data; nil for others
}

func readLayout(f *os.File) (*layout, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notEligible("not a regular file")
	}
	size := st.Size()
	l := &layout{ftyp: -1, moov: -1, mdat: -1, index: Index{Size: size}}
	var off int64
	for off < size {
		if len(l.top) == maxTopLevel {
			return nil, notEligible("more than %d top-level boxes", maxTopLevel)
		}
		b, err := readBox(f, off, size, true)
		if err != nil {
			return nil, notEligible("%v", err)
		}
		i := len(l.top)
		switch b.typ {
		case "ftyp":
			if l.ftyp >= 0 {
				return nil, notEligible("two file type boxes")
			}
			l.ftyp = i
		case "moov":
			if l.moov >= 0 {
				return nil, notEligible("two index (moov) boxes")
			}
			l.moov = i
		case "mdat":
			if l.mdat >= 0 {
				return nil, notEligible("several media data (mdat) boxes")
			}
			l.mdat = i
		case "moof", "sidx", "styp":
			if l.moov < 0 || l.mdat >= 0 {
				return nil, notEligible("a fragmented MP4 whose fragments do not follow its index (%s box)", b.typ)
			}
			l.frag = &fragments{} // read once the index is parsed
		case "mfra", "ssix", "emsg":
			return nil, notEligible("a fragmented MP4 (%s box)", b.typ)
		}
		if l.frag != nil {
			break
		}
		l.top = append(l.top, b)
		off = b.end()
	}
	switch {
	case l.moov < 0:
		return nil, notEligible("no index (moov box)")
	case l.frag == nil && l.mdat < 0:
		return nil, notEligible("no media data (mdat box)")
	}
	if l.ftyp >= 0 && l.top[l.ftyp].size >= 12 {
		var brand [4]byte
		if _, err := f.ReadAt(brand[:], l.top[l.ftyp].payloadStart()); err != nil {
			return nil, fmt.Errorf("reading the file type: %w", err)
		}
		l.index.MajorBrand = string(brand[:])
	}
	moov := l.top[l.moov]
	if moov.size > maxIndexBytes {
		return nil, notEligible("an index of %d bytes (more than %d)", moov.size, maxIndexBytes)
	}
	buf := make([]byte, moov.size)
	if _, err := f.ReadAt(buf, moov.start); err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	l.index.IndexSize = moov.size
	p := &parser{buf: buf, fragmented: l.frag != nil}
	if l.frag == nil {
		p.mdat = l.top[l.mdat]
		l.index.Faststart = moov.start < p.mdat.start
	}
	l.tree, err = p.parse(box{typ: "moov", hdr: moov.hdr, size: moov.size}, "", 0, nil)
	if err != nil {
		return nil, notEligible("index: %v", err)
	}
	if len(p.tracks) == 0 {
		return nil, notEligible("the index holds no track")
	}
	for _, t := range p.tracks {
		if t.tables != 1 && !(p.fragmented && t.tables == 0) {
			return nil, notEligible("track %d has %d chunk offset tables", t.ID, t.tables)
		}
		l.index.Tracks = append(l.index.Tracks, t.Track)
	}
	l.chunk = p.tables
	if l.frag != nil {
		if err := l.readFragments(f, p.mvex, off); err != nil {
			return nil, notEligible("%v", err)
		}
	}
	return l, nil
}

// containers are the boxes the parser descends into: the path from moov to the chunk
// offset tables. Every other box is kept as raw bytes.
var containers = map[string]bool{"moov": true, "trak": true, "mdia": true, "minf": true, "stbl": true}

// node is a box of the index: a container rebuilt from its children, a chunk offset
// table rewritten, or any other box copied byte for byte.
type node struct {
	typ   string
	hdr16 bool    // the input wrote its size in 64 bits: keep that form
	raw   []byte  // a box kept as it is
	kids  []*node // a container
	table *chunkTable
}

// chunkTable is an stco (32-bit) or co64 (64-bit) box's content.
type chunkTable struct {
	versionFlags [4]byte
	entries      []uint64
	wide         bool // written as co64
	max          uint64
}

type trackInfo struct {
	Track
	tables int
}

type parser struct {
	buf        []byte
	mdat       box // where chunk offsets may point (none in a fragmented file's index)
	tracks     []*trackInfo
	tables     []*chunkTable
	fragmented bool   // the index describes movie fragments: its mvex is expected
	mvex       []byte // its payload
}

// parse builds the node of b (offsets in p.buf), checking what a relocation must trust.
func (p *parser) parse(b box, parent string, depth int, trak *trackInfo) (*node, error) {
	n := &node{typ: b.typ, hdr16: b.hdr == 16}
	payload := p.buf[b.payloadStart():b.end()]
	if !containers[b.typ] {
		n.raw = p.buf[b.start:b.end()]
		return n, p.check(b, payload, parent, trak)
	}
	if depth >= maxTreeDepth {
		return nil, fmt.Errorf("boxes nested more than %d deep", maxTreeDepth)
	}
	kids, err := children(p.buf, b.payloadStart(), b.end())
	if err != nil {
		return nil, fmt.Errorf("in %s: %v", b.typ, err)
	}
	if b.typ == "trak" {
		trak = &trackInfo{}
		p.tracks = append(p.tracks, trak)
	}
	for _, k := range kids {
		var c *node
		switch k.typ {
		case "stco", "co64":
			if trak == nil || b.typ != "stbl" {
				return nil, fmt.Errorf("a chunk offset table outside a sample table")
			}
			c, err = p.parseTable(k, p.buf[k.payloadStart():k.end()])
			trak.tables++
			if c != nil {
				trak.Chunks = len(c.table.entries)
			}
		default:
			c, err = p.parse(k, b.typ, depth+1, trak)
		}
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, c)
	}
	return n, nil
}

// check looks at a box kept as it is for anything that holds file offsets or data
// elsewhere, and records what a track is.
func (p *parser) check(b box, payload []byte, parent string, trak *trackInfo) error {
	switch b.typ {
	case "mvex":
		if !p.fragmented || parent != "moov" || p.mvex != nil {
			return fmt.Errorf("a fragmented MP4 (mvex box) without fragments")
		}
		p.mvex = payload
	case "cmov":
		return fmt.Errorf("a compressed index (cmov box)")
	case "saio":
		return fmt.Errorf("auxiliary sample offsets (saio box)")
	case "meta":
		if metaHasItemLocations(payload) {
			return fmt.Errorf("item locations (iloc box)")
		}
	case "tkhd":
		if trak != nil && len(payload) >= 16 {
			at := 12 // version 0: creation and modification times are 32-bit
			if payload[0] == 1 {
				at = 20
			}
			if len(payload) >= at+4 {
				trak.ID = binary.BigEndian.Uint32(payload[at:])
			}
		}
	case "hdlr":
		if trak != nil && parent == "mdia" && len(payload) >= 12 {
			trak.Handler = string(payload[8:12])
		}
	case "dinf":
		return checkDataReferences(payload)
	case "stsd":
		if trak == nil || len(payload) < 8 {
			return fmt.Errorf("a sample description box too short")
		}
		entries, err := children(payload, 8, int64(len(payload)))
		if err != nil {
			return fmt.Errorf("in stsd: %v", err)
		}
		for _, e := range entries {
			trak.SampleEntries = append(trak.SampleEntries, e.typ)
		}
	}
	return nil
}

// parseTable reads a chunk offset table; every offset must point into the media data.
func (p *parser) parseTable(b box, payload []byte) (*node, error) {
	width := uint64(4)
	if b.typ == "co64" {
		width = 8
	}
	if len(payload) < 8 {
		return nil, fmt.Errorf("%s box too short", b.typ)
	}
	count := uint64(binary.BigEndian.Uint32(payload[4:8]))
	if count > maxChunkEntries || 8+count*width > uint64(len(payload)) {
		return nil, fmt.Errorf("%s box: %d entries do not fit in %d bytes", b.typ, count, len(payload))
	}
	t := &chunkTable{wide: width == 8, entries: make([]uint64, count)}
	copy(t.versionFlags[:], payload[:4])
	lo, hi := uint64(p.mdat.payloadStart()), uint64(p.mdat.end())
	for i := range t.entries {
		var v uint64
		if width == 8 {
			v = binary.BigEndian.Uint64(payload[8+i*8:])
		} else {
			v = uint64(binary.BigEndian.Uint32(payload[8+i*4:]))
		}
		if v < lo || v > hi {
			return nil, fmt.Errorf("chunk offset %d lies outside the media data (bytes %d-%d)", v, lo, hi)
		}
		t.entries[i] = v
		t.max = max(t.max, v)
	}
	p.tables = append(p.tables, t)
	return &node{typ: b.typ, hdr16: b.hdr == 16, table: t}, nil
}

// metaHasItemLocations reports whether a meta box (ISO's full box, or QuickTime's plain
// one) lists items by file offset.
func metaHasItemLocations(payload []byte) bool {
	for _, from := range []int64{4, 0} {
		if kids, err := children(payload, from, int64(len(payload))); err == nil {
			for _, k := range kids {
				if k.typ == "iloc" {
					return true
				}
			}
		}
	}
	return false
}

// checkDataReferences refuses media whose samples are in other files: its chunk
// offsets are not this file's.
func checkDataReferences(dinf []byte) error {
	kids, err := children(dinf, 0, int64(len(dinf)))
	if err != nil {
		return fmt.Errorf("in dinf: %v", err)
	}
	for _, k := range kids {
		if k.typ != "dref" {
			continue
		}
		dref := dinf[k.payloadStart():k.end()]
		if len(dref) < 8 {
			return fmt.Errorf("dref box too short")
		}
		entries, err := children(dref, 8, int64(len(dref)))
		if err != nil {
			return fmt.Errorf("in dref: %v", err)
		}
		for _, e := range entries {
			// Flag 1 of a data entry: "the media data is in this file".
			if e.size < e.hdr+4 || dref[e.payloadStart()+3]&1 == 0 {
				return fmt.Errorf("media data in another file (%s reference)", e.typ)
			}
		}
	}
	return nil
}
