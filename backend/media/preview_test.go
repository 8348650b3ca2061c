package media

import (
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decodeFile(t *testing.T, path string, decode func(f *os.File) (image.Image, error)) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := decode(f)
	if err != nil {
		t.Fatalf("decoding %s: %v", filepath.Base(path), err)
	}
	return img
}

// tileDiff is the mean absolute luma difference between two tiles of a sprite.
func tileDiff(img image.Image, s Sprite, a, b int) float64 {
	var sum float64
	for y := 0; y < s.TileHeight; y++ {
		for x := 0; x < s.TileWidth; x++ {
			pa := img.At((a%s.Columns)*s.TileWidth+x, (a/s.Columns)*s.TileHeight+y)
			pb := img.At((b%s.Columns)*s.TileWidth+x, (b/s.Columns)*s.TileHeight+y)
			ra, ga, ba, _ := pa.RGBA()
			rb, gb, bb, _ := pb.RGBA()
			la, lb := (ra+ga+ba)/3, (rb+gb+bb)/3
			if la > lb {
				sum += float64(la - lb)
			} else {
				sum += float64(lb - la)
			}
		}
	}
	return sum / float64(s.TileWidth*s.TileHeight) / 257
}

func TestSpriteTilesTheVideoEvenly(t *testing.T) {
	requireFFmpeg(t)
	cases := []struct {
		name    string
		args    []string
		tiles   int
		longVid bool
	}{
		// testsrc2 moves every frame: tiles taken at different times differ.
		{"short clip, every frame decoded", join(lavfiVideo("640x360", "25", "4"), []string{"-c:v", "libx264", "-preset", "ultrafast"}), 20, false},
		{"phone clip held upright", join(lavfiVideo("640x360", "25", "2"), []string{"-c:v", "libx264", "-preset", "ultrafast", "-metadata:s:v:0", "rotate=90"}), 10, false},
		// Over two minutes only keyframes are decoded (one every 5 s here).
		{"long clip, keyframes only", join(lavfiVideo("320x180", "5", "130"), []string{"-c:v", "libx264", "-preset", "ultrafast", "-g", "25"}), SpriteMaxTiles, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := makeClip(t, "clip.mp4", tc.args...)
			out := filepath.Join(t.TempDir(), "sprite.jpg")
			s, err := MakeSprite(testContext(t), in, out, mustProbe(t, in))
			if err != nil {
				t.Fatal(err)
			}
			if s.Tiles != tc.tiles || s.Columns != min(SpriteColumns, tc.tiles) || s.Rows != (tc.tiles+s.Columns-1)/s.Columns {
				t.Fatalf("layout %+v, want %d tiles", s, tc.tiles)
			}
			img := decodeFile(t, out, func(f *os.File) (image.Image, error) { return jpeg.Decode(f) })
			if b := img.Bounds(); b.Dx() != s.Columns*SpriteTileWidth || b.Dy() != s.Rows*SpriteTileHeight {
				t.Fatalf("sheet %dx%d, want %dx%d", b.Dx(), b.Dy(), s.Columns*SpriteTileWidth, s.Rows*SpriteTileHeight)
			}
			if d := tileDiff(img, s, 0, s.Tiles-1); d < 2 {
				t.Errorf("first and last tiles alike (mean difference %.1f): not spread through the video", d)
			}
			if tc.longVid && s.Interval < 2.5 {
				t.Errorf("interval %.2f s for 130 s in %d tiles", s.Interval, s.Tiles)
			}
		})
	}
}

func TestSpriteRefusesAudio(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "tone.m4a", join(lavfiAudio("1"), []string{"-c:a", "aac"})...)
	_, err := MakeSprite(testContext(t), in, filepath.Join(t.TempDir(), "s.jpg"), mustProbe(t, in))
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnsupported {
		t.Fatalf("err = %v, want an unsupported *Error", err)
	}
}

// inkColumns counts the picture's columns with drawn (non-transparent, non-black) pixels.
func inkColumns(img image.Image) int {
	b := img.Bounds()
	n := 0
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a > 0 && r+g+bl > 3*0x2000 {
				n++
				break
			}
		}
	}
	return n
}

func TestWaveformDrawsTheSound(t *testing.T) {
	requireFFmpeg(t)
	tone := makeClip(t, "tone.wav", join(lavfiAudio("3"), []string{"-c:a", "pcm_s24le"})...)
	silence := makeClip(t, "silence.m4a", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo:d=3", "-c:a", "aac")
	for _, tc := range []struct {
		name     string
		in       string
		loudMost bool
	}{{"a tone", tone, true}, {"silence", silence, false}} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "wave.png")
			if err := MakeWaveform(testContext(t), tc.in, out, mustProbe(t, tc.in)); err != nil {
				t.Fatal(err)
			}
			img := decodeFile(t, out, func(f *os.File) (image.Image, error) { return png.Decode(f) })
			if b := img.Bounds(); b.Dx() != WaveformWidth || b.Dy() != WaveformHeight {
				t.Fatalf("waveform %dx%d, want %dx%d", b.Dx(), b.Dy(), WaveformWidth, WaveformHeight)
			}
			ink := inkColumns(img)
			if tc.loudMost && ink < WaveformWidth*9/10 {
				t.Errorf("a 3 s tone drew %d of %d columns", ink, WaveformWidth)
			}
			if !tc.loudMost && ink > WaveformWidth/10 {
				t.Errorf("silence drew %d of %d columns", ink, WaveformWidth)
			}
		})
	}
}

func TestPreviewsStopWithTheirContext(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "clip.mp4", join(lavfiVideo("320x180", "25", "2"), lavfiAudio("2"), []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"})...)
	info := mustProbe(t, in)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MakeSprite(ctx, in, filepath.Join(t.TempDir(), "s.jpg"), info); !errors.Is(err, context.Canceled) {
		t.Errorf("sprite with a cancelled context: %v, want context.Canceled", err)
	}
	if err := MakeWaveform(ctx, in, filepath.Join(t.TempDir(), "w.png"), info); !errors.Is(err, context.Canceled) {
		t.Errorf("waveform with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestCapturedAtFromTheContainer(t *testing.T) {
	for _, tc := range []struct {
		tags map[string]string
		want string
	}{
		{map[string]string{"creation_time": "2024-05-06T07:08:09.000000Z"}, "2024-05-06T07:08:09Z"},
		// Apple's tag keeps the camera's zone; it wins over the header's.
		{map[string]string{"com.apple.quicktime.creationdate": "2024-05-06T09:08:09+0200", "creation_time": "2024-05-06T07:08:10Z"}, "2024-05-06T07:08:09Z"},
		{map[string]string{"creation_time": "1970-01-01T00:00:00.000000Z"}, ""}, // a zeroed header
		{map[string]string{"creation_time": "1904-01-01T00:00:00Z"}, ""},
		{map[string]string{"creation_time": "2999-01-01T00:00:00Z"}, ""},
		{map[string]string{"creation_time": "yesterday"}, ""},
		{nil, ""},
	} {
		if got := capturedAt(tc.tags); got != tc.want {
			t.Errorf("capturedAt(%v) = %q, want %q", tc.tags, got, tc.want)
		}
	}
}

func TestDescribeReadsTheRecordingDate(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "dated.mov", join(lavfiVideo("320x180", "25", "1"), []string{"-c:v", "libx264", "-preset", "ultrafast",
		"-metadata", "creation_time=2023-11-02T08:30:00Z"})...)
	described := Describe(mustProbe(t, in))
	if got := described.CapturedAt; got != "2023-11-02T08:30:00Z" {
		t.Errorf("CapturedAt = %q, want the clip's creation_time", got)
	}
	st, err := os.Stat(in)
	if err != nil {
		t.Fatal(err)
	}
	if described.Size != st.Size() {
		t.Errorf("Size = %d, want the file's %d bytes", described.Size, st.Size())
	}
}

func TestDescribeReadsReelAndCamera(t *testing.T) {
	requireFFmpeg(t)
	// ffmpeg's MOV muxer writes the video stream's reel_name into the timecode track it
	// makes for -timecode; use_metadata_tags keeps Apple's keys as they are spelt.
	mov := makeClip(t, "reel.mov", join(lavfiVideo("320x180", "25", "1"), []string{"-c:v", "libx264", "-preset", "ultrafast",
		"-timecode", "01:00:00:00", "-metadata:s:v:0", "reel_name=A001",
		"-metadata", "com.apple.quicktime.make=Blackmagic Design", "-metadata", "com.apple.quicktime.model=Pocket Cinema Camera 6K",
		"-movflags", "use_metadata_tags"})...)
	d := Describe(mustProbe(t, mov))
	if d.Reel != "A001" || d.CameraMake != "Blackmagic Design" || d.CameraModel != "Pocket Cinema Camera 6K" {
		t.Errorf("MOV: reel %q, camera %q %q; want A001, Blackmagic Design Pocket Cinema Camera 6K", d.Reel, d.CameraMake, d.CameraModel)
	}
	// A phone-style MP4 names the camera with the plain make/model keys.
	mp4 := makeClip(t, "phone.mp4", join(lavfiVideo("320x180", "25", "1"), []string{"-c:v", "libx264", "-preset", "ultrafast",
		"-metadata", "make=Sony", "-metadata", "model=FX3", "-movflags", "use_metadata_tags"})...)
	d = Describe(mustProbe(t, mp4))
	if d.Reel != "" || d.CameraMake != "Sony" || d.CameraModel != "FX3" {
		t.Errorf("MP4: reel %q, camera %q %q; want none, Sony FX3", d.Reel, d.CameraMake, d.CameraModel)
	}
}

func TestTagTextRefusesWhatNoCameraWrites(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  A001 ", "A001"},
		{"bad\x00name", ""},
		{"line\nbreak", ""},
		{strings.Repeat("x", maxTagText+1), ""},
	} {
		if got := tagText(map[string]string{"reel_name": tc.in}, "reel_name"); got != tc.want {
			t.Errorf("tagText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An MP4 and a MOV share ffprobe's format name ("mov,mp4,m4a,3gp,3g2,mj2"): the window
// showed "MOV" for every MP4. The brand tells them apart; a phone's turn is kept too.
func TestDescribeNamesTheContainerAndTheTurn(t *testing.T) {
	requireFFmpeg(t)
	args := join(lavfiVideo("320x180", "25", "1"), []string{"-c:v", "libx264", "-preset", "ultrafast"})
	for name, want := range map[string]string{"clip.mp4": "MP4", "clip.mov": "MOV", "clip.mxf": "MXF", "clip.ts": "MPEG-TS"} {
		if got := Describe(mustProbe(t, makeClip(t, name, args...))).Container; got != want {
			t.Errorf("%s: Container = %q, want %q", name, got, want)
		}
	}
	// As a phone writes it: a QuickTime file whose display matrix turns the picture.
	pixels := makeClip(t, "pixels.mov", args...)
	phone := Describe(mustProbe(t, makeClip(t, "IMG_0042.mov", "-i", pixels, "-c", "copy", "-metadata:s:v:0", "rotate=90")))
	if phone.Container != "MOV" || len(phone.Tracks) == 0 || phone.Tracks[0].Type != "video" ||
		(phone.Tracks[0].Rotation != 90 && phone.Tracks[0].Rotation != 270) {
		t.Errorf("phone clip: container %q, tracks %+v; want MOV with its video turned a quarter", phone.Container, phone.Tracks)
	}
	if w, h := phone.Tracks[0].Width, phone.Tracks[0].Height; w != 320 || h != 180 {
		t.Errorf("phone clip: stored picture %d×%d, want 320×180 (the turn is a separate fact)", w, h)
	}
}

func TestContainerNameReadsTheBrand(t *testing.T) {
	mov := "mov,mp4,m4a,3gp,3g2,mj2"
	for _, tc := range []struct {
		format, brand, want string
	}{
		{mov, "qt  ", "MOV"},
		{mov, "", "MOV"},
		{mov, "isom", "MP4"},
		{mov, "XAVC", "MP4"},
		{mov, "M4A ", "M4A"},
		{mov, "3gp4", "3GP"},
		{"matroska,webm", "", "Matroska / WebM"},
		{"mxf", "", "MXF"},
		{"nut", "", "NUT"},
	} {
		info := &Info{FormatName: tc.format, Tags: map[string]string{"major_brand": tc.brand}}
		if got := containerName(info); got != tc.want {
			t.Errorf("containerName(%s, brand %q) = %q, want %q", tc.format, tc.brand, got, tc.want)
		}
	}
}
