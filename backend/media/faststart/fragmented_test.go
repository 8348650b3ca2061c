package faststart

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	mp4 "github.com/abema/go-mp4"

	"reelvault/backend/internal/testmedia"
)

// fragClip is a fragmented MP4 as ffmpeg writes one for streaming (an index without
// samples, then a fragment per keyframe): H.264 with B-frames (composition offsets), an
// AAC track at 48 kHz and one at 44.1 kHz. movflags picks how the fragments locate
// their data: "+default_base_moof" (relative to each moof, as the live recorder and
// CMAF do) or not (an explicit base offset in each track fragment).
func fragClip(t *testing.T, name, movflags string) string {
	return clips.Clip(t, name, testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"),
		testmedia.LavfiAudio("3"), []string{"-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100:duration=3"},
		[]string{"-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "25",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "frag_keyframe+empty_moov" + movflags, "-f", "mp4"})...)
}

// packet is one packet as ffmpeg's demuxer hands it to a muxer: stream, dts, pts,
// size and the MD5 of the bytes (not the duration: an edit list may end the last one
// earlier).
type packet struct {
	stream    int
	dts, pts  int64
	size, md5 string
	tick      float64 // seconds
}

func readPackets(t *testing.T, path string) []packet {
	t.Helper()
	out, _ := tool(t, testmedia.FFmpeg, "-v", "error", "-i", path, "-map", "0", "-c", "copy", "-f", "framemd5", "-")
	tick := map[int]float64{}
	var ps []packet
	for _, l := range strings.Split(out, "\n") {
		var s, num, den int
		if _, err := fmt.Sscanf(l, "#tb %d: %d/%d", &s, &num, &den); err == nil {
			tick[s] = float64(num) / float64(den)
			continue
		}
		f := strings.Split(l, ",")
		if strings.HasPrefix(l, "#") || len(f) != 6 {
			continue
		}
		var p packet
		fmt.Sscan(f[0], &p.stream)
		fmt.Sscan(strings.TrimSpace(f[1]), &p.dts)
		fmt.Sscan(strings.TrimSpace(f[2]), &p.pts)
		p.size, p.md5, p.tick = strings.TrimSpace(f[4]), strings.TrimSpace(f[5]), tick[p.stream]
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		t.Fatalf("%s: no packets", filepath.Base(path))
	}
	return ps
}

// checkSamePackets checks that out holds every packet of in, stream by stream in the
// same order, with the same bytes, at the same time give or take within (seconds).
func checkSamePackets(t *testing.T, in, out string, within float64) {
	t.Helper()
	byStream := func(ps []packet) map[int][]packet {
		m := map[int][]packet{}
		for _, p := range ps {
			m[p.stream] = append(m[p.stream], p)
		}
		return m
	}
	a, b := byStream(readPackets(t, in)), byStream(readPackets(t, out))
	if len(a) != len(b) {
		t.Fatalf("%d streams in %s, %d in %s", len(a), filepath.Base(in), len(b), filepath.Base(out))
	}
	for s := range a {
		if len(a[s]) != len(b[s]) {
			t.Fatalf("stream %d: %d packets in %s, %d in %s", s, len(a[s]), filepath.Base(in), len(b[s]), filepath.Base(out))
		}
		for i, p := range a[s] {
			q := b[s][i]
			off := func(x, y int64) float64 { return math.Abs(float64(x-y) * p.tick) }
			if p.size != q.size || p.md5 != q.md5 || off(p.dts, q.dts) > within || off(p.pts, q.pts) > within {
				t.Fatalf("stream %d packet %d: %+v in %s, %+v in %s", s, i, p, filepath.Base(in), q, filepath.Base(out))
			}
		}
	}
}

// decodedByStream is the MD5 of every decoded frame and audio block of path, by stream.
func decodedByStream(t *testing.T, path string) map[string][]string {
	t.Helper()
	m := map[string][]string{}
	for _, l := range frames(t, path) {
		stream, _, _ := strings.Cut(l, ",")
		m[stream] = append(m[stream], md5s([]string{l})[0])
	}
	return m
}

// checkDefragmented holds the one-pass master of a fragmented input to what a user asks:
// one ordinary MP4, index first, the recorded hash the file's, ffprobe silent, every
// frame decodable; every packet of the input with the same bytes and timestamps, the
// same decoded frames and samples, the same streams as ffmpeg's own remux (-c copy
// -movflags +faststart). But a track that starts late is delayed in the movie's time
// scale (milliseconds), by ffmpeg too: lateTrack says its start may move by half a
// millisecond (ffmpeg rounds down, by up to one).
func checkDefragmented(t *testing.T, input string, res Result, out string, lateTrack bool) {
	t.Helper()
	checkSizeAndHash(t, res, out)
	if !res.Relocated || !res.Index.Fragmented {
		t.Errorf("Result = %+v, want a relocated fragmented input", res)
	}
	if types := topLevel(t, out); !slices.Equal(types, []string{"ftyp", "moov", "mdat"}) {
		t.Errorf("master boxes %v, want ftyp moov mdat", types)
	}
	if idx, err := Inspect(out); err != nil || !idx.Faststart || idx.Fragmented {
		t.Errorf("Inspect(master) = %+v, %v: want an ordinary faststart file", idx, err)
	}
	_, stderr := tool(t, testmedia.FFmpeg, "-v", "error", "-xerror", "-i", out, "-map", "0", "-f", "null", "-")
	if strings.TrimSpace(stderr) != "" {
		t.Errorf("decoding the master: %s", stderr)
	}
	outStreams, warnings := streams(t, out)
	if warnings != "" {
		t.Errorf("ffprobe warns about the master: %s", warnings)
	}
	ff := ffmpegFaststart(t, input)
	if lateTrack {
		checkSamePackets(t, input, out, 0.0005)
		checkSamePackets(t, ff, out, 0.001)
		if a, b := decodedByStream(t, ff), decodedByStream(t, out); !reflect.DeepEqual(a, b) {
			t.Errorf("decoded frames differ from ffmpeg's remux")
		}
	} else {
		checkSamePackets(t, input, out, 0)
		checkSamePackets(t, ff, out, 0)
		outF := frames(t, out)
		if !slices.Equal(frames(t, input), outF) || !slices.Equal(frames(t, ff), outF) {
			t.Errorf("decoded frames or their timestamps differ from the input's or ffmpeg's remux's")
		}
	}
	// The streams are ffmpeg's, but for the length of the last audio block: ffmpeg
	// makes it a whole one; the master keeps the input's.
	ffStreams, _ := streams(t, ff)
	inStreams, _ := streams(t, input)
	if len(ffStreams) != len(outStreams) || len(inStreams) != len(outStreams) {
		t.Fatalf("%d streams in the input, %d in ffmpeg's master, %d in the one-pass one", len(inStreams), len(ffStreams), len(outStreams))
	}
	for i, s := range ffStreams {
		o := outStreams[i]
		if !lateTrack && o.DurationTS != inStreams[i].DurationTS {
			t.Errorf("stream %d lasts %d ticks, in the input %d", i, o.DurationTS, inStreams[i].DurationTS)
		}
		s.DurationTS = o.DurationTS
		if lateTrack {
			// ffmpeg moved the whole file's start to zero; the packets' timestamps,
			// relative to the file's start, are compared above.
			s.StartPTS = o.StartPTS
		}
		if !reflect.DeepEqual(s, o) {
			t.Errorf("stream %d: ffmpeg's %+v, the one-pass master's %+v", i, s, o)
		}
	}
}

func TestDefragmentsAFragmentedMP4(t *testing.T) {
	in := fragClip(t, "frag-moof.mp4", "+default_base_moof")
	idx, err := Inspect(in)
	if err != nil {
		t.Fatal(err)
	}
	if !idx.Fragmented || idx.Faststart || len(idx.Tracks) != 3 {
		t.Fatalf("Inspect = %+v: want a fragmented file with three tracks", idx)
	}
	if len(boxesAt(t, in, "moof")) < 3 {
		t.Fatal("the clip has fewer than three fragments: it tests little")
	}
	res, out := writeMaster(t, in)
	checkDefragmented(t, in, res, out, false)
	if len(boxesAt(t, out, "moov", "trak", "mdia", "minf", "stbl", "ctts")) != 1 {
		t.Error("the video's composition offsets (B-frames) were not kept as a ctts table")
	}
	// Each track run became one chunk: as many as the fragments, per track.
	frags := len(boxesAt(t, in, "moof"))
	for i, c := range chunkOffsets(t, out) {
		if len(c) != frags {
			t.Errorf("track %d: %d chunks for %d fragments", i, len(c), frags)
		}
	}
}

func TestDefragmentsFragmentsWithExplicitBaseOffsets(t *testing.T) {
	in := fragClip(t, "frag-base.mp4", "")
	res, out := writeMaster(t, in)
	checkDefragmented(t, in, res, out, false)
}

// A track whose first sample is decoded after time zero (audio that started after the
// first picture, as in a live recording) keeps its place: an empty edit delays it, as
// ffmpeg's remux writes.
func TestATrackStartingLateKeepsItsPlace(t *testing.T) {
	in := fragClip(t, "frag-moof.mp4", "+default_base_moof")
	late := filepath.Join(t.TempDir(), "late.mp4")
	// Empty the first fragment's audio track runs: the audio now starts at the second
	// fragment. (ffmpeg's edit lists, trimming the AAC priming, are made free boxes: a
	// track with both an edit list and a late start goes to ffmpeg.)
	data := dropFirstAudioRuns(t, bytes.ReplaceAll(mustRead(t, in), []byte("edts"), []byte("free")))
	if err := os.WriteFile(late, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, out := writeMaster(t, late)
	checkDefragmented(t, late, res, out, true)
	if n := len(boxesAt(t, out, "moov", "trak", "edts", "elst")); n < 2 {
		t.Errorf("%d edit lists: want the late audio tracks delayed by one", n)
	}
}

// dropFirstAudioRuns empties the audio track runs of the first fragment (sample count 0,
// their bytes left unreferenced in the mdat).
func dropFirstAudioRuns(t *testing.T, data []byte) []byte {
	t.Helper()
	d := bytes.Clone(data)
	moof := bytes.Index(d, []byte("moof")) - 4
	end := moof + int(binary.BigEndian.Uint32(d[moof:]))
	runs := 0
	for i := moof; i < end; {
		j := bytes.Index(d[i:end], []byte("trun"))
		if j < 0 {
			break
		}
		at := i + j + 8 // the run's sample count
		if runs > 0 {
			binary.BigEndian.PutUint32(d[at:], 0)
		}
		runs++
		i = at
	}
	if runs != 3 {
		t.Fatalf("the first fragment has %d track runs, want 3", runs)
	}
	return d
}

// A fragmented index whose media data pass 4 GB gets 64-bit chunk offsets: the clip's
// fragments as if a 4 GB box of media data came first (writing it would take a minute
// for nothing the index does not show).
func TestFragmentOffsetsPastFourGigabytesWiden(t *testing.T) {
	f, l := openLayout(t, fragClip(t, "frag-moof.mp4", "+default_base_moof"))
	ftyp := make([]byte, l.top[l.ftyp].size)
	f.ReadAt(ftyp, 0)
	const gap = 4 << 30
	original := map[*chunkTable][]uint64{}
	for _, tb := range l.chunk {
		original[tb] = slices.Clone(tb.entries)
		for i := range tb.entries {
			tb.entries[i] += gap
		}
		tb.max += gap
	}
	l.frag.bytes += gap
	r, err := relocateFragments(l, ftyp)
	if err != nil {
		t.Fatal(err)
	}
	if hdr := r.head[len(r.head)-16:]; binary.BigEndian.Uint32(hdr) != 1 || string(hdr[4:8]) != "mdat" ||
		binary.BigEndian.Uint64(hdr[8:]) != uint64(16+l.frag.bytes) {
		t.Errorf("the media data box header %x: want a 64-bit size", hdr)
	}
	boxes, err := mp4.ExtractBoxesWithPayload(bytes.NewReader(r.head), nil, []mp4.BoxPath{
		{mp4.BoxTypeMoov(), mp4.BoxTypeTrak(), mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl(), mp4.BoxTypeCo64()},
	})
	if err != nil || len(boxes) != len(l.chunk) {
		t.Fatalf("go-mp4 reads %d co64 tables in the new index (want %d): %v", len(boxes), len(l.chunk), err)
	}
	for i, b := range boxes {
		want := original[l.chunk[i]]
		for j := range want {
			want[j] += gap + uint64(r.delta)
		}
		if got := b.Payload.(*mp4.Co64).ChunkOffset; !slices.Equal(got, want) || slices.Max(got) <= math.MaxUint32 {
			t.Errorf("track %d: chunk offsets %v, want %v", i, got, want)
		}
	}
}

// Fragments that the one-pass path cannot describe in one index for certain go to ffmpeg.
func TestRefusesFragmentsItCannotDescribe(t *testing.T) {
	data := mustRead(t, fragClip(t, "frag-moof.mp4", "+default_base_moof"))
	moof := boxAt(t, data, "moof")
	trun := boxAt(t, data, "trun")
	second := bytes.Index(data[moof+8:], []byte("moof")) + moof + 8 - 4
	tfdt := boxAt(t, data[second:], "tfdt") + second // the second fragment's first
	cases := []struct {
		name, reason string
		data         []byte
	}{
		{"data offset before the media data", "outside the fragment's media data", withUint32(data, trun+16, 8)},
		{"sample sizes past the media data", "run past", withUint32(data, firstSampleSize(t, data, trun), 0x7fffffff)},
		{"sample count larger than the run", "do not fit", withUint32(data, trun+12, 0x00ffffff)},
		{"a track that goes back in time", "back in time", withUint32(data, tfdt+16, 0)},
		{"a fragment of an unknown track", "does not have", withUint32(data, boxAt(t, data, "tfhd")+12, 9)},
		{"a fragment with sample encryption", "in a track fragment", renamed(data, "tfdt", "senc")},
		{"a fragment without its media data", "not followed", withUint32(data[:second+8], second, 8)},
		{"a fragment index missing its defaults", "defaults", renamed(data, "trex", "free")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkNotEligible(t, c.data, c.reason) })
	}
}

// firstSampleSize is the offset of the first sample's size in the track run at trun.
func firstSampleSize(t *testing.T, data []byte, trun int) int {
	t.Helper()
	flags := binary.BigEndian.Uint32(data[trun+8:]) & 0xffffff
	if flags&trunSize == 0 {
		t.Fatal("the first track run gives no sample sizes")
	}
	at := trun + 16
	for _, bit := range []uint32{trunDataOffset, trunFirstSampleFlags, trunDuration} {
		if flags&bit != 0 {
			at += 4
		}
	}
	return at
}

// renamed changes the type of the first box of type from.
func renamed(data []byte, from, to string) []byte {
	d := bytes.Clone(data)
	i := bytes.Index(d, []byte(from))
	copy(d[i:], to)
	return d
}

// A fragmented file cut anywhere, or with any byte of its fragment headers changed, is
// read as a whole shorter file or refused as ErrNotEligible: never a panic, never
// another error. (A recording cut by a crash is one of these.)
func TestDamagedFragmentsAreRefusedOrRead(t *testing.T) {
	data := mustRead(t, fragClip(t, "frag-moof.mp4", "+default_base_moof"))
	path := filepath.Join(t.TempDir(), "damaged.mp4")
	try := func(d []byte, what string) {
		if err := os.WriteFile(path, d, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Inspect(path); err != nil && !errors.Is(err, ErrNotEligible) {
			t.Fatalf("%s: Inspect = %v, want nil or ErrNotEligible", what, err)
		}
	}
	for cut := 0; cut < len(data); cut += 997 {
		try(data[:cut], fmt.Sprintf("cut at %d", cut))
	}
	moof := boxAt(t, data, "moof")
	size := int(binary.BigEndian.Uint32(data[moof:]))
	for i := moof; i < moof+size; i++ {
		for _, v := range []byte{0, 0x80, 0xff} {
			d := bytes.Clone(data)
			d[i] = v
			try(d, fmt.Sprintf("byte %d set to %#x", i, v))
		}
	}
}

// A fragmented file's timecode track (ffmpeg writes its one sample in the first
// fragment) is kept with the rest: the master reads as the same timecode.
func TestDefragmentingKeepsTheTimecodeTrack(t *testing.T) {
	in := clips.Clip(t, "frag-tc.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"), testmedia.LavfiAudio("3"),
		testmedia.H264AAC(), []string{"-g", "25", "-timecode", "10:00:00:00", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4"})...)
	res, out := writeMaster(t, in)
	checkSizeAndHash(t, res, out)
	s, warnings := streams(t, out)
	if len(s) != 3 || s[2].CodecTag != "tmcd" || s[0].Tags.Timecode != "10:00:00:00" || s[2].NbFrames != "1" {
		t.Errorf("master streams %+v: want video, audio and a timecode track of 10:00:00:00", s)
	}
	// ffmpeg 5.1's ffprobe names a timecode track an unsupported codec, in the input too.
	if _, inWarnings := streams(t, in); warnings != inWarnings {
		t.Errorf("ffprobe warns about the master: %q (about the input: %q)", warnings, inWarnings)
	}
	checkSamePackets(t, in, out, 0)
	_, stderr := tool(t, testmedia.FFmpeg, "-v", "error", "-xerror", "-i", out, "-map", "0:v", "-map", "0:a", "-f", "null", "-")
	if strings.TrimSpace(stderr) != "" {
		t.Errorf("decoding the master: %s", stderr)
	}
}
