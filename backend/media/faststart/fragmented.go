package faststart

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
)

// A fragmented MP4 (movie fragments, ISO 14496-12 8.8: what the live recorder writes,
// and DASH/CMAF packagers) keeps its sample tables in moof boxes spread through the
// file, each followed by the mdat it describes. Write turns one into an ordinary MP4 in
// the same single pass: the fragments' tables are read (the index alone), one moov is
// built from the file's own (every box kept; mvex dropped; the durations set; the
// sample tables filled, each track run one chunk), then the fragments' media data are
// copied back to back into one mdat. Anything this does not understand for certain
// (sample groups or encryption in a fragment, a gap going back in time, data outside
// the fragment's own mdat) is ErrNotEligible, for ffmpeg.

// Limits for fragmented files, far above a 10-hour recording at one fragment a second
// (36,000 fragments, ~4 million samples), low enough to bound what a hostile file costs.
const (
	maxFragments   = 1 << 20
	maxMoofBytes   = 16 << 20
	maxFragSamples = 1 << 24
)

// fragments is what readFragments gathers: the tables of every track, and where the
// media data lie.
type fragments struct {
	tracks  []*fragTrack
	data    []span // the mdat payloads, in file order: copied back to back
	bytes   int64  // their total
	samples int    // in every track
}

// fragTrack is one trak of a fragmented file and the samples its fragments hold.
type fragTrack struct {
	id    uint32
	trak  *node
	trex  trex
	descs uint32 // sample descriptions in its stsd

	started bool
	first   uint64 // decode time of the first sample (its first tfdt)
	next    uint64 // decode time the next sample starts at
	count   uint32 // samples so far
	stts    []sttsRun
	ctts    []cttsRun
	sync    []uint32 // 1-based numbers of the sync samples
	sizes   []uint32
	stsc    []stscEntry
	chunks  *chunkTable // offsets relative to the start of the output's media data
}

type sttsRun struct{ count, delta uint32 }
type cttsRun struct {
	count  uint32
	offset int32
}
type stscEntry struct{ firstChunk, perChunk, desc uint32 }

// trex is a track's defaults for its fragments (mvex/trex).
type trex struct{ desc, duration, size, flags uint32 }

// tfhd flags (ISO 14496-12 8.8.7).
const (
	tfhdBaseDataOffset    = 0x000001
	tfhdSampleDescIndex   = 0x000002
	tfhdDefaultDuration   = 0x000008
	tfhdDefaultSize       = 0x000010
	tfhdDefaultFlags      = 0x000020
	tfhdDurationIsEmpty   = 0x010000
	tfhdDefaultBaseIsMoof = 0x020000
)

// trun flags (8.8.8).
const (
	trunDataOffset       = 0x000001
	trunFirstSampleFlags = 0x000004
	trunDuration         = 0x000100
	trunSize             = 0x000200
	trunFlags            = 0x000400
	trunCTS              = 0x000800
)

// sampleIsNonSync is sample_is_non_sync_sample in a sample's flags.
const sampleIsNonSync = 0x00010000

// readFragments reads the fragments from off (the first box after the index) to the end
// of the file, for the tracks of l.tree, whose fragment defaults are in mvex; then it
// builds the index that describes them (defragment).
func (l *layout) readFragments(r io.ReaderAt, mvex []byte, off int64) error {
	if mvex == nil {
		return fmt.Errorf("movie fragments without their defaults (mvex box)")
	}
	trexes, err := parseTrex(mvex)
	if err != nil {
		return err
	}
	fr, err := readFragments(r, l, trexes, off)
	if err != nil {
		return err
	}
	if err := defragment(l, fr); err != nil {
		return err
	}
	l.frag = fr
	l.index.Fragmented = true
	for i, ft := range fr.tracks {
		l.index.Tracks[i].Chunks = len(ft.chunks.entries)
	}
	return nil
}

func readFragments(r io.ReaderAt, l *layout, trexes map[uint32]trex, off int64) (*fragments, error) {
	fr := &fragments{}
	byID := map[uint32]*fragTrack{}
	for i, trak := range l.tree.kidsOf("trak") {
		tr := l.index.Tracks[i]
		ft := &fragTrack{id: tr.ID, trak: trak, descs: uint32(len(tr.SampleEntries)), chunks: &chunkTable{}}
		t, ok := trexes[ft.id]
		if !ok {
			return nil, fmt.Errorf("track %d has no fragment defaults (trex)", ft.id)
		}
		ft.trex = t
		if byID[ft.id] != nil {
			return nil, fmt.Errorf("two tracks numbered %d", ft.id)
		}
		byID[ft.id] = ft
		fr.tracks = append(fr.tracks, ft)
	}
	size := l.index.Size
	for off < size {
		b, err := readBox(r, off, size, true)
		if err != nil {
			return nil, err
		}
		switch b.typ {
		case "moof":
			if len(fr.data) == maxFragments {
				return nil, fmt.Errorf("more than %d fragments", maxFragments)
			}
			if b.size > maxMoofBytes {
				return nil, fmt.Errorf("a fragment header of %d bytes", b.size)
			}
			md, err := readBox(r, b.end(), size, true)
			if err != nil || md.typ != "mdat" {
				return nil, fmt.Errorf("the fragment at offset %d is not followed by its media data", b.start)
			}
			moof := make([]byte, b.size)
			if _, err := r.ReadAt(moof, b.start); err != nil {
				return nil, fmt.Errorf("reading the fragment at offset %d: %w", b.start, err)
			}
			if err := fr.readMoof(moof, b, md, byID); err != nil {
				return nil, fmt.Errorf("fragment at offset %d: %v", b.start, err)
			}
			fr.data = append(fr.data, span{md.payloadStart(), md.end()})
			fr.bytes += md.end() - md.payloadStart()
			off = md.end()
			continue
		case "free", "skip", "sidx", "styp", "prft", "mfra":
			// an index of the fragments (dropped: the new moov replaces it), or padding
		default:
			return nil, fmt.Errorf("a %q box between the fragments", b.typ)
		}
		off = b.end()
	}
	if len(fr.data) == 0 {
		return nil, fmt.Errorf("no fragment")
	}
	for _, ft := range fr.tracks {
		if ft.count == 0 {
			return nil, fmt.Errorf("track %d has no sample", ft.id)
		}
	}
	return fr, nil
}

// readMoof adds the samples of one fragment (moof, whose bytes are buf, followed by
// mdat) to their tracks.
func (fr *fragments) readMoof(buf []byte, moof, mdat box, byID map[uint32]*fragTrack) error {
	kids, err := children(buf, moof.hdr, moof.size)
	if err != nil {
		return err
	}
	// Without an explicit base, a track fragment's data follows the one before it.
	prevEnd := moof.start
	for _, k := range kids {
		switch k.typ {
		case "mfhd":
			continue
		case "traf":
		default:
			return fmt.Errorf("a %q box in a fragment header", k.typ)
		}
		end, err := fr.readTraf(buf[k.payloadStart():k.end()], moof, mdat, prevEnd, byID)
		if err != nil {
			return err
		}
		prevEnd = end
	}
	return nil
}

// readTraf reads one track fragment; base is where its data starts unless it says
// otherwise. It returns the end of its data.
func (fr *fragments) readTraf(buf []byte, moof, mdat box, base int64, byID map[uint32]*fragTrack) (int64, error) {
	kids, err := children(buf, 0, int64(len(buf)))
	if err != nil {
		return 0, err
	}
	if len(kids) == 0 || kids[0].typ != "tfhd" {
		return 0, fmt.Errorf("a track fragment without its header (tfhd) first")
	}
	h := buf[kids[0].payloadStart():kids[0].end()]
	if len(h) < 8 {
		return 0, fmt.Errorf("tfhd box too short")
	}
	flags := binary.BigEndian.Uint32(h[:4]) & 0xffffff
	ft := byID[binary.BigEndian.Uint32(h[4:8])]
	if ft == nil {
		return 0, fmt.Errorf("a fragment of track %d, which the index does not have", binary.BigEndian.Uint32(h[4:8]))
	}
	if flags&tfhdDurationIsEmpty != 0 {
		return 0, fmt.Errorf("an empty track fragment (duration-is-empty)")
	}
	d := ft.trex
	p := h[8:]
	field := func(bit uint32, width int) (uint64, error) {
		if flags&bit == 0 {
			return 0, nil
		}
		if len(p) < width {
			return 0, fmt.Errorf("tfhd box too short")
		}
		var v uint64
		if width == 8 {
			v = binary.BigEndian.Uint64(p)
		} else {
			v = uint64(binary.BigEndian.Uint32(p))
		}
		p = p[width:]
		return v, nil
	}
	baseOffset, err := field(tfhdBaseDataOffset, 8)
	if err != nil {
		return 0, err
	}
	var v [4]uint64
	for i, bit := range []uint32{tfhdSampleDescIndex, tfhdDefaultDuration, tfhdDefaultSize, tfhdDefaultFlags} {
		if v[i], err = field(bit, 4); err != nil {
			return 0, err
		}
	}
	if flags&tfhdSampleDescIndex != 0 {
		d.desc = uint32(v[0])
	}
	if flags&tfhdDefaultDuration != 0 {
		d.duration = uint32(v[1])
	}
	if flags&tfhdDefaultSize != 0 {
		d.size = uint32(v[2])
	}
	if flags&tfhdDefaultFlags != 0 {
		d.flags = uint32(v[3])
	}
	switch {
	case flags&tfhdBaseDataOffset != 0:
		if baseOffset > math.MaxInt64 {
			return 0, fmt.Errorf("base data offset %d out of range", baseOffset)
		}
		base = int64(baseOffset)
	case flags&tfhdDefaultBaseIsMoof != 0:
		base = moof.start
	}
	var decodeTime uint64
	hasTime, sawRun := false, false
	pos := base // where the next run's data starts when it gives no offset
	for _, k := range kids[1:] {
		payload := buf[k.payloadStart():k.end()]
		switch k.typ {
		case "tfdt":
			if hasTime || sawRun {
				return 0, fmt.Errorf("a misplaced or second decode time (tfdt)")
			}
			if len(payload) < 8 || (payload[0] == 1 && len(payload) < 12) {
				return 0, fmt.Errorf("tfdt box too short")
			}
			decodeTime, hasTime = uint64(binary.BigEndian.Uint32(payload[4:])), true
			if payload[0] == 1 {
				decodeTime = binary.BigEndian.Uint64(payload[4:])
			}
			if err := ft.startAt(decodeTime); err != nil {
				return 0, err
			}
		case "trun":
			sawRun = true
			if !hasTime && !ft.started {
				ft.startAt(0)
			}
			n, end, err := ft.readTrun(payload, base, pos, d, mdat, fr.bytes, maxFragSamples-fr.samples)
			if err != nil {
				return 0, err
			}
			fr.samples, pos = fr.samples+n, end
		default:
			// Sample groups (sbgp), auxiliary information (saiz/saio), encryption
			// (senc), subsamples (subs)...: what a moov could not say the same way.
			return 0, fmt.Errorf("a %q box in a track fragment", k.typ)
		}
	}
	return pos, nil
}

// startAt lines the track up for a fragment that starts at decode time t: the first
// one sets the track's start; a later one may leave a gap (the sample before it lasts
// until t, as ffmpeg's remux does) but not go back.
func (ft *fragTrack) startAt(t uint64) error {
	if !ft.started || ft.count == 0 {
		ft.started, ft.first, ft.next = true, t, t
		return nil
	}
	switch {
	case t < ft.next:
		return fmt.Errorf("track %d goes back in time (decode time %d, %d expected)", ft.id, t, ft.next)
	case t > ft.next:
		gap := t - ft.next
		last := &ft.stts[len(ft.stts)-1]
		if uint64(last.delta)+gap > math.MaxUint32 {
			return fmt.Errorf("track %d has a gap of %d ticks", ft.id, gap)
		}
		if last.count > 1 {
			last.count--
			ft.stts = append(ft.stts, sttsRun{1, last.delta})
			last = &ft.stts[len(ft.stts)-1]
		}
		last.delta += uint32(gap)
		ft.next = t
	}
	return nil
}

// readTrun reads one track run: its samples are one chunk. base is the track
// fragment's base offset, pos where the run's data starts if it gives no offset,
// dataBefore the output's media data before this fragment's mdat, budget how many more
// samples the file may have.
func (ft *fragTrack) readTrun(p []byte, base, pos int64, d trex, mdat box, dataBefore int64, budget int) (int, int64, error) {
	if len(p) < 8 {
		return 0, 0, fmt.Errorf("trun box too short")
	}
	version, flags := p[0], binary.BigEndian.Uint32(p[:4])&0xffffff
	count := binary.BigEndian.Uint32(p[4:8])
	p = p[8:]
	if flags&trunDataOffset != 0 {
		if len(p) < 4 {
			return 0, 0, fmt.Errorf("trun box too short")
		}
		pos = base + int64(int32(binary.BigEndian.Uint32(p)))
		p = p[4:]
	}
	first := d.flags
	hasFirst := flags&trunFirstSampleFlags != 0
	if hasFirst {
		if len(p) < 4 {
			return 0, 0, fmt.Errorf("trun box too short")
		}
		first, p = binary.BigEndian.Uint32(p), p[4:]
	}
	per := 0
	for _, bit := range []uint32{trunDuration, trunSize, trunFlags, trunCTS} {
		if flags&bit != 0 {
			per += 4
		}
	}
	if uint64(count)*uint64(per) > uint64(len(p)) || (per == 0 && count > maxFragSamples) {
		return 0, 0, fmt.Errorf("trun box: %d samples do not fit in %d bytes", count, len(p))
	}
	if count == 0 {
		return 0, pos, nil
	}
	if uint64(count) > uint64(budget) {
		return 0, 0, fmt.Errorf("more than %d samples", maxFragSamples)
	}
	start := pos
	if start < mdat.payloadStart() || start > mdat.end() {
		return 0, 0, fmt.Errorf("track %d's samples at offset %d lie outside the fragment's media data", ft.id, start)
	}
	if d.desc == 0 || d.desc > ft.descs {
		return 0, 0, fmt.Errorf("track %d: sample description %d of %d", ft.id, d.desc, ft.descs)
	}
	next := func() uint32 { v := binary.BigEndian.Uint32(p); p = p[4:]; return v }
	for i := range count {
		dur, size, sf, cts := d.duration, d.size, d.flags, int32(0)
		if i == 0 && hasFirst {
			sf = first
		}
		if flags&trunDuration != 0 {
			dur = next()
		}
		if flags&trunSize != 0 {
			size = next()
		}
		if flags&trunFlags != 0 {
			sf = next()
			if i == 0 && hasFirst {
				sf = first
			}
		}
		if flags&trunCTS != 0 {
			c := next()
			if version == 0 && c > math.MaxInt32 {
				return 0, 0, fmt.Errorf("track %d: composition offset %d out of range", ft.id, c)
			}
			cts = int32(c)
		}
		if pos+int64(size) > mdat.end() {
			return 0, 0, fmt.Errorf("track %d's samples run past the fragment's media data", ft.id)
		}
		pos += int64(size)
		ft.add(dur, size, sf&sampleIsNonSync == 0, cts)
	}
	// The run is one chunk, at its place in the output's media data.
	ft.chunks.entries = append(ft.chunks.entries, uint64(dataBefore+start-mdat.payloadStart()))
	ft.chunks.max = max(ft.chunks.max, ft.chunks.entries[len(ft.chunks.entries)-1])
	chunk := uint32(len(ft.chunks.entries))
	if n := len(ft.stsc); n == 0 || ft.stsc[n-1].perChunk != count || ft.stsc[n-1].desc != d.desc {
		ft.stsc = append(ft.stsc, stscEntry{chunk, count, d.desc})
	}
	return int(count), pos, nil
}

// add appends one sample to the track's tables.
func (ft *fragTrack) add(dur, size uint32, sync bool, cts int32) {
	ft.count++
	ft.next += uint64(dur)
	if n := len(ft.stts); n > 0 && ft.stts[n-1].delta == dur {
		ft.stts[n-1].count++
	} else {
		ft.stts = append(ft.stts, sttsRun{1, dur})
	}
	if n := len(ft.ctts); n > 0 && ft.ctts[n-1].offset == cts {
		ft.ctts[n-1].count++
	} else {
		ft.ctts = append(ft.ctts, cttsRun{1, cts})
	}
	if sync {
		ft.sync = append(ft.sync, ft.count)
	}
	ft.sizes = append(ft.sizes, size)
}

// duration is the track's media duration, in its time scale.
func (ft *fragTrack) duration() uint64 { return ft.next - ft.first }

// parseTrex reads mvex's track defaults.
func parseTrex(mvex []byte) (map[uint32]trex, error) {
	kids, err := children(mvex, 0, int64(len(mvex)))
	if err != nil {
		return nil, fmt.Errorf("in mvex: %v", err)
	}
	out := map[uint32]trex{}
	for _, k := range kids {
		if k.typ != "trex" {
			continue
		}
		p := mvex[k.payloadStart():k.end()]
		if len(p) < 24 {
			return nil, fmt.Errorf("trex box too short")
		}
		u := func(i int) uint32 { return binary.BigEndian.Uint32(p[i:]) }
		out[u(4)] = trex{desc: u(8), duration: u(12), size: u(16), flags: u(20)}
	}
	return out, nil
}

// kidsOf is n's children of type typ, in order.
func (n *node) kidsOf(typ string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.typ == typ {
			out = append(out, k)
		}
	}
	return out
}

// kid is n's first child of type typ, or nil.
func (n *node) kid(typ string) *node {
	for _, k := range n.kids {
		if k.typ == typ {
			return k
		}
	}
	return nil
}

// rawBox makes a box of a payload (the tables built here never need a 64-bit size: the
// index is limited far below 4 GB).
func rawBox(typ string, payload []byte) *node {
	b := binary.BigEndian.AppendUint32(make([]byte, 0, 8+len(payload)), uint32(8+len(payload)))
	return &node{typ: typ, raw: append(append(b, typ...), payload...)}
}

// fullBox starts a full box's payload: version and flags.
func fullBox(version byte, size int) []byte {
	return append(make([]byte, 0, 4+size), version, 0, 0, 0)
}

// Boxes of a sample table that the fragments replace: whatever the init moov holds of
// them describes no sample.
var sampleTables = map[string]bool{"stts": true, "ctts": true, "cslg": true, "stss": true, "stsz": true, "stz2": true,
	"stsc": true, "stco": true, "co64": true, "stps": true, "sdtp": true}

// defragment builds the index of a fragmented file: the moov of l.tree with the tables
// of fr, durations set and mvex dropped. It changes l.tree and sets l.chunk.
func defragment(l *layout, fr *fragments) error {
	mvhd := l.tree.kid("mvhd")
	if mvhd == nil {
		return fmt.Errorf("no movie header (mvhd)")
	}
	movieScale, err := timeScale(mvhd.raw[8:], "mvhd")
	if err != nil {
		return err
	}
	var movieDur uint64
	l.chunk = nil
	for _, ft := range fr.tracks {
		mdia := ft.trak.kid("mdia")
		var mdhd, minf, stbl *node
		if mdia != nil {
			mdhd, minf = mdia.kid("mdhd"), mdia.kid("minf")
		}
		if minf != nil {
			stbl = minf.kid("stbl")
		}
		tkhd := ft.trak.kid("tkhd")
		if mdhd == nil || stbl == nil || tkhd == nil {
			return fmt.Errorf("track %d lacks its header, media header or sample table", ft.id)
		}
		mediaScale, err := timeScale(mdhd.raw[8:], "mdhd")
		if err != nil {
			return err
		}
		if err := checkEmptyTables(stbl); err != nil {
			return fmt.Errorf("track %d: %v", ft.id, err)
		}
		mediaDur := ft.duration()
		if mdhd.raw, err = withDuration(mdhd.raw, mediaDur); err != nil {
			return err
		}
		// A track whose first sample is decoded after time zero starts later: an empty
		// edit says so, in the movie's time scale (ffmpeg's remux writes the same,
		// rounded down).
		trackDur := scale(mediaDur, movieScale, mediaScale)
		if ft.first > 0 {
			if ft.trak.kid("edts") != nil {
				return fmt.Errorf("track %d has an edit list and starts at %d", ft.id, ft.first)
			}
			delay := scale(ft.first, movieScale, mediaScale)
			ft.trak.kids = slices.Insert(ft.trak.kids, slices.Index(ft.trak.kids, tkhd)+1, editList(delay, trackDur))
			trackDur += delay
		} else if edts := ft.trak.kid("edts"); edts != nil {
			trackDur = editsDuration(edts.raw, trackDur)
		}
		if tkhd.raw, err = withDuration(tkhd.raw, trackDur); err != nil {
			return err
		}
		movieDur = max(movieDur, trackDur)
		stbl.kids = slices.DeleteFunc(stbl.kids, func(n *node) bool { return sampleTables[n.typ] })
		stbl.kids = append(stbl.kids, ft.tables()...)
		l.chunk = append(l.chunk, ft.chunks)
	}
	if mvhd.raw, err = withDuration(mvhd.raw, movieDur); err != nil {
		return err
	}
	l.tree.kids = slices.DeleteFunc(l.tree.kids, func(n *node) bool { return n.typ == "mvex" })
	return nil
}

// checkEmptyTables refuses an init moov whose tables already hold samples (a file
// partly fragmented): they would have to be merged.
func checkEmptyTables(stbl *node) error {
	for _, k := range stbl.kids {
		// Where each table keeps its count of entries or samples, header included.
		at := map[string]int{"stts": 12, "stsc": 12, "stss": 12, "ctts": 12, "stsz": 16, "stz2": 16}[k.typ]
		switch {
		case k.table != nil && len(k.table.entries) > 0,
			at > 0 && (len(k.raw) < at+4 || binary.BigEndian.Uint32(k.raw[at:]) != 0):
			return fmt.Errorf("samples both in the index and in fragments")
		}
	}
	return nil
}

// tables are the track's sample table boxes, in the order ISO lists them.
func (ft *fragTrack) tables() []*node {
	stts := fullBox(0, 4+8*len(ft.stts))
	stts = binary.BigEndian.AppendUint32(stts, uint32(len(ft.stts)))
	for _, r := range ft.stts {
		stts = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(stts, r.count), r.delta)
	}
	out := []*node{rawBox("stts", stts)}
	if len(ft.ctts) > 1 || ft.ctts[0].offset != 0 {
		version := byte(0)
		for _, r := range ft.ctts {
			if r.offset < 0 {
				version = 1
			}
		}
		ctts := fullBox(version, 4+8*len(ft.ctts))
		ctts = binary.BigEndian.AppendUint32(ctts, uint32(len(ft.ctts)))
		for _, r := range ft.ctts {
			ctts = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(ctts, r.count), uint32(r.offset))
		}
		out = append(out, rawBox("ctts", ctts))
	}
	if len(ft.sync) < int(ft.count) { // no stss: every sample is a sync sample
		stss := fullBox(0, 4+4*len(ft.sync))
		stss = binary.BigEndian.AppendUint32(stss, uint32(len(ft.sync)))
		for _, n := range ft.sync {
			stss = binary.BigEndian.AppendUint32(stss, n)
		}
		out = append(out, rawBox("stss", stss))
	}
	constant := true
	for _, s := range ft.sizes {
		constant = constant && s == ft.sizes[0]
	}
	stsz := fullBox(0, 8+4*len(ft.sizes))
	if constant {
		stsz = binary.BigEndian.AppendUint32(stsz, ft.sizes[0])
		stsz = binary.BigEndian.AppendUint32(stsz, ft.count)
	} else {
		stsz = binary.BigEndian.AppendUint32(stsz, 0)
		stsz = binary.BigEndian.AppendUint32(stsz, ft.count)
		for _, s := range ft.sizes {
			stsz = binary.BigEndian.AppendUint32(stsz, s)
		}
	}
	stsc := fullBox(0, 4+12*len(ft.stsc))
	stsc = binary.BigEndian.AppendUint32(stsc, uint32(len(ft.stsc)))
	for _, e := range ft.stsc {
		stsc = binary.BigEndian.AppendUint32(stsc, e.firstChunk)
		stsc = binary.BigEndian.AppendUint32(stsc, e.perChunk)
		stsc = binary.BigEndian.AppendUint32(stsc, e.desc)
	}
	return append(out, rawBox("stsz", stsz), rawBox("stsc", stsc), &node{typ: "stco", table: ft.chunks})
}

// editList is an edts box: nothing for delay (movie time scale), then the whole media
// for dur.
func editList(delay, dur uint64) *node {
	version := byte(0)
	if delay > math.MaxUint32 || dur > math.MaxUint32 {
		version = 1
	}
	p := fullBox(version, 4+2*20)
	p = binary.BigEndian.AppendUint32(p, 2)
	for _, e := range []struct {
		dur  uint64
		time int64
	}{{delay, -1}, {dur, 0}} {
		if version == 1 {
			p = binary.BigEndian.AppendUint64(p, e.dur)
			p = binary.BigEndian.AppendUint64(p, uint64(e.time))
		} else {
			p = binary.BigEndian.AppendUint32(p, uint32(e.dur))
			p = binary.BigEndian.AppendUint32(p, uint32(int32(e.time)))
		}
		p = binary.BigEndian.AppendUint32(p, 1<<16) // rate 1.0
	}
	elst := rawBox("elst", p)
	return rawBox("edts", elst.raw)
}

// editsDuration is the sum of an edit list's segment durations (a track's length in
// the movie), or dflt when it cannot be read.
func editsDuration(edts []byte, dflt uint64) uint64 {
	kids, err := children(edts, 8, int64(len(edts)))
	if err != nil || len(kids) == 0 || kids[0].typ != "elst" {
		return dflt
	}
	p := edts[kids[0].payloadStart():kids[0].end()]
	if len(p) < 8 {
		return dflt
	}
	n, width := uint64(binary.BigEndian.Uint32(p[4:])), uint64(12)
	if p[0] == 1 {
		width = 20
	}
	if 8+n*width > uint64(len(p)) {
		return dflt
	}
	var sum uint64
	for i := range n {
		e := p[8+i*width:]
		if p[0] == 1 {
			sum += binary.BigEndian.Uint64(e)
		} else {
			sum += uint64(binary.BigEndian.Uint32(e))
		}
	}
	return sum
}

// scale converts t ticks of time scale from into time scale to, to the nearest tick: a
// track's delay in a movie's milliseconds is then the one its encoder sent (the live
// recorder's RTMP timestamps are milliseconds), read back to the same sample.
func scale(t uint64, to, from uint32) uint64 {
	hi, lo := bits.Mul64(t, uint64(to))
	lo, carry := bits.Add64(lo, uint64(from)/2, 0)
	hi += carry
	if hi >= uint64(from) {
		return math.MaxUint64
	}
	q, _ := bits.Div64(hi, lo, uint64(from))
	return q
}

// timeScale reads the time scale of an mvhd or mdhd payload (same layout).
func timeScale(p []byte, typ string) (uint32, error) {
	at := 12
	if len(p) > 0 && p[0] == 1 {
		at = 20
	}
	if len(p) < at+4 || binary.BigEndian.Uint32(p[at:]) == 0 {
		return 0, fmt.Errorf("%s box without a time scale", typ)
	}
	return binary.BigEndian.Uint32(p[at:]), nil
}

// withDuration returns an mvhd, tkhd or mdhd box (raw, 8-byte header) with its
// duration set; a version 0 box whose duration does not fit in 32 bits becomes a
// version 1 box (64-bit times).
func withDuration(raw []byte, d uint64) ([]byte, error) {
	if len(raw) < 12 || binary.BigEndian.Uint32(raw) == 1 {
		return nil, fmt.Errorf("a %q box this package cannot rewrite", raw[4:min(8, len(raw))])
	}
	typ, p := string(raw[4:8]), raw[8:]
	// Offset of the duration in a version 0 payload, and of what follows the times.
	at := 16
	if typ == "tkhd" {
		at = 20
	}
	if p[0] == 1 {
		at += 8
		if len(p) < at+8 {
			return nil, fmt.Errorf("%s box too short", typ)
		}
		out := slices.Clone(raw)
		binary.BigEndian.PutUint64(out[8+at:], d)
		return out, nil
	}
	if len(p) < at+4 {
		return nil, fmt.Errorf("%s box too short", typ)
	}
	if d <= math.MaxUint32 {
		out := slices.Clone(raw)
		binary.BigEndian.PutUint32(out[8+at:], uint32(d))
		return out, nil
	}
	// Version 1: creation and modification times widen to 64 bits, and the duration.
	v1 := append([]byte{1}, p[1:4]...)
	v1 = binary.BigEndian.AppendUint64(v1, uint64(binary.BigEndian.Uint32(p[4:])))
	v1 = binary.BigEndian.AppendUint64(v1, uint64(binary.BigEndian.Uint32(p[8:])))
	v1 = append(v1, p[12:at]...) // time scale (mvhd, mdhd), or track ID and reserved (tkhd)
	v1 = binary.BigEndian.AppendUint64(v1, d)
	v1 = append(v1, p[at+4:]...)
	return rawBox(typ, v1).raw, nil
}

// relocateFragments lays out the ordinary MP4 made of a fragmented one: its file type
// box, the index built from the fragments, one mdat header, then every fragment's media
// data back to back. As in relocate, tables whose offsets pass 4 GB become co64.
func relocateFragments(l *layout, ftyp []byte) (relocation, error) {
	r := relocation{rest: l.frag.data}
	mdatHdr := int64(8)
	if l.frag.bytes+8 > math.MaxUint32 {
		mdatHdr = 16
	}
	for range len(l.chunk) + 1 { // each round widens at least one table, or ends
		size, err := l.tree.size()
		if err != nil {
			return r, err
		}
		r.delta = int64(len(ftyp)) + size + mdatHdr
		widened := false
		for _, t := range l.chunk {
			if !t.wide && int64(t.max)+r.delta > math.MaxUint32 {
				t.wide, widened = true, true
			}
		}
		if widened {
			continue
		}
		r.head = make([]byte, 0, r.delta)
		r.head = append(r.head, ftyp...)
		r.head = l.tree.encode(r.head, r.delta)
		if mdatHdr == 16 {
			r.head = binary.BigEndian.AppendUint32(r.head, 1)
			r.head = append(r.head, "mdat"...)
			r.head = binary.BigEndian.AppendUint64(r.head, uint64(16+l.frag.bytes))
		} else {
			r.head = binary.BigEndian.AppendUint32(r.head, uint32(8+l.frag.bytes))
			r.head = append(r.head, "mdat"...)
		}
		if int64(len(r.head)) != r.delta {
			return r, fmt.Errorf("the index came out at %d bytes, not %d", int64(len(r.head))-int64(len(ftyp))-mdatHdr, size)
		}
		return r, nil
	}
	return r, fmt.Errorf("the chunk offset tables did not settle")
}
