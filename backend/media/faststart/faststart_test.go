package faststart

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"reelvault/backend/internal/testmedia"
)

// checkMaster holds the one-pass master of input to what a user (and the issue) asks:
// the index first, the recorded hash the file's, ffprobe silent, every frame decodable,
// the same decoded frames as the input and as ffmpeg's own remux, every track kept.
func checkMaster(t *testing.T, input string, res Result, out string) {
	t.Helper()
	checkSizeAndHash(t, res, out)
	types := topLevel(t, out)
	if m, d := slices.Index(types, "moov"), slices.Index(types, "mdat"); m < 0 || d < 0 || m > d {
		t.Errorf("top-level boxes %v: want moov before mdat", types)
	}
	if types[0] != "ftyp" {
		t.Errorf("top-level boxes %v: want ftyp first", types)
	}
	if idx, err := Inspect(out); err != nil || !idx.Faststart {
		t.Errorf("Inspect(master) = %+v, %v: want a faststart file", idx, err)
	}
	// Every chunk offset points at the input's bytes for that chunk.
	checkSameChunks(t, input, out)
	// ffmpeg decodes every frame of every track without an error.
	_, stderr := tool(t, testmedia.FFmpeg, "-v", "error", "-xerror", "-i", out, "-map", "0:v", "-map", "0:a", "-f", "null", "-")
	if strings.TrimSpace(stderr) != "" {
		t.Errorf("decoding the master: %s", stderr)
	}
	// The same streams as the input, all of them (timecode and second audio included),
	// and ffprobe has nothing to say about the master it did not say about the input
	// (ffmpeg 5.1's ffprobe names a MOV's timecode track an unsupported codec).
	inStreams, inWarnings := streams(t, input)
	outStreams, outWarnings := streams(t, out)
	if !reflect.DeepEqual(inStreams, outStreams) {
		t.Errorf("streams differ:\n input  %+v\n master %+v", inStreams, outStreams)
	}
	if outWarnings != inWarnings {
		t.Errorf("ffprobe warns about the master:\n%s\n(about the input: %q)", outWarnings, inWarnings)
	}
	// Every box but the chunk offset tables is kept byte for byte: track headers, edit
	// lists, sample descriptions and tables, metadata.
	for _, path := range [][]string{{"moov", "mvhd"}, {"moov", "udta"}, {"moov", "trak", "tkhd"}, {"moov", "trak", "edts"},
		{"moov", "trak", "mdia", "mdhd"}, {"moov", "trak", "mdia", "hdlr"}, {"moov", "trak", "mdia", "minf", "stbl", "stsd"},
		{"moov", "trak", "mdia", "minf", "stbl", "stts"}, {"moov", "trak", "mdia", "minf", "stbl", "stsz"},
		{"moov", "trak", "mdia", "minf", "stbl", "stsc"}, {"moov", "trak", "mdia", "minf", "stbl", "ctts"}} {
		if a, b := boxesAt(t, input, path...), boxesAt(t, out, path...); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %d boxes in the input, %d in the master, or their bytes differ", strings.Join(path, "/"), len(a), len(b))
		}
	}
	// The same decoded frames and audio samples, with the same timestamps, as the input.
	inFrames, outFrames := frames(t, input), frames(t, out)
	if !slices.Equal(inFrames, outFrames) {
		t.Errorf("decoded frames differ from the input's (%d vs %d lines)", len(inFrames), len(outFrames))
	}
	// And the same decoded content as ffmpeg's remux + faststart of the same input.
	ff := ffmpegFaststart(t, input)
	if !slices.Equal(md5s(frames(t, ff)), md5s(outFrames)) {
		t.Errorf("decoded frames differ from ffmpeg -c copy -movflags +faststart's")
	}
	ffStreams, _ := streams(t, ff)
	for i, s := range ffStreams {
		o := outStreams[i]
		if s.CodecType != o.CodecType || s.CodecName != o.CodecName || s.Width != o.Width || s.Height != o.Height ||
			s.SampleRate != o.SampleRate || s.Channels != o.Channels || s.NbFrames != o.NbFrames {
			t.Errorf("stream %d: ffmpeg's %+v, the one-pass master's %+v", i, s, o)
		}
	}
}

// checkSizeAndHash checks that Write's Result tells the size and SHA-256 of out.
func checkSizeAndHash(t *testing.T, res Result, out string) {
	t.Helper()
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Size != st.Size() {
		t.Errorf("Result.Size = %d, the file has %d bytes", res.Size, st.Size())
	}
	if sum := testmedia.FileSHA256(t, out); res.SHA256 != sum {
		t.Errorf("Result.SHA256 = %s, sha256 of the file = %s", res.SHA256, sum)
	}
}

func TestRelocatesTheIndexOfAnH264AACFile(t *testing.T) {
	in := plainClip(t)
	before, err := Inspect(in)
	if err != nil {
		t.Fatal(err)
	}
	if before.Faststart {
		t.Fatal("the test clip already has its index first: it tests nothing")
	}
	res, out := writeMaster(t, in)
	if !res.Relocated || res.Cloned {
		t.Errorf("Result = %+v, want Relocated", res)
	}
	if before.MajorBrand != "isom" {
		t.Errorf("MajorBrand = %q, want ffmpeg's isom", before.MajorBrand)
	}
	if res.Size != before.Size {
		t.Errorf("master is %d bytes, input %d: a relocation of 32-bit offsets keeps the size", res.Size, before.Size)
	}
	checkMaster(t, in, res, out)
}

func TestKeepsEveryTrackTimecodeAndSecondAudio(t *testing.T) {
	in := tracksClip(t)
	res, out := writeMaster(t, in)
	var handlers []string
	for _, tr := range res.Index.Tracks {
		handlers = append(handlers, tr.Handler+":"+strings.Join(tr.SampleEntries, ","))
	}
	if want := []string{"vide:avc1", "soun:mp4a", "soun:mp4a", "tmcd:tmcd"}; !slices.Equal(handlers, want) {
		t.Errorf("tracks %v, want %v", handlers, want)
	}
	checkMaster(t, in, res, out)
	s, _ := streams(t, out)
	if len(s) != 4 || s[0].Tags.Timecode != "10:00:00:00" {
		t.Errorf("master streams %+v: want 4 with the video's timecode 10:00:00:00", s)
	}
}

func TestKeepsEditLists(t *testing.T) {
	in := editClip(t)
	elst := boxesAt(t, in, "moov", "trak", "edts", "elst")
	if len(elst) != 2 {
		t.Fatalf("the cut clip has %d edit lists, want one per track", len(elst))
	}
	res, out := writeMaster(t, in)
	checkMaster(t, in, res, out) // edit lists byte for byte, frames and timestamps as the input's
	if got := boxesAt(t, out, "moov", "trak", "edts", "elst"); !reflect.DeepEqual(got, elst) {
		t.Errorf("edit lists changed")
	}
}

func TestRelocatesAQuickTimeMovie(t *testing.T) {
	in := movClip(t)
	types := topLevel(t, in)
	if !slices.Equal(types, []string{"ftyp", "wide", "mdat", "moov"}) {
		t.Fatalf("the MOV's boxes are %v; the test expects ffmpeg's ftyp, wide, mdat, moov", types)
	}
	res, out := writeMaster(t, in)
	if res.Index.MajorBrand != "qt  " {
		t.Errorf("MajorBrand = %q, want QuickTime's", res.Index.MajorBrand)
	}
	if got := topLevel(t, out); !slices.Equal(got, []string{"ftyp", "moov", "wide", "mdat"}) {
		t.Errorf("master boxes %v, want ftyp moov wide mdat", got)
	}
	checkMaster(t, in, res, out)
}

// A file with 64-bit chunk offsets (co64, as in any file over 4 GB) keeps them and
// moves them like 32-bit ones. The input is the plain clip with its tables widened by
// the package's own encoder, which leaves the data where it was (the index is last).
func TestRelocates64BitChunkOffsets(t *testing.T) {
	in := co64Clip(t, plainClip(t))
	if !slices.Contains(topLevel(t, in), "moov") || !strings.Contains(string(mustRead(t, in)), "co64") {
		t.Fatal("the widened clip has no co64 table")
	}
	res, out := writeMaster(t, in)
	checkMaster(t, in, res, out)
	if !strings.Contains(string(mustRead(t, out)[:res.Index.IndexSize+64]), "co64") {
		t.Error("the master's index lost its co64 tables")
	}
}

// co64Clip writes a copy of in (index last) whose stco tables are co64 ones.
func co64Clip(t *testing.T, in string) string {
	t.Helper()
	_, l := openLayout(t, in)
	for _, tb := range l.chunk {
		tb.wide = true
	}
	moov := l.top[l.moov]
	if moov.end() != l.index.Size {
		t.Fatal("the clip's index is not last")
	}
	data := mustRead(t, in)[:moov.start]
	data = l.tree.encode(data, 0)
	out := filepath.Join(t.TempDir(), "co64.mp4")
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCopiesAFaststartFileAsItIs(t *testing.T) {
	in := faststartClip(t)
	res, out := writeMaster(t, in)
	if res.Relocated || !res.Index.Faststart {
		t.Errorf("Result = %+v, want a plain copy", res)
	}
	if want := testmedia.FileSHA256(t, in); res.SHA256 != want || testmedia.FileSHA256(t, out) != want {
		t.Errorf("hash %s; the input's is %s: a faststart file is copied byte for byte", res.SHA256, want)
	}
	checkMaster(t, in, res, out)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
