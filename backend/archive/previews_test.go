package archive

import (
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/media"
)

// waitPreviews polls until the previews job has recorded its result for id.
func (e *testEnv) waitPreviews(id string, done func(Previews) bool) Previews {
	e.t.Helper()
	var p Previews
	if !testtime.Poll(time.Minute, func() bool {
		var err error
		p, err = e.svc.Previews(e.ctx(), id)
		if err != nil {
			e.t.Fatalf("Previews(%s): %v", id, err)
		}
		return done(p)
	}) {
		e.t.Fatalf("previews of %s not made within a minute: %+v", id, p)
	}
	return p
}

func TestPreviewsAfterTheMaster(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	env := newEnv(t)
	video := clip(t, "skim.mp4", testmedia.Join(testmedia.LavfiVideo("640x360", "25", "3"), testmedia.LavfiAudio("3"), testmedia.H264AAC())...)
	song := clip(t, "song.wav", testmedia.Join(testmedia.LavfiAudio("3"), []string{"-c:a", "pcm_s16le"})...)

	t.Run("a video gets a sprite to skim, no waveform", func(t *testing.T) {
		a := env.create(CreateParams{Input: video})
		env.waitStatus(a.ID, StatusReady, time.Minute)
		p := env.waitPreviews(a.ID, func(p Previews) bool { return p.Sprite != nil })
		if want := media.SpriteLayout(3); *p.Sprite != want {
			t.Errorf("layout %+v, want %+v", *p.Sprite, want)
		}
		if p.WaveformFile != "" {
			t.Errorf("a video got a waveform: %s", p.WaveformFile)
		}
		f, err := os.Open(p.SpriteFile)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != p.Sprite.Columns*p.Sprite.TileWidth || cfg.Height != p.Sprite.Rows*p.Sprite.TileHeight {
			t.Fatalf("sprite %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, p.Sprite.Columns*p.Sprite.TileWidth, p.Sprite.Rows*p.Sprite.TileHeight)
		}

		// Deleting the asset deletes its previews; the start-up sweep finds nothing to quarantine.
		if err := env.svc.Delete(env.ctx(), a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.SpriteFile); !os.IsNotExist(err) {
			t.Errorf("sprite still there after delete: %v", err)
		}
	})

	t.Run("audio only gets a waveform", func(t *testing.T) {
		a := env.create(CreateParams{Input: song})
		env.waitStatus(a.ID, StatusReady, time.Minute)
		p := env.waitPreviews(a.ID, func(p Previews) bool { return p.WaveformFile != "" })
		if p.Sprite != nil {
			t.Errorf("audio got a sprite: %+v", p.Sprite)
		}
		f, err := os.Open(p.WaveformFile)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != media.WaveformWidth || cfg.Height != media.WaveformHeight {
			t.Fatalf("waveform %dx%d (%v)", cfg.Width, cfg.Height, err)
		}
	})

	t.Run("recovery keeps preview files (named after their asset, never taken for part files)", func(t *testing.T) {
		a := env.create(CreateParams{Input: video})
		env.waitStatus(a.ID, StatusReady, time.Minute)
		p := env.waitPreviews(a.ID, func(p Previews) bool { return p.Sprite != nil })
		if err := env.svc.Recover(env.ctx()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.SpriteFile); err != nil {
			t.Errorf("recovery moved or removed the sprite: %v", err)
		}
		if names := dirNames(t, filepath.Join(env.dataDir, "thumbs")); indexOf(names, a.ID+".sprite.jpg") < 0 {
			t.Errorf("thumbs/ = %v, want the sprite", names)
		}
	})
}
