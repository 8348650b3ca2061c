package archive

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/media"
)

// waitPlaybackCopy polls until the asset's playback copy leaves "preparing".
func (e *testEnv) waitPlaybackCopy(id string) PlaybackCopy {
	e.t.Helper()
	var c PlaybackCopy
	if !testtime.Poll(time.Minute, func() bool {
		var err error
		if c, err = e.svc.PlaybackCopy(e.ctx(), id); err != nil {
			e.t.Fatalf("PlaybackCopy(%s): %v", id, err)
		}
		return c.State == PlaybackReady || c.State == PlaybackFailed
	}) {
		e.t.Fatalf("playback copy of %s not made within a minute: %+v", id, c)
	}
	return c
}

// waitPlaybackNotNeeded polls until the playback copy job has recorded that the asset's
// master plays as it is (the row it writes; PlaybackCopy shows that as no state at all).
func (e *testEnv) waitPlaybackNotNeeded(id string) {
	e.t.Helper()
	if !testtime.Poll(time.Minute, func() bool {
		var made int64
		err := e.svc.db.QueryRowContext(e.ctx(), `SELECT made_ns FROM asset_playback WHERE asset_id = ? AND state = ?`, id, PlaybackNotNeeded).Scan(&made)
		return err == nil
	}) {
		e.t.Fatalf("the playback copy job of %s did not settle on not_needed", id)
	}
}

// A ProRes 422 HQ 10-bit + 24-bit PCM source keeps its quality as an HEVC 4:2:2 10-bit /
// ALAC master, which browsers cannot play: a small H.264 + AAC copy is made after it for
// the window's player, the master stays as it was, and no Mux static rendition appears.
func TestPlaybackCopyOfAProResMaster(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	input := clip(t, "hq.mov", testmedia.Join(testmedia.LavfiVideo("320x180", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le", "-timecode", "10:00:00:00",
			"-c:a", "pcm_s24le", "-shortest"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.MasterVideoCodec != "hevc" || a.MasterAudioCodec != "alac" {
		t.Fatalf("master %s/%s, want the HEVC/ALAC a browser cannot play", a.MasterVideoCodec, a.MasterAudioCodec)
	}
	master := filepath.Join(env.dataDir, a.MasterFile)
	if c, _ := env.svc.PlaybackCopy(env.ctx(), a.ID); c.State == "" {
		t.Errorf("playback copy state %+v right after the master, want preparing (or done)", c)
	}
	c := env.waitPlaybackCopy(a.ID)
	if c.State != PlaybackReady || filepath.Ext(c.File) != ".mp4" {
		t.Fatalf("playback copy %+v, want a ready MP4", c)
	}
	info := mustProbe(t, c.File)
	if info.Video == nil || info.Video.Codec != "h264" || info.Video.PixFmt != "yuv420p" || info.Audio == nil || info.Audio.Codec != "aac" {
		t.Fatalf("copy streams %+v / %+v, want H.264 8-bit 4:2:0 + AAC", info.Video, info.Audio)
	}
	if !media.BrowserPlays(info) {
		t.Errorf("BrowserPlays says no to the copy made for browsers")
	}
	if info.Video.Width != 320 || info.Video.Height != 180 {
		t.Errorf("copy is %dx%d, want the master's 320x180 (never upscaled)", info.Video.Width, info.Video.Height)
	}
	if tc := info.Tags["timecode"] + info.Video.Timecode; tc == "" {
		for _, s := range info.Streams {
			tc += s.Timecode
		}
		if tc == "" {
			t.Errorf("copy lost the start timecode")
		}
	}
	if err := media.CheckDecodes(env.ctx(), c.File, time.Minute); err != nil {
		t.Errorf("copy does not decode with -xerror: %v", err)
	}
	if _, got := fileSHA256(t, master); got != a.MasterSHA256 {
		t.Errorf("master changed: sha256 %s, recorded %s", got, a.MasterSHA256)
	}
	after, err := env.svc.Get(env.ctx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.MasterFile != a.MasterFile || len(after.Renditions) != 0 {
		t.Errorf("master %q (was %q), static renditions %+v: want the master as it was and no rendition", after.MasterFile, a.MasterFile, after.Renditions)
	}

	// Recovery keeps the copy; deleting the asset removes it.
	if err := env.svc.Recover(env.ctx()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.File); err != nil {
		t.Errorf("recovery moved or removed the playback copy: %v", err)
	}
	if err := env.svc.Delete(env.ctx(), a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.File); !os.IsNotExist(err) {
		t.Errorf("playback copy still there after delete: %v", err)
	}
}

// A 24-bit WAV's master is ALAC: an AAC M4A copy is made, and the waveform stays.
func TestPlaybackCopyOfAnALACMaster(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	song := clip(t, "song24.wav", testmedia.Join(testmedia.LavfiAudio("1"), []string{"-c:a", "pcm_s24le"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: song})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.MasterAudioCodec != "alac" {
		t.Fatalf("master audio %s, want ALAC", a.MasterAudioCodec)
	}
	c := env.waitPlaybackCopy(a.ID)
	if c.State != PlaybackReady || filepath.Ext(c.File) != ".m4a" {
		t.Fatalf("playback copy %+v, want a ready M4A", c)
	}
	info := mustProbe(t, c.File)
	if info.Video != nil || info.Audio == nil || info.Audio.Codec != "aac" {
		t.Fatalf("copy streams %+v / %+v, want AAC only", info.Video, info.Audio)
	}
	if err := media.CheckDecodes(env.ctx(), c.File, time.Minute); err != nil {
		t.Errorf("copy does not decode with -xerror: %v", err)
	}
	env.waitPreviews(a.ID, func(p Previews) bool { return p.WaveformFile != "" })
}

// A master browsers play as it is gets no copy.
func TestNoPlaybackCopyOfAPlayableMaster(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	video := clip(t, "plays.mp4", testmedia.Join(testmedia.LavfiVideo("320x180", "25", "1"), testmedia.LavfiAudio("1"), testmedia.H264AAC())...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: video})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	env.waitPlaybackNotNeeded(a.ID) // the job runs after the master
	if c, err := env.svc.PlaybackCopy(env.ctx(), a.ID); err != nil || c != (PlaybackCopy{}) {
		t.Errorf("PlaybackCopy = %+v, %v; want none", c, err)
	}
	if names := dirNames(t, filepath.Join(env.dataDir, "thumbs")); indexOf(names, a.ID+".play.mp4") >= 0 {
		t.Errorf("thumbs/ = %v: a copy of a playable master", names)
	}
}

// A rebuild that swaps in a new master makes its playback copy again.
func TestPlaybackCopyAfterARebuild(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	input := clip(t, "big.mov", testmedia.Join(testmedia.LavfiVideo("2048x1152", "5", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"})...)
	env := newEnv(t)
	a := env.readyAt(input, "2160p")
	madeAt := func() int64 {
		var ns int64
		if err := env.svc.db.QueryRowContext(env.ctx(), `SELECT made_ns FROM asset_playback WHERE asset_id = ?`, a.ID).Scan(&ns); err != nil {
			t.Fatal(err)
		}
		return ns
	}
	if c := env.waitPlaybackCopy(a.ID); c.State != PlaybackReady {
		t.Fatalf("playback copy %+v, want ready", c)
	}
	before := madeAt()
	if info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile)); info.Video.Width != 2048 {
		t.Fatalf("master %dx%d, want the source's 2048x1152", info.Video.Width, info.Video.Height)
	}
	a = env.rebuild(a.ID, "1080p")
	if info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile)); info.Video.Width != 1920 {
		t.Fatalf("rebuilt master %dx%d, want 1920x1080", info.Video.Width, info.Video.Height)
	}
	if !testtime.Poll(time.Minute, func() bool {
		c, err := env.svc.PlaybackCopy(env.ctx(), a.ID)
		return err == nil && c.State == PlaybackReady && madeAt() > before
	}) {
		t.Fatal("the rebuilt master's playback copy was not made again")
	}
	c, _ := env.svc.PlaybackCopy(env.ctx(), a.ID)
	if info := mustProbe(t, c.File); info.Video == nil || info.Video.Height != media.PlaybackCopyShortSide {
		t.Errorf("copy %+v, want 720 lines", info.Video)
	}
}

// Masters made before playback copies existed get one from migration 023's backfill.
func TestPlaybackCopyBackfill(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	input := clip(t, "old.mov", testmedia.Join(testmedia.LavfiVideo("320x180", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"})...)
	plays := clip(t, "old.mp4", testmedia.Join(testmedia.LavfiVideo("320x180", "25", "1"), testmedia.LavfiAudio("1"), testmedia.H264AAC())...)
	env := newEnv(t)
	a := env.waitStatus(env.create(CreateParams{Input: input}).ID, StatusReady, time.Minute)
	b := env.waitStatus(env.create(CreateParams{Input: plays}).ID, StatusReady, time.Minute)
	c := env.waitPlaybackCopy(a.ID)
	// As a library from before: no copy, no row.
	env.waitPlaybackNotNeeded(b.ID)
	if _, err := env.svc.db.ExecContext(env.ctx(), `DELETE FROM asset_playback`); err != nil {
		t.Fatal(err)
	}
	os.Remove(c.File)
	backfill, err := os.ReadFile(filepath.Join("..", "store", "migrations", "023_asset_playback_backfill.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.db.ExecContext(env.ctx(), string(backfill)); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	env.svc.jobs.Wake(jobPlaybackCopy)
	if c := env.waitPlaybackCopy(a.ID); c.State != PlaybackReady {
		t.Fatalf("backfilled copy %+v, want ready", c)
	}
	if _, err := os.Stat(c.File); err != nil {
		t.Errorf("backfilled copy not on disk: %v", err)
	}
	if got, _ := env.svc.PlaybackCopy(env.ctx(), b.ID); got != (PlaybackCopy{}) {
		t.Errorf("the playable master got %+v from the backfill, want nothing", got)
	}
}
