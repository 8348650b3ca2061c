package archive

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/media/faststart"
)

// An MP4 whose index is at the end and whose streams are all kept as they are becomes
// its master in one pass: the master is byte for byte what media/faststart makes of the
// input (the index moved to the front, nothing re-muxed), and its recorded hash is the
// file's.
func TestRemuxWithTheIndexAtTheEndIsOnePass(t *testing.T) {
	input := clip(t, "onepass.mp4", testmedia.Join(testmedia.LavfiVideo("640x360", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())...)
	idx, err := faststart.Inspect(input)
	if err != nil || idx.Faststart {
		t.Fatalf("Inspect(input) = %+v, %v: the test needs an eligible input with its index at the end", idx, err)
	}
	want := filepath.Join(t.TempDir(), "relocated.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	relocated, err := faststart.Write(ctx, input, want)
	if err != nil {
		t.Fatal(err)
	}

	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.MasterMode != "remux" || a.MasterVideoCodec != "h264" || a.MasterAudioCodec != "aac" {
		t.Errorf("master %q %s/%s, want a remux of h264/aac", a.MasterMode, a.MasterVideoCodec, a.MasterAudioCodec)
	}
	master := filepath.Join(env.dataDir, a.MasterFile)
	size, sum := fileSHA256(t, master)
	if size != a.MasterSize || sum != a.MasterSHA256 {
		t.Errorf("recorded %d bytes %s; the file has %d bytes %s", a.MasterSize, a.MasterSHA256, size, sum)
	}
	if sum != relocated.SHA256 || size != idx.Size {
		t.Errorf("master %d bytes %s; the one-pass remux of the input is %d bytes %s", size, sum, relocated.Size, relocated.SHA256)
	}
	if in, out := streamMD5(t, input, "0:v:0"), streamMD5(t, master, "0:v:0"); in != out {
		t.Errorf("master video differs from the input's")
	}
	if names := dirNames(t, filepath.Dir(master)); len(names) != 1 {
		t.Errorf("masters folder holds %v, want only the master", names)
	}
}

// A QuickTime movie would stay one if its index were moved: ffmpeg makes its master, an
// MP4, as before.
func TestRemuxOfAMovieStillGoesThroughFFmpeg(t *testing.T) {
	input := clip(t, "onepass.mov", testmedia.Join(testmedia.LavfiVideo("640x360", "25", "1"), testmedia.LavfiAudio("1"), testmedia.H264AAC(), []string{"-f", "mov"})...)
	if idx, err := faststart.Inspect(input); err != nil || idx.MajorBrand != "qt  " {
		t.Fatalf("Inspect(input) = %+v, %v: the test needs a QuickTime movie", idx, err)
	}
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	idx, err := faststart.Inspect(filepath.Join(env.dataDir, a.MasterFile))
	if err != nil || !idx.Faststart || idx.MajorBrand == "qt  " {
		t.Errorf("master index %+v, %v: want an MP4 with its index first", idx, err)
	}
}
