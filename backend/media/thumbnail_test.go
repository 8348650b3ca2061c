package media

import (
	"bytes"
	"errors"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

func TestThumbnailIsASmallUprightJPEG(t *testing.T) {
	requireFFmpeg(t)
	landscape := makeClip(t, "clip.mp4", join(lavfiVideo("640x360", "25", "3"), []string{"-c:v", "libx264", "-preset", "ultrafast"})...)
	phone := makeClip(t, "phone.mp4", "-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90")
	// Anamorphic HDV: 1440×1080 stored, pixels 4:3 wide, played 16:9. Browsers ignore a JPEG's
	// pixel aspect, so a thumbnail kept at 4:3 showed the picture squeezed.
	hdv := makeClip(t, "hdv.mp4", join(lavfiVideo("1440x1080", "25", "3"), []string{"-vf", "setsar=4/3", "-c:v", "libx264", "-preset", "ultrafast"})...)
	cases := []struct {
		name          string
		input         string
		width, height int
	}{
		{"landscape", landscape, 320, 180},
		{"phone held upright", phone, 320, 568},
		{"anamorphic", hdv, 320, 180},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "thumb.jpg")
			if err := Thumbnail(testContext(t), tc.input, out, mustProbe(t, tc.input)); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !isJPEG(b) {
				t.Fatalf("thumbnail starts % x, want a JPEG", b[:min(4, len(b))])
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tc.width || cfg.Height != tc.height {
				t.Errorf("thumbnail %dx%d, want %dx%d", cfg.Width, cfg.Height, tc.width, tc.height)
			}
		})
	}
}

func TestThumbnailOfMusicUsesItsCoverArt(t *testing.T) {
	requireFFmpeg(t)
	cover := makeClip(t, "cover.png", "-f", "lavfi", "-i", "testsrc2=size=400x400", "-frames:v", "1")
	song := makeClip(t, "song.mp3", join(lavfiAudio("2"), []string{"-i", cover,
		"-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "png", "-disposition:v", "attached_pic"})...)
	out := filepath.Join(t.TempDir(), "thumb.jpg")
	if err := Thumbnail(testContext(t), song, out, mustProbe(t, song)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, err := jpeg.DecodeConfig(f); err != nil || cfg.Width != 320 || cfg.Height != 320 {
		t.Fatalf("cover thumbnail %+v, %v; want a 320x320 JPEG", cfg, err)
	}
}

func TestThumbnailOfAudioOnlyIsAnError(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "voice.m4a", join(lavfiAudio("1"), []string{"-c:a", "aac"})...)
	err := Thumbnail(testContext(t), in, filepath.Join(t.TempDir(), "t.jpg"), mustProbe(t, in))
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindUnsupported {
		t.Fatalf("Thumbnail(audio) = %v, want unsupported", err)
	}
}

func TestThumbnailTime(t *testing.T) {
	for _, tc := range []struct{ duration, want float64 }{{0, 0}, {0.5, 0.25}, {4, 1}, {100, 10}} {
		if got := thumbnailTime(tc.duration); got != tc.want {
			t.Errorf("thumbnailTime(%v) = %v, want %v", tc.duration, got, tc.want)
		}
	}
}

func TestPlaysAsWidensNonSquarePixels(t *testing.T) {
	requireFFmpeg(t)
	hdv := makeClip(t, "hdv.mp4", join(lavfiVideo("1440x1080", "25", "1"), []string{"-vf", "setsar=4/3", "-c:v", "libx264", "-preset", "ultrafast"})...)
	v := mustProbe(t, hdv).Video
	if v.PixelAspect != [2]int{4, 3} {
		t.Fatalf("PixelAspect %v, want 4:3", v.PixelAspect)
	}
	if w, h := v.PlaysAs(); w != 1920 || h != 1080 {
		t.Errorf("PlaysAs %d×%d, want 1920×1080", w, h)
	}
	if d := Describe(mustProbe(t, hdv)); len(d.Tracks) == 0 || d.Tracks[0].PixelAspect != "4:3" {
		t.Errorf("described tracks %+v, want the video's pixel aspect 4:3", d.Tracks)
	}
	for _, tc := range []struct {
		in   string
		want [2]int
	}{{"1:1", [2]int{}}, {"0:1", [2]int{}}, {"", [2]int{}}, {"16:15", [2]int{16, 15}}, {"100:1", [2]int{}}, {"-4:3", [2]int{}}} {
		if got := pixelAspect(tc.in); got != tc.want {
			t.Errorf("pixelAspect(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
