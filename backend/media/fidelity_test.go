package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The sources below are what cameras, recorders, phones and editors write, made small
// (1 s, a few hundred pixels) by ffmpeg in the test. Each master is checked with ffprobe
// and by decoding it, the way an archivist would check it.

func cameraMOV(t *testing.T) string {
	return makeClip(t, "A001C003.mov", join(lavfiVideo("320x240", "25", "1"), tone(440), tone(880), []string{
		"-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s24le",
		"-timecode", "10:00:00:00", "-metadata", "creation_time=2024-05-01T10:20:30Z",
		"-metadata", "location=+48.8577+002.2950/", "-metadata", "com.apple.quicktime.make=Canon",
		"-metadata", "com.apple.quicktime.model=EOS R5", "-metadata", "com.apple.quicktime.software=Firmware 1.8",
		"-metadata", "title=Take 3", "-metadata", "reel_name=A001",
		"-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra",
		"-metadata:s:a:0", "handler_name=Boom", "-metadata:s:a:1", "handler_name=Radio 1", "-movflags", "use_metadata_tags"})...)
}

func broadcastMXF(t *testing.T) string {
	// XDCAM HD422-style: MPEG-2 4:2:2 interlaced (top field first), four mono 24-bit tracks.
	return makeClip(t, "C0001.mxf", join(lavfiVideo("320x240", "25", "1"), tone(220), tone(330), tone(440), tone(550), []string{
		"-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map", "4",
		"-c:v", "mpeg2video", "-pix_fmt", "yuv422p", "-b:v", "4M", "-flags", "+ildct+ilme", "-top", "1",
		"-c:a", "pcm_s24le", "-timecode", "10:00:00:00"})...)
}

func proresMOV(t *testing.T) string {
	return makeClip(t, "edit.mov", join(lavfiVideo("320x240", "25", "1"), tone(440), []string{
		// prores_ks takes colour from the frames, not from -color_* options.
		"-vf", "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv",
		"-c:v", "prores_ks", "-profile:v", "hq", "-pix_fmt", "yuv422p10le", "-c:a", "pcm_s24le"})...)
}

func subtitledMKV(t *testing.T) string {
	dir := t.TempDir()
	srt := filepath.Join(dir, "talk.srt")
	chapters := filepath.Join(dir, "chapters.txt")
	os.WriteFile(srt, []byte("1\n00:00:00,000 --> 00:00:00,800\nGuten Tag\n"), 0o644)
	os.WriteFile(chapters, []byte(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=Intro\n"+
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Interview\n"), 0o644)
	return makeClip(t, "talk.mkv", join(lavfiVideo("320x240", "25", "1"), tone(440),
		[]string{"-i", srt, "-i", chapters, "-map", "0", "-map", "1", "-map", "2", "-map_chapters", "3",
			"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-c:s", "srt", "-metadata:s:s:0", "language=deu",
			"-metadata:s:a:0", "title=Lavalier"})...)
}

func phoneMOV(t *testing.T) string {
	pixels := makeClip(t, "pixels.mp4", join(lavfiVideo("320x180", "30", "1"), tone(440), []string{
		"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-c:a", "aac"})...)
	// An iPhone writes its date and place as QuickTime metadata keys and turns the
	// picture with a display matrix.
	return makeClip(t, "IMG_0042.mov", "-i", pixels, "-c", "copy", "-metadata:s:v:0", "rotate=90",
		"-metadata", "creation_time=2024-06-01T08:00:00Z",
		"-metadata", "com.apple.quicktime.creationdate=2024-06-01T10:00:00+0200",
		"-metadata", appleLocationKey+"=+37.3349-122.0090+030.000/",
		"-metadata", "com.apple.quicktime.make=Apple", "-metadata", "com.apple.quicktime.model=iPhone 15",
		"-movflags", "use_metadata_tags")
}

func surroundMOV(t *testing.T) string {
	// Eight distinct tones in a 7.1 layout, which ALAC would remix to 6.1.
	var tones []string
	for i := range 8 {
		tones = append(tones, fmt.Sprintf("sin(%d*t*2*PI)", 200+100*i))
	}
	return makeClip(t, "mix.mov", join(lavfiVideo("160x120", "25", "0.4"), []string{"-f", "lavfi", "-i",
		"aevalsrc=" + strings.Join(tones, "|") + ":s=48000:d=0.4:c=7.1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s24le"})...)
}

func dvAVI(t *testing.T) string {
	// MiniDV captured to AVI: NTSC 4:1:1, interlaced bottom field first, 16-bit PCM.
	return makeClip(t, "tape.avi", join(lavfiVideo("720x480", "30000/1001", "0.5"), tone(440), []string{
		"-c:v", "dvvideo", "-pix_fmt", "yuv411p", "-flags", "+ildct", "-c:a", "pcm_s16le", "-ac", "2", "-t", "0.5"})...)
}

func avchdTS(t *testing.T) string {
	return makeClip(t, "00001.MTS", join(lavfiVideo("320x240", "25", "1"), tone(440), []string{
		"-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme", "-x264-params", "tff=1",
		"-c:a", "ac3", "-ac", "2", "-f", "mpegts"})...)
}

func vfrMKV(t *testing.T) string {
	// Frames 0-9 at 25 fps, then every other frame: a screen recording's kind of timing.
	return makeClip(t, "screen.mkv", join(lavfiVideo("160x120", "25", "1"), []string{
		"-vf", "select='lt(n\\,10)+not(mod(n\\,2))'", "-fps_mode", "vfr", "-c:v", "mjpeg"})...)
}

func gpmdMOV(t *testing.T) string {
	// A stand-in for GoPro telemetry: a data stream tagged gpmd in a MOV.
	ts := makeClip(t, "carrier.ts", join(lavfiVideo("160x120", "25", "1"), tone(440), []string{
		"-map", "0", "-map", "1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s16le", "-f", "mpegts"})...)
	return makeClip(t, "GX010001.mov", "-i", ts, "-map", "0:v", "-map", "0:d", "-c", "copy", "-tag:d:0", "gpmd")
}

// fidelitySources are the sources above, for the measurement.
var fidelitySources = []struct {
	name string
	make func(*testing.T) string
}{
	{"MOV: H.264 + 2 mono PCM 24-bit + timecode + creation date, make/model, location", cameraMOV},
	{"MXF: MPEG-2 4:2:2 25i + 4 mono PCM 24-bit + timecode", broadcastMXF},
	{"MOV: ProRes 422 HQ 10-bit + PCM 24-bit", proresMOV},
	{"MOV: H.264 + PCM 24-bit 7.1", surroundMOV},
	{"AVI: DV NTSC 4:1:1 interlaced + PCM 16-bit", dvAVI},
	{"MKV: H.264 + AAC + SRT (deu) + 2 chapters", subtitledMKV},
	{"MOV: phone HEVC + AAC, rotation 90, date, location", phoneMOV},
	{"MPEG-TS: H.264 25i + AC-3 (AVCHD-style)", avchdTS},
	{"MKV: Motion JPEG, variable frame rate", vfrMKV},
	{"MOV: H.264 + gpmd data track", gpmdMOV},
	{"MP4: HEVC HDR10 10-bit (remux)", makeHDR10},
}

func tone(freq int) []string {
	return []string{"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:sample_rate=48000:duration=1", freq)}
}

// wantChanges compares the change list exactly.
func wantChanges(t *testing.T, info *Info, plan Plan, want ...string) {
	t.Helper()
	got := Changes(info, plan)
	if !slices.Equal(got, want) {
		t.Errorf("changes\n got %q\nwant %q", got, want)
	}
}

// assertLosslessAudio checks every source audio track came out, in order, as ALAC with
// exactly the source's decoded samples, channel count and language.
func assertLosslessAudio(t *testing.T, src, master string, srcInfo, out *Info, bits int) {
	t.Helper()
	in, got := streamsOf(srcInfo, "audio"), streamsOf(out, "audio")
	if len(got) != len(in) {
		t.Fatalf("master has %d audio tracks, want %d", len(got), len(in))
	}
	for i := range in {
		if got[i].Codec != "alac" || got[i].Channels != in[i].Channels || got[i].BitsPerSample != bits ||
			got[i].Language != in[i].Language || got[i].Title != in[i].Title {
			t.Errorf("audio %d: %s %d ch %d-bit lang %q title %q, want alac %d ch %d-bit lang %q title %q", i, got[i].Codec, got[i].Channels,
				got[i].BitsPerSample, got[i].Language, got[i].Title, in[i].Channels, bits, in[i].Language, in[i].Title)
		}
		stream := fmt.Sprintf("0:a:%d", i)
		if a, b := decodedAudioMD5(t, src, stream), decodedAudioMD5(t, master, stream); a != b {
			t.Errorf("audio %d decodes to other samples than the source (%s vs %s)", i, b, a)
		}
	}
}

func timecodeOf(info *Info) string {
	for _, s := range info.Streams {
		if s.CodecTag == "tmcd" && s.Timecode != "" {
			return s.Timecode
		}
	}
	return ""
}

func TestCameraMOVKeepsBothMonoPCMTracksLosslessTimecodeAndMetadata(t *testing.T) {
	requireFFmpeg(t)
	in := cameraMOV(t)
	src := mustProbe(t, in)
	if src.Streams[1].Title != "Boom" || src.Streams[2].Title != "Radio 1" {
		t.Fatalf("test input track names %q %q, want Boom and Radio 1", src.Streams[1].Title, src.Streams[2].Title)
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan, "2 × PCM 24-bit kept lossless as ALAC")
	out := mustProbe(t, master)
	if out.Video == nil || packetsMD5(t, master, "0:v:0") != packetsMD5(t, in, "0:v:0") {
		t.Errorf("video not copied bit for bit")
	}
	assertLosslessAudio(t, in, master, src, out, 24)
	if tc := timecodeOf(out); tc != "10:00:00:00" {
		t.Errorf("master timecode %q, want a tmcd track at 10:00:00:00", tc)
	}
	for k, want := range map[string]string{
		"creation_time": "2024-05-01T10:20:30", "location": "+48.8577+002.2950/", appleLocationKey: "+48.8577+002.2950/",
		"com.apple.quicktime.make": "Canon", "com.apple.quicktime.model": "EOS R5",
		"com.apple.quicktime.software": "Firmware 1.8", "title": "Take 3", "reel_name": "A001",
	} {
		if !strings.HasPrefix(out.Tags[k], want) {
			t.Errorf("master tag %s = %q, want %q", k, out.Tags[k], want)
		}
	}
	if out.Tags["major_brand"] == "qt  " {
		t.Errorf("master claims the source's QuickTime brand")
	}
	decodesCleanly(t, master)
}

func TestBroadcastMXFKeepsFourMonoTracks422InterlacedAndTimecode(t *testing.T) {
	requireFFmpeg(t)
	in := broadcastMXF(t)
	src := mustProbe(t, in)
	if src.Video.FieldOrder != "tt" || src.Video.PixFmt != "yuv422p" || len(streamsOf(src, "audio")) != 4 {
		t.Fatalf("test input: %s %s with %d audio tracks, want interlaced 4:2:2 with 4", src.Video.FieldOrder, src.Video.PixFmt, len(streamsOf(src, "audio")))
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan,
		"MPEG-2 video re-encoded to H.264 4:2:2 8-bit interlaced (top field first), because MP4 cannot hold MPEG-2",
		"4 × PCM 24-bit kept lossless as ALAC")
	out := mustProbe(t, master)
	v := out.Video
	if v.Codec != "h264" || v.PixFmt != "yuv422p" || v.FieldOrder != "tt" || v.Width != 320 || v.Height != 240 {
		t.Errorf("master video %s %s field order %q %dx%d, want h264 yuv422p tt 320x240", v.Codec, v.PixFmt, v.FieldOrder, v.Width, v.Height)
	}
	assertLosslessAudio(t, in, master, src, out, 24)
	if tc := timecodeOf(out); tc != "10:00:00:00" {
		t.Errorf("master timecode %q, want 10:00:00:00", tc)
	}
	decodesCleanly(t, master)
}

func TestProRes422HQKeeps422TenBitAndLosslessPCM(t *testing.T) {
	requireFFmpeg(t)
	in := proresMOV(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan,
		"ProRes video re-encoded to HEVC 4:2:2 10-bit, because MP4 cannot hold ProRes",
		"PCM 24-bit kept lossless as ALAC")
	out := mustProbe(t, master)
	v := out.Video
	if v.Codec != "hevc" || v.PixFmt != "yuv422p10le" || v.BitDepth != 10 || v.ColorPrimaries != "bt709" || v.ColorSpace != "bt709" {
		t.Errorf("master video %s %s %d-bit %s/%s, want hevc yuv422p10le bt709", v.Codec, v.PixFmt, v.BitDepth, v.ColorPrimaries, v.ColorSpace)
	}
	assertLosslessAudio(t, in, master, src, out, 24)
	decodesCleanly(t, master)
}

func TestSurround71PCMStaysLosslessWithoutARemix(t *testing.T) {
	requireFFmpeg(t)
	in := surroundMOV(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan, "PCM 24-bit kept lossless as FLAC, because ALAC would remix its 7.1 channels (Final Cut Pro and Premiere do not read FLAC in MP4)")
	out := mustProbe(t, master)
	if out.Audio == nil || out.Audio.Codec != "flac" || out.Audio.Channels != 8 || out.Audio.ChannelLayout != "7.1" {
		t.Fatalf("master audio %+v, want 8-channel 7.1 FLAC", out.Audio)
	}
	if decodedAudioMD5(t, master, "0:a:0") != decodedAudioMD5(t, in, "0:a:0") {
		t.Errorf("7.1 audio decodes to other samples than the source")
	}
}

func TestDVTapeKeepsItsFieldsAndAllItsChroma(t *testing.T) {
	requireFFmpeg(t)
	in := dvAVI(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan,
		"DV video re-encoded to H.264 4:2:2 8-bit interlaced (bottom field first), because MP4 cannot hold DV",
		"PCM 16-bit kept lossless as ALAC")
	out := mustProbe(t, master)
	if v := out.Video; v.Codec != "h264" || v.PixFmt != "yuv422p" || v.FieldOrder != "bb" || v.Width != 720 || v.Height != 480 {
		t.Errorf("master video %s %s %q %dx%d, want h264 yuv422p bb 720x480", v.Codec, v.PixFmt, v.FieldOrder, v.Width, v.Height)
	}
	if decodedAudioMD5(t, master, "0:a:0") != decodedAudioMD5(t, in, "0:a:0") {
		t.Errorf("audio decodes to other samples than the source")
	}
	decodesCleanly(t, master)
}

func TestInterlacedProRes10BitStaysInterlaced422TenBit(t *testing.T) {
	requireFFmpeg(t)
	// The case x265 cannot take (no field coding through ffmpeg): H.264 High 4:2:2 10-bit,
	// coded as fields, checked to decode without a single error.
	in := makeClip(t, "interlaced.mov", join(lavfiVideo("320x240", "25", "0.5"), []string{
		"-vf", "setfield=tff", "-flags", "+ildct+ilme", "-c:v", "prores_ks", "-profile:v", "hq", "-pix_fmt", "yuv422p10le"})...)
	src := mustProbe(t, in)
	if !src.Video.Interlaced() {
		t.Fatalf("test input field order %q, want interlaced", src.Video.FieldOrder)
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Video.Encoder != "libx264" || plan.Video.PixFmt != "yuv422p10le" || plan.Video.FieldOrder == "" {
		t.Fatalf("plan %+v, want x264 4:2:2 10-bit coded as fields", plan.Video)
	}
	out := mustProbe(t, master)
	if v := out.Video; v.Codec != "h264" || v.PixFmt != "yuv422p10le" || !v.Interlaced() {
		t.Errorf("master video %s %s field order %q, want interlaced h264 yuv422p10le", v.Codec, v.PixFmt, v.FieldOrder)
	}
	decodesCleanly(t, master)
}

func TestMKVSubtitlesAndChaptersSurvive(t *testing.T) {
	requireFFmpeg(t)
	in := subtitledMKV(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeRemux {
		t.Errorf("plan %s, want remux (H.264 and AAC copied)", plan.Mode)
	}
	wantChanges(t, src, plan, "SubRip subtitles (deu) converted to MP4 text subtitles (mov_text); styling is not kept")
	out := mustProbe(t, master)
	subs := streamsOf(out, "subtitle")
	if len(subs) != 1 || subs[0].Codec != "mov_text" || subs[0].Language != "deu" {
		t.Errorf("master subtitles %+v, want one mov_text track in deu", subs)
	}
	if a := streamsOf(out, "audio"); len(a) != 1 || a[0].Title != "Lavalier" {
		t.Errorf("master audio %+v, want the track named Lavalier", a)
	}
	if len(out.Chapters) != 2 || out.Chapters[0].Title != "Intro" || out.Chapters[1].Title != "Interview" || !near(out.Chapters[1].Start, 0.5, 0.01) {
		t.Errorf("master chapters %+v, want Intro at 0 and Interview at 0.5 s", out.Chapters)
	}
}

func TestPhoneHEVCKeepsRotationDateAndLocation(t *testing.T) {
	requireFFmpeg(t)
	in := phoneMOV(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan)
	out := mustProbe(t, master)
	if out.Video.Rotation != src.Video.Rotation || src.Video.Rotation == 0 || codecTag(t, master, 0) != "hvc1" {
		t.Errorf("master rotation %d tag %s, want %d and hvc1", out.Video.Rotation, codecTag(t, master, 0), src.Video.Rotation)
	}
	for k, want := range map[string]string{
		"creation_time": "2024-06-01T08:00:00", "com.apple.quicktime.creationdate": "2024-06-01T10:00:00+0200",
		appleLocationKey: "+37.3349-122.0090+030.000/", "location": "+37.3349-122.0090", // ©xyz is rewritten by ffmpeg's parser
		"com.apple.quicktime.make": "Apple", "com.apple.quicktime.model": "iPhone 15",
	} {
		if !strings.HasPrefix(out.Tags[k], want) {
			t.Errorf("master tag %s = %q, want %q", k, out.Tags[k], want)
		}
	}
}

const hdr10MasterDisplay = "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)"

func makeHDR10(t *testing.T) string {
	return makeClip(t, "hdr10.mp4", join(lavfiVideo("320x180", "25", "1"), []string{
		"-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
		"-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
		"-x265-params", "log-level=error:hdr10=1:master-display=" + hdr10MasterDisplay + ":max-cll=1000,400", "-tag:v", "hvc1"})...)
}

func assertHDR10(t *testing.T, out *Info) {
	t.Helper()
	v := out.Video
	want := MasteringDisplay{RedX: 34000, RedY: 16000, GreenX: 13250, GreenY: 34500, BlueX: 7500, BlueY: 3000,
		WhiteX: 15635, WhiteY: 16450, MaxLuminance: 10000000, MinLuminance: 1}
	if v.ColorPrimaries != "bt2020" || v.ColorTransfer != "smpte2084" || v.ColorSpace != "bt2020nc" || v.PixFmt != "yuv420p10le" {
		t.Errorf("master colour %s/%s/%s %s, want bt2020/smpte2084/bt2020nc 10-bit", v.ColorPrimaries, v.ColorTransfer, v.ColorSpace, v.PixFmt)
	}
	if v.MasteringDisplay == nil || *v.MasteringDisplay != want {
		t.Errorf("master mastering display %+v, want %+v", v.MasteringDisplay, want)
	}
	if v.ContentLight == nil || *v.ContentLight != (ContentLight{1000, 400}) {
		t.Errorf("master content light %+v, want 1000/400", v.ContentLight)
	}
}

func TestHDR10KeepsItsMetadataOnRemuxAndTranscode(t *testing.T) {
	requireFFmpeg(t)
	in := makeHDR10(t)
	src := mustProbe(t, in)
	assertHDR10(t, src) // the probe reads what x265 wrote

	t.Run("remux", func(t *testing.T) {
		plan, master := buildMaster(t, in, Tier1080p, QualityBasic)
		if plan.Mode != ModeRemux {
			t.Errorf("plan %s, want remux", plan.Mode)
		}
		assertHDR10(t, mustProbe(t, master))
	})
	t.Run("transcode", func(t *testing.T) {
		// What a 2160p HDR10 clip gets under the 1080p tier, with a box small enough
		// for a test clip.
		plan, err := planMaster(src, tierBox{"test", 192, 108}, QualityBasic)
		if err != nil || plan.Mode != ModeTranscode || plan.Width != 192 {
			t.Fatalf("plan %+v, %v: want a transcode to 192x108", plan, err)
		}
		master := filepath.Join(t.TempDir(), "m.mp4")
		if err := BuildMaster(testContext(t), in, master, src, plan, nil); err != nil {
			t.Fatal(err)
		}
		out := mustProbe(t, master)
		assertHDR10(t, out)
		decodesCleanly(t, master)
		wantChanges(t, src, plan, "HEVC video re-encoded to HEVC 4:2:0 10-bit with its HDR10 metadata, because 320x180 is larger than the test master size (scaled from 320x180 to 192x108)")
	})
}

func TestInterlacedAVCHDWithAC3IsRemuxedAsIs(t *testing.T) {
	requireFFmpeg(t)
	in := avchdTS(t)
	src := mustProbe(t, in)
	if src.Video.FieldOrder != "tt" {
		t.Fatalf("test input field order %q, want tt", src.Video.FieldOrder)
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan)
	out := mustProbe(t, master)
	// MPEG-TS stores H.264 in Annex B form, MP4 with length prefixes: the packets differ
	// by their framing, the pictures must not.
	if out.Video.FieldOrder != "tt" || out.Audio.Codec != "ac3" || decodedVideoMD5(t, master) != decodedVideoMD5(t, in) {
		t.Errorf("master %s field order %q audio %s, want the interlaced H.264 copied and AC-3 kept", out.Video.Codec, out.Video.FieldOrder, out.Audio.Codec)
	}
	if packetsMD5(t, master, "0:a:0") != packetsMD5(t, in, "0:a:0") {
		t.Errorf("AC-3 packets differ, want them copied")
	}
}

func TestVariableFrameRateIsKeptOnTranscode(t *testing.T) {
	requireFFmpeg(t)
	in := vfrMKV(t)
	src := mustProbe(t, in)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeTranscode {
		t.Fatalf("plan %s, want a transcode of Motion JPEG", plan.Mode)
	}
	wantChanges(t, src, plan, "Motion JPEG video re-encoded to H.264 4:2:0 8-bit, because MP4 cannot hold Motion JPEG")
	a, b := packetTimes(t, in, "v:0"), packetTimes(t, master, "v:0")
	if !slices.Equal(a, b) || len(a) != 18 {
		t.Errorf("master frame times %v, want the source's %v (18 frames)", b, a)
	}
	decodesCleanly(t, master)
}

func TestDataTrackIsListedAsDropped(t *testing.T) {
	requireFFmpeg(t)
	in := gpmdMOV(t)
	src := mustProbe(t, in)
	if len(streamsOf(src, "data")) != 1 {
		t.Fatalf("test input streams %+v, want a data track", src.Streams)
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	wantChanges(t, src, plan, "data track 'gpmd' dropped: MP4 cannot hold it")
	if out := mustProbe(t, master); len(out.Streams) != 1 || out.Video == nil {
		t.Errorf("master streams %+v, want the video only", out.Streams)
	}
}

func TestHostileAndOversizedFilesAreRefused(t *testing.T) {
	requireFFmpeg(t)
	dir := t.TempDir()
	private := makeClip(t, "private.mov", join(lavfiVideo("160x120", "25", "1"), []string{"-c:v", "libx264", "-preset", "ultrafast"})...)
	playlist := filepath.Join(dir, "holiday.mov")
	os.WriteFile(playlist, []byte("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://"+private+"\n#EXT-X-ENDLIST\n"), 0o644)
	concat := filepath.Join(dir, "list.mp4")
	os.WriteFile(concat, []byte("ffconcat version 1.0\nfile '"+private+"'\n"), 0o644)
	noise := filepath.Join(dir, "noise.mov")
	b := make([]byte, 200<<10)
	for i := range b {
		b[i] = byte(i*7919 + i/251) // deterministic noise
	}
	os.WriteFile(noise, b, 0o644)

	for _, tc := range []struct{ name, path, message string }{
		{"HLS playlist naming a local file", playlist, "not a video file: it is an HLS playlist"},
		{"concat list", concat, "not a video file"},
		{"noise named .mov", noise, "not a video file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Probe(testContext(t), tc.path)
			var me *Error
			if !errors.As(err, &me) || me.Kind != KindNotMedia || !strings.Contains(me.Message, tc.message) {
				t.Errorf("Probe = %+v, %v; want %s %q", info, err, KindNotMedia, tc.message)
			}
		})
	}

	t.Run("picture claiming 8192x8192", func(t *testing.T) {
		huge := makeClip(t, "huge.avi", "-f", "lavfi", "-i", "color=black:size=8192x8192:duration=0.04", "-frames:v", "1", "-c:v", "mjpeg")
		info := mustProbe(t, huge)
		_, err := PlanMaster(info, Tier2160p, QualityBasic)
		var me *Error
		if !errors.As(err, &me) || me.Kind != KindTooLarge || !strings.Contains(me.Message, "8192x8192") {
			t.Errorf("PlanMaster = %v, want %s naming 8192x8192", err, KindTooLarge)
		}
	})
}

func TestToolsRunUnderAMemoryBound(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the address-space bound is set on Linux only")
	}
	var out strings.Builder
	res := run(testContext(t), toolRun{bin: "cat", args: []string{"/proc/self/limits"}, timeout: probeTimeout,
		stdout: &out, memLimit: 1 << 30})
	if res.err != nil {
		t.Fatalf("cat: %v %s", res.err, res.stderr)
	}
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "Max address space") {
			line = l
		}
	}
	if f := strings.Fields(line); len(f) < 5 || f[3] != "1073741824" {
		t.Errorf("limits line %q, want a 1 GiB address-space bound", line)
	}
}
