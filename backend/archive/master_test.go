package archive

import (
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fmt"
	"reelvault/backend/internal/testmedia"
)

// A 1080p H.264/AAC file is remuxed: the master holds the same video bits,
// with the index up front, and the user's file is left exactly as it was.
func TestRemuxKeepsVideoBitsAndInput(t *testing.T) {
	src := clip(t, "h264_1080p.mp4", testmedia.Join(testmedia.LavfiVideo("1920x1080", "25", "2"), testmedia.LavfiAudio("2"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	input := copyFile(t, src, "holiday.mp4")
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	if err := os.Chtimes(input, old, old); err != nil {
		t.Fatal(err)
	}
	inSize, inSum := fileSHA256(t, input)
	if boxes := topLevelBoxes(t, input); indexOf(boxes, "moov") < indexOf(boxes, "mdat") {
		t.Fatalf("test input is already faststart (%v): it would not prove the master is", boxes)
	}

	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)

	if a.MasterMode != "remux" || a.ResolutionTier != "1080p" || a.AspectRatio != "16:9" {
		t.Errorf("master_mode=%q resolution_tier=%q aspect_ratio=%q, want remux 1080p 16:9", a.MasterMode, a.ResolutionTier, a.AspectRatio)
	}
	if a.MasterVideoCodec != "h264" || a.MasterAudioCodec != "aac" {
		t.Errorf("master codecs %q/%q, want h264/aac", a.MasterVideoCodec, a.MasterAudioCodec)
	}
	if math.Abs(a.Duration-2) > 0.1 {
		t.Errorf("duration %.3f, want ~2", a.Duration)
	}
	if len(a.Tracks) != 2 {
		t.Fatalf("tracks %+v, want a video and an audio track", a.Tracks)
	}
	v, au := a.Tracks[0], a.Tracks[1]
	if v.Type != "video" || v.MaxWidth != 1920 || v.MaxHeight != 1080 || v.MaxFrameRate != 25 || !v.Primary {
		t.Errorf("video track %+v, want 1920x1080 at 25 fps, primary", v)
	}
	if au.Type != "audio" || au.MaxChannels != 1 || !au.Primary {
		t.Errorf("audio track %+v, want mono, primary", au)
	}

	master := filepath.Join(env.dataDir, a.MasterFile)
	size, sum := fileSHA256(t, master)
	if size != a.MasterSize || sum != a.MasterSHA256 {
		t.Errorf("recorded master %d bytes sha256 %s; file on disk is %d bytes sha256 %s", a.MasterSize, a.MasterSHA256, size, sum)
	}
	if in, out := streamMD5(t, input, "0:v:0"), streamMD5(t, master, "0:v:0"); in != out {
		t.Errorf("master video stream differs from the input's: %s vs %s", out, in)
	}
	if in, out := streamMD5(t, input, "0:a:0"), streamMD5(t, master, "0:a:0"); in != out {
		t.Errorf("master audio stream differs from the input's: %s vs %s", out, in)
	}
	boxes := topLevelBoxes(t, master)
	if m, d := indexOf(boxes, "moov"), indexOf(boxes, "mdat"); m < 0 || d < 0 || m > d {
		t.Errorf("master boxes %v: want moov before mdat (faststart)", boxes)
	}
	if names := dirNames(t, filepath.Dir(master)); len(names) != 1 {
		t.Errorf("masters folder holds %v, want only the master", names)
	}

	size, sum = fileSHA256(t, input)
	st, err := os.Stat(input)
	if err != nil {
		t.Fatal(err)
	}
	if size != inSize || sum != inSum || !st.ModTime().Equal(old) {
		t.Errorf("input changed: %d bytes %s mtime %v; was %d bytes %s mtime %v", size, sum, st.ModTime(), inSize, inSum, old)
	}
}

// A 2160p input with max_resolution_tier 1080p is scaled down to fit.
func TestTranscodeFitsTier(t *testing.T) {
	input := clip(t, "h264_2160p.mp4", testmedia.Join(testmedia.LavfiVideo("3840x2160", "10", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input, AssetSettings: AssetSettings{MaxResolutionTier: "1080p", VideoQuality: "basic"}})
	a = env.waitStatus(a.ID, StatusReady, 2*time.Minute)

	if a.MasterMode != "transcode" || a.ResolutionTier != "1080p" || a.MasterReason == "" {
		t.Errorf("master_mode=%q resolution_tier=%q reason=%q, want a transcode to 1080p with a reason", a.MasterMode, a.ResolutionTier, a.MasterReason)
	}
	info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile))
	if info.Video == nil || info.Video.Width > 1920 || info.Video.Height > 1080 {
		t.Fatalf("master video %+v, want at most 1920x1080", info.Video)
	}
	if info.Video.Width*9 != info.Video.Height*16 {
		t.Errorf("master is %dx%d: aspect ratio not kept", info.Video.Width, info.Video.Height)
	}
	if v := a.Tracks[0]; v.MaxWidth != info.Video.Width || v.MaxHeight != info.Video.Height {
		t.Errorf("track says %dx%d, master is %dx%d", v.MaxWidth, v.MaxHeight, info.Video.Width, info.Video.Height)
	}
	if info.Audio == nil || info.Audio.Codec != "aac" {
		t.Errorf("master audio %+v, want the AAC kept", info.Audio)
	}
}

// ProRes cannot live in an MP4 for most players: it is transcoded, keeping its
// 10-bit depth and 4:2:2 chroma (so HEVC), its size (never upscaled) and frame rate;
// its PCM stays lossless as ALAC.
func TestProResIsTranscoded(t *testing.T) {
	input := clip(t, "prores.mov", testmedia.Join(testmedia.LavfiVideo("640x360", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "prores_ks", "-profile:v", "0", "-c:a", "pcm_s16le", "-shortest"})...)
	if in := mustProbe(t, input); in.Video.Codec != "prores" || in.Video.BitDepth != 10 {
		t.Fatalf("test input is %s at %d bits, want 10-bit ProRes", in.Video.Codec, in.Video.BitDepth)
	}
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile))
	if a.MasterMode != "transcode" || info.Video == nil || info.Video.Codec != "hevc" || info.Video.BitDepth != 10 ||
		info.Audio == nil || info.Audio.Codec != "alac" {
		t.Fatalf("master_mode %q, master streams %+v / %+v: want 10-bit ProRes/PCM transcoded to 10-bit HEVC/ALAC", a.MasterMode, info.Video, info.Audio)
	}
	if a.MasterVideoCodec != "hevc" || a.MasterAudioCodec != "alac" {
		t.Errorf("recorded master codecs %q/%q, want hevc/alac", a.MasterVideoCodec, a.MasterAudioCodec)
	}
	if info.Video.Width != 640 || info.Video.Height != 360 || math.Abs(info.Video.FrameRate-25) > 0.01 {
		t.Errorf("master %dx%d at %.2f fps, want 640x360 at 25 fps kept", info.Video.Width, info.Video.Height, info.Video.FrameRate)
	}
	if a.ResolutionTier != "720p" {
		t.Errorf("resolution_tier %q for a 640x360 master, want 720p", a.ResolutionTier)
	}
}

// VP9 with Opus fits in MP4: the bits are kept.
func TestVP9WebMIsRemuxed(t *testing.T) {
	input := clip(t, "vp9.webm", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-c:a", "libopus", "-shortest"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	master := filepath.Join(env.dataDir, a.MasterFile)
	if a.MasterMode != "remux" || a.MasterVideoCodec != "vp9" {
		t.Fatalf("master_mode %q video %q, want a VP9 remux", a.MasterMode, a.MasterVideoCodec)
	}
	if in, out := streamMD5(t, input, "0:v:0"), streamMD5(t, master, "0:v:0"); in != out {
		t.Errorf("master video stream differs from the input's")
	}
}

// An audio-only input makes an audio-only master, and no thumbnail.
func TestAudioOnlyInput(t *testing.T) {
	input := clip(t, "tone.m4a", testmedia.Join(testmedia.LavfiAudio("2"), []string{"-c:a", "aac"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.ResolutionTier != "audio-only" || a.MasterMode != "audio-only" {
		t.Errorf("resolution_tier %q master_mode %q, want audio-only", a.ResolutionTier, a.MasterMode)
	}
	if len(a.Tracks) != 1 || a.Tracks[0].Type != "audio" {
		t.Errorf("tracks %+v, want one audio track", a.Tracks)
	}
	if a.AspectRatio != "" {
		t.Errorf("aspect_ratio %q for an audio-only asset", a.AspectRatio)
	}
	info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile))
	if info.Video != nil || info.Audio == nil {
		t.Errorf("master streams video=%+v audio=%+v, want audio only", info.Video, info.Audio)
	}
}

// An http(s) input is downloaded to the data folder's tmp/, built, and the
// download removed.
func TestHTTPInput(t *testing.T) {
	src := smallClip(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(src))))
	defer srv.Close()
	env := newEnv(t)
	a := env.create(CreateParams{Input: srv.URL + "/" + filepath.Base(src) + "?token=x"})
	if a.Source != SourceURL {
		t.Errorf("source %q, want url", a.Source)
	}
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if got := a.Title(); got != "small" {
		t.Errorf("title %q, want the URL's file name without extension", got)
	}
	_, srcSum := fileSHA256(t, src)
	if in, out := streamMD5(t, src, "0:v:0"), streamMD5(t, filepath.Join(env.dataDir, a.MasterFile), "0:v:0"); in != out {
		t.Errorf("master video differs from the served file's (served sha256 %s)", srcSum)
	}
	if left := dirNames(t, filepath.Join(env.dataDir, "tmp")); len(left) != 0 {
		t.Errorf("tmp/ still holds %v after the build", left)
	}
}

// Credentials in an http input's URL are used for the download only: the
// asset, its events and the log never carry them, and they are dropped once
// the master is built.
func TestHTTPInputCredentialsStayPrivate(t *testing.T) {
	src := smallClip(t)
	files := http.FileServer(http.Dir(filepath.Dir(src)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "editor" || pass != "s3cret-pa55" {
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	env := newEnv(t)
	withCreds := strings.Replace(srv.URL, "http://", "http://editor:s3cret-pa55@", 1) + "/" + filepath.Base(src)
	a := env.create(CreateParams{Input: withCreds})
	if strings.Contains(a.Input, "s3cret") || strings.Contains(a.Input, "editor@") {
		t.Errorf("the asset's input keeps the credentials: %q", a.Input)
	}
	a = env.waitStatus(a.ID, StatusReady, time.Minute) // the download authenticated
	for _, ev := range env.events(a.ID) {
		if strings.Contains(string(ev.Data), "s3cret") {
			t.Errorf("event %s carries the password: %s", ev.Type, ev.Data)
		}
	}
	if s := fmt.Sprintf("%+v", a); strings.Contains(s, "s3cret") {
		t.Errorf("the asset the API renders carries the password: %s", s)
	}
	var left int
	env.db.QueryRowContext(env.ctx(), `SELECT count(*) FROM input_credentials`).Scan(&left)
	if left != 0 {
		t.Errorf("%d credentials kept after the master was built", left)
	}
}

// The asset says what its master changed and keeps the original's description, both
// read back from the database.
func TestAssetRecordsMasterChangesAndInputInfo(t *testing.T) {
	input := clip(t, "A001.mov", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"), testmedia.LavfiAudio("1"),
		[]string{"-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s24le"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input})
	env.waitStatus(a.ID, StatusReady, time.Minute)
	a, err := env.svc.Get(env.ctx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2 × PCM 24-bit kept lossless as ALAC"}; !slices.Equal(a.MasterChanges, want) {
		t.Errorf("master changes %q, want %q", a.MasterChanges, want)
	}
	in := a.InputInfo
	if in == nil || in.ContainerFormat != "mov,mp4,m4a,3gp,3g2,mj2" || len(in.Tracks) != 3 ||
		in.Tracks[0].Type != "video" || in.Tracks[0].Width != 320 || in.Tracks[1].Encoding != "pcm_s24le" || in.Tracks[2].SampleSize != 24 {
		t.Errorf("input info %+v, want the MOV's video and two 24-bit PCM tracks", in)
	}
}

// Anamorphic HDV (1440×1080, pixels 4:3 wide) is kept as it is and plays 16:9: aspect_ratio
// said 4:3, from the pixel count.
func TestAnamorphicMasterPlaysAtItsShape(t *testing.T) {
	src := clip(t, "hdv.mp4", testmedia.Join(testmedia.LavfiVideo("1440x1080", "25", "1"),
		[]string{"-vf", "setsar=4/3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: src})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	if a.AspectRatio != "16:9" {
		t.Errorf("aspect_ratio %q, want 16:9 (1440×1080 at 4:3 pixels)", a.AspectRatio)
	}
	if len(a.Tracks) == 0 || a.Tracks[0].MaxWidth != 1440 || a.Tracks[0].MaxHeight != 1080 {
		t.Errorf("tracks %+v, want the stored 1440×1080 picture", a.Tracks)
	}
}

func TestPlayedAspectRatioNamesTheShape(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		want string
	}{{1920, 1080, "16:9"}, {768, 576, "4:3"}, {655, 480, "4:3"}, {1024, 576, "16:9"}, {2048, 858, "1024:429"}, {1080, 1920, "9:16"}, {0, 5, ""}} {
		if got := playedAspectRatio(tc.w, tc.h); got != tc.want {
			t.Errorf("playedAspectRatio(%d, %d) = %q, want %q", tc.w, tc.h, got, tc.want)
		}
	}
}
