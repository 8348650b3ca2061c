package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// requireFFmpeg fails a test that needs the real tools when they are not
// installed (see testmedia.RequireFFmpeg: not a skip).
func requireFFmpeg(t *testing.T) {
	t.Helper()
	testmedia.RequireFFmpeg(t)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// makeClip runs ffmpeg with args and writes t.TempDir()/name; args name the inputs and
// codecs, the output path is appended.
func makeClip(t *testing.T, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	full := append([]string{"-hide_banner", "-nostdin", "-v", "error", "-y"}, args...)
	full = append(full, out)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, FFmpegPath, full...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", name, err, b)
	}
	return out
}

// lavfi returns the input arguments of a test picture and tone.
func lavfiVideo(size string, rate, seconds string) []string {
	return []string{"-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate + ":duration=" + seconds}
}

func lavfiAudio(seconds string) []string {
	return []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func mustProbe(t *testing.T, path string) *Info {
	t.Helper()
	info, err := Probe(testContext(t), path)
	if err != nil {
		t.Fatalf("Probe(%s): %v", filepath.Base(path), err)
	}
	return info
}

// buildMaster plans and builds a master into t.TempDir()/master.mp4.part, the way the
// archive calls it, and returns the plan and the output path.
func buildMaster(t *testing.T, input, tier, quality string) (Plan, string) {
	t.Helper()
	info := mustProbe(t, input)
	plan, err := PlanMaster(info, tier, quality)
	if err != nil {
		t.Fatalf("PlanMaster: %v", err)
	}
	out := filepath.Join(t.TempDir(), "master.mp4.part")
	if err := BuildMaster(testContext(t), input, out, info, plan, nil); err != nil {
		t.Fatalf("BuildMaster(%s): %v", plan.Mode, err)
	}
	return plan, out
}

// packetsMD5 hashes the packets of one stream exactly as stored (no decoding), so two
// files with the same bits in different containers hash the same.
func packetsMD5(t *testing.T, path, stream string) string {
	t.Helper()
	b, err := exec.Command(FFmpegPath, "-hide_banner", "-v", "error", "-i", path,
		"-map", stream, "-c", "copy", "-f", "md5", "-").Output()
	if err != nil {
		t.Fatalf("md5 of %s %s: %v", filepath.Base(path), stream, err)
	}
	return strings.TrimSpace(string(b))
}

// codecTag reads the MP4 sample entry name (avc1, hvc1, hev1...) of a stream.
func codecTag(t *testing.T, path string, index int) string {
	t.Helper()
	b, err := exec.Command(FFprobePath, "-v", "error", "-print_format", "json", "-show_streams", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var out struct {
		Streams []struct {
			Tag string `json:"codec_tag_string"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(b, &out); err != nil || index >= len(out.Streams) {
		t.Fatalf("ffprobe json: %v", err)
	}
	return out.Streams[index].Tag
}

// topLevelBoxes lists the MP4 boxes at the top of the file, in order.
func topLevelBoxes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var boxes []string
	var offset int64
	for {
		head := make([]byte, 16)
		if _, err := f.ReadAt(head[:8], offset); err == io.EOF {
			return boxes
		} else if err != nil {
			t.Fatal(err)
		}
		size := int64(binary.BigEndian.Uint32(head[:4]))
		if size == 1 { // 64-bit size follows the type
			if _, err := f.ReadAt(head[8:16], offset+8); err != nil {
				t.Fatal(err)
			}
			size = int64(binary.BigEndian.Uint64(head[8:16]))
		}
		boxes = append(boxes, string(head[4:8]))
		if size < 8 {
			return boxes
		}
		offset += size
	}
}

func indexOf(list []string, v string) int {
	for i, s := range list {
		if s == v {
			return i
		}
	}
	return -1
}

// assertFaststart checks the index (moov) comes before the media data, so a player can
// start without reading the whole file.
func assertFaststart(t *testing.T, path string) {
	t.Helper()
	boxes := topLevelBoxes(t, path)
	moov, mdat := indexOf(boxes, "moov"), indexOf(boxes, "mdat")
	if moov < 0 || mdat < 0 || moov > mdat {
		t.Errorf("master boxes %v: want moov before mdat", boxes)
	}
}

func isJPEG(b []byte) bool { return bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) }

func near(a, b, tolerance float64) bool { return a >= b-tolerance && a <= b+tolerance }

// averagePSNR decodes both files (honouring their range and colour tags) and returns the
// mean luma/chroma PSNR of a against b.
func averagePSNR(t *testing.T, a, b string) float64 {
	t.Helper()
	out, err := exec.Command(FFmpegPath, "-hide_banner", "-nostdin", "-i", a, "-i", b,
		"-lavfi", "[0:v]format=rgb24[x];[1:v]format=rgb24[y];[x][y]psnr", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("psnr: %v\n%s", err, out)
	}
	s := string(out)
	i := strings.LastIndex(s, "average:")
	if i < 0 {
		t.Fatalf("no PSNR in output:\n%s", s)
	}
	var v float64
	if _, err := fmt.Sscanf(s[i+len("average:"):], "%g", &v); err != nil {
		t.Fatalf("parse PSNR %q: %v", s[i:], err)
	}
	return v
}

// decodedAudioMD5 decodes one audio stream to raw signed 32-bit samples and hashes them:
// two files hold the same sound exactly when these match (24-bit samples sit in the top
// bits of each 32-bit word, whatever codec stored them).
func decodedAudioMD5(t *testing.T, path, stream string) string {
	t.Helper()
	b, err := exec.Command(FFmpegPath, "-hide_banner", "-v", "error", "-i", path,
		"-map", stream, "-acodec", "pcm_s32le", "-f", "md5", "-").Output()
	if err != nil {
		t.Fatalf("decoded md5 of %s %s: %v", filepath.Base(path), stream, err)
	}
	return strings.TrimSpace(string(b))
}

// decodesCleanly decodes every stream of the file with -xerror: any decoder error fails.
func decodesCleanly(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command(FFmpegPath, "-hide_banner", "-v", "error", "-xerror", "-i", path, "-map", "0:v?", "-map", "0:a?",
		"-f", "null", "-").CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("%s does not decode cleanly: %v\n%s", filepath.Base(path), err, out)
	}
}

// packetTimes lists a stream's packet presentation times in milliseconds, in decode order
// sorted by time, so two files' timing can be compared.
func packetTimes(t *testing.T, path, stream string) []int {
	t.Helper()
	b, err := exec.Command(FFprobePath, "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time",
		"-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("packet times of %s: %v", filepath.Base(path), err)
	}
	var times []int
	for _, l := range strings.Fields(string(b)) {
		var f float64
		if _, err := fmt.Sscanf(strings.TrimSuffix(l, ","), "%g", &f); err == nil {
			times = append(times, int(f*1000+0.5))
		}
	}
	slices.Sort(times)
	return times
}

// streamsOf returns the master's streams of one type.
func streamsOf(info *Info, typ string) []Stream {
	var out []Stream
	for _, s := range info.Streams {
		if s.Type == typ {
			out = append(out, s)
		}
	}
	return out
}

// decodedVideoMD5 hashes the decoded frames of the first video stream.
func decodedVideoMD5(t *testing.T, path string) string {
	t.Helper()
	b, err := exec.Command(FFmpegPath, "-hide_banner", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "md5", "-").Output()
	if err != nil {
		t.Fatalf("decoded md5 of %s: %v", filepath.Base(path), err)
	}
	return strings.TrimSpace(string(b))
}
