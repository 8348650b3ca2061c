package faststart

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mp4 "github.com/abema/go-mp4"

	"reelvault/backend/internal/testmedia"
)

// tool runs a program within a minute and returns its stdout and stderr.
func tool(t *testing.T, name string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String(), stderr.String()
}

// openLayout parses the file at path.
func openLayout(t *testing.T, path string) (*os.File, *layout) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	l, err := readLayout(f)
	if err != nil {
		t.Fatal(err)
	}
	return f, l
}

// writeMaster runs Write on input into a fresh folder's master.mp4.part; the bytes it
// counts as it goes (WriteCounting, for a progress bar) end at the master's size.
func writeMaster(t *testing.T, input string) (Result, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "master.mp4.part")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var copied atomic.Int64
	res, err := WriteCounting(ctx, input, out, &copied)
	if err != nil {
		t.Fatalf("Write(%s): %v", filepath.Base(input), err)
	}
	if copied.Load() != res.Size {
		t.Errorf("Write(%s) counted %d bytes of a %d-byte master", filepath.Base(input), copied.Load(), res.Size)
	}
	return res, out
}

// ffmpegFaststart is what the app made before: ffmpeg's remux with +faststart.
func ffmpegFaststart(t *testing.T, input string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "ffmpeg.mp4")
	testmedia.Make(t, out, "-i", input, "-map", "0:v", "-map", "0:a", "-c", "copy", "-movflags", "+faststart", "-f", "mp4")
	return out
}

// frames is ffmpeg's framemd5 of every decoded video frame and audio block.
func frames(t *testing.T, path string) []string {
	t.Helper()
	out, _ := tool(t, testmedia.FFmpeg, "-v", "error", "-i", path, "-map", "0:v", "-map", "0:a", "-f", "framemd5", "-")
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("%s: no decoded frames", filepath.Base(path))
	}
	return lines
}

// md5s is the last column of framemd5 lines: the decoded content without timing.
func md5s(lines []string) []string {
	var out []string
	for _, l := range lines {
		f := strings.Split(l, ",")
		out = append(out, strings.TrimSpace(f[len(f)-1]))
	}
	return out
}

type probedStream struct {
	Index      int    `json:"index"`
	CodecType  string `json:"codec_type"`
	CodecName  string `json:"codec_name"`
	CodecTag   string `json:"codec_tag_string"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	SampleRate string `json:"sample_rate"`
	Channels   int    `json:"channels"`
	TimeBase   string `json:"time_base"`
	StartPTS   int64  `json:"start_pts"`
	DurationTS int64  `json:"duration_ts"`
	NbFrames   string `json:"nb_frames"`
	Tags       struct {
		Timecode string `json:"timecode"`
	} `json:"tags"`
}

// streams is ffprobe's view of path's streams, and the warnings it prints.
func streams(t *testing.T, path string) ([]probedStream, string) {
	t.Helper()
	out, stderr := tool(t, testmedia.FFprobe, "-v", "warning", "-show_streams", "-of", "json", path)
	var p struct{ Streams []probedStream }
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	return p.Streams, strings.TrimSpace(stderr)
}

// boxesAt returns the raw bytes of every box at path (e.g. moov/trak/edts/elst) in file.
func boxesAt(t *testing.T, file string, path ...string) [][]byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p mp4.BoxPath
	for _, s := range path {
		p = append(p, mp4.StrToBoxType(s))
	}
	bis, err := mp4.ExtractBox(f, nil, p)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, bi := range bis {
		b := make([]byte, bi.Size)
		if _, err := f.ReadAt(b, int64(bi.Offset)); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// chunkOffsets reads every track's chunk offsets with go-mp4, a parser independent of
// the one under test.
func chunkOffsets(t *testing.T, path string) [][]uint64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stbl := []mp4.BoxType{mp4.BoxTypeMoov(), mp4.BoxTypeTrak(), mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl()}
	traks, err := mp4.ExtractBox(f, nil, mp4.BoxPath{mp4.BoxTypeMoov(), mp4.BoxTypeTrak()})
	if err != nil {
		t.Fatal(err)
	}
	var all [][]uint64
	for _, trak := range traks {
		boxes, err := mp4.ExtractBoxesWithPayload(f, trak, []mp4.BoxPath{
			append(mp4.BoxPath{}, stbl[2], stbl[3], stbl[4], mp4.BoxTypeStco()),
			append(mp4.BoxPath{}, stbl[2], stbl[3], stbl[4], mp4.BoxTypeCo64()),
		})
		if err != nil || len(boxes) != 1 {
			t.Fatalf("%s: track at %d: %d chunk offset tables, %v", filepath.Base(path), trak.Offset, len(boxes), err)
		}
		var offs []uint64
		switch b := boxes[0].Payload.(type) {
		case *mp4.Stco:
			for _, o := range b.ChunkOffset {
				offs = append(offs, uint64(o))
			}
		case *mp4.Co64:
			offs = b.ChunkOffset
		}
		all = append(all, offs)
	}
	return all
}

// topLevel is the order of path's top-level box types, read with go-mp4.
func topLevel(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	boxes, err := mp4.ExtractBox(f, nil, mp4.BoxPath{mp4.BoxTypeAny()})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range boxes {
		types = append(types, b.Type.String())
	}
	return types
}

// checkSameChunks checks that each chunk offset of out points at the bytes the same
// chunk offset of in pointed at: every sample is where the index says.
func checkSameChunks(t *testing.T, in, out string) {
	t.Helper()
	a, b := chunkOffsets(t, in), chunkOffsets(t, out)
	if len(a) != len(b) {
		t.Fatalf("%d tracks in, %d out", len(a), len(b))
	}
	fi, _ := os.Open(in)
	defer fi.Close()
	fo, _ := os.Open(out)
	defer fo.Close()
	want, got := make([]byte, 64), make([]byte, 64)
	for tr := range a {
		if len(a[tr]) != len(b[tr]) {
			t.Fatalf("track %d: %d chunks in, %d out", tr, len(a[tr]), len(b[tr]))
		}
		for i := range a[tr] {
			n, _ := fi.ReadAt(want, int64(a[tr][i]))
			m, _ := fo.ReadAt(got, int64(b[tr][i]))
			n = min(n, m) // the last chunk may end the file
			if n == 0 || !bytes.Equal(want[:n], got[:n]) {
				t.Fatalf("track %d chunk %d: offset %d in the master does not hold the bytes of offset %d in the input", tr, i, b[tr][i], a[tr][i])
			}
		}
	}
}
