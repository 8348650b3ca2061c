package media

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func video(codec string, w, h int) *Stream {
	return &Stream{Index: 0, Type: "video", Codec: codec, Width: w, Height: h, FrameRate: 30, PixFmt: "yuv420p", BitDepth: 8}
}

func audio(codec string, channels int) *Stream {
	return &Stream{Index: 1, Type: "audio", Codec: codec, Channels: channels, SampleRate: 48000}
}

func media(v, a *Stream) *Info {
	info := &Info{FormatName: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 10}
	if v != nil {
		info.Video = v
		info.Streams = append(info.Streams, *v)
	}
	if a != nil {
		info.Audio = a
		info.Streams = append(info.Streams, *a)
	}
	return info
}

func rotated(s *Stream, deg int) *Stream { s.Rotation = deg; return s }

func tenBit(s *Stream) *Stream { s.PixFmt, s.BitDepth = "yuv420p10le", 10; return s }

func TestPlanMaster(t *testing.T) {
	cases := []struct {
		name           string
		info           *Info
		tier           string
		mode           string
		videoCopy      bool
		audioCopy      bool
		w, h           int
		resultTier     string
		encoder        string
		reasonContains string
	}{
		{"1080p h264/aac remux", media(video("h264", 1920, 1080), audio("aac", 2)), Tier1080p, ModeRemux, true, true, 1920, 1080, Tier1080p, "", ""},
		{"720p stays 720p, no upscale", media(video("h264", 1280, 720), audio("aac", 2)), Tier2160p, ModeRemux, true, true, 1280, 720, Tier720p, "", ""},
		{"small prores is not upscaled", media(video("prores", 640, 480), nil), Tier2160p, ModeTranscode, false, false, 640, 480, Tier720p, "libx264", "ProRes cannot be stored in MP4"},
		{"2160p over 1080p tier", media(video("h264", 3840, 2160), audio("aac", 2)), Tier1080p, ModeTranscode, false, true, 1920, 1080, Tier1080p, "libx264", "3840x2160 is larger than the 1080p master size"},
		{"2160p within 1440p box", media(video("hevc", 3840, 2160), nil), Tier1440p, ModeTranscode, false, false, 2560, 1440, Tier1440p, "libx264", "larger than the 1440p master size"},
		{"2160p fits 2160p", media(video("hevc", 3840, 2160), nil), Tier2160p, ModeRemux, true, false, 3840, 2160, Tier2160p, "", ""},
		{"portrait pixels fit the box turned", media(video("h264", 1080, 1920), nil), Tier1080p, ModeRemux, true, false, 1080, 1920, Tier1080p, "", ""},
		{"portrait over the tier", media(video("h264", 2160, 3840), nil), Tier1080p, ModeTranscode, false, false, 1080, 1920, Tier1080p, "libx264", "2160x3840 is larger than"},
		{"rotated phone 4K in display orientation", media(rotated(video("hevc", 3840, 2160), 90), audio("aac", 2)), Tier1080p, ModeTranscode, false, true, 1080, 1920, Tier1080p, "libx264", "2160x3840 is larger than"},
		{"rotated phone fits, remux", media(rotated(video("h264", 1920, 1080), 270), nil), Tier1080p, ModeRemux, true, false, 1080, 1920, Tier1080p, "", ""},
		{"DCI 4K keeps aspect, even size", media(video("h264", 4096, 2160), nil), Tier1080p, ModeTranscode, false, false, 1920, 1012, Tier1080p, "libx264", ""},
		{"odd size made even", media(video("mpeg2video", 721, 481), nil), Tier1080p, ModeTranscode, false, false, 720, 480, Tier720p, "libx264", "MPEG-2"},
		{"10-bit over tier goes to x265", media(tenBit(video("h264", 3840, 2160)), nil), Tier1080p, ModeTranscode, false, false, 1920, 1080, Tier1080p, "libx265", ""},
		{"10-bit that fits is remuxed", media(tenBit(video("hevc", 1920, 1080)), nil), Tier1080p, ModeRemux, true, false, 1920, 1080, Tier1080p, "", ""},
		{"vp9 opus remux", media(video("vp9", 1280, 720), audio("opus", 2)), Tier1080p, ModeRemux, true, true, 1280, 720, Tier720p, "", ""},
		{"av1 remux", media(video("av1", 1920, 1080), audio("aac", 2)), Tier1080p, ModeRemux, true, true, 1920, 1080, Tier1080p, "", ""},
		{"pcm audio encoded, video copied", media(video("h264", 1920, 1080), audio("pcm_s24le", 2)), Tier1080p, ModeTranscode, true, false, 1920, 1080, Tier1080p, "", "PCM audio cannot be stored in MP4"},
		{"vorbis audio encoded", media(video("vp8", 640, 360), audio("vorbis", 2)), Tier1080p, ModeTranscode, false, false, 640, 360, Tier720p, "libx264", "Vorbis audio"},
		{"audio-only aac copied", media(nil, audio("aac", 2)), Tier1080p, ModeAudioOnly, false, true, 0, 0, TierAudioOnly, "", ""},
		{"audio-only pcm encoded", media(nil, audio("pcm_s16le", 1)), Tier1080p, ModeAudioOnly, false, false, 0, 0, TierAudioOnly, "", "PCM"},
		{"default tier is 1080p", media(video("h264", 2560, 1440), nil), "", ModeTranscode, false, false, 1920, 1080, Tier1080p, "libx264", "1080p"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanMaster(tc.info, tc.tier, QualityBasic)
			if err != nil {
				t.Fatal(err)
			}
			if p.Mode != tc.mode || p.VideoCopy != tc.videoCopy || p.AudioCopy != tc.audioCopy {
				t.Errorf("mode %s videoCopy %v audioCopy %v, want %s %v %v (%s)", p.Mode, p.VideoCopy, p.AudioCopy, tc.mode, tc.videoCopy, tc.audioCopy, p.Reason)
			}
			if p.Width != tc.w || p.Height != tc.h || p.ResolutionTier != tc.resultTier {
				t.Errorf("master %dx%d %s, want %dx%d %s", p.Width, p.Height, p.ResolutionTier, tc.w, tc.h, tc.resultTier)
			}
			if tc.encoder != "" && p.Video.Encoder != tc.encoder {
				t.Errorf("encoder %q, want %q", p.Video.Encoder, tc.encoder)
			}
			if !strings.Contains(p.Reason, tc.reasonContains) || (tc.mode == ModeRemux && p.Reason != "") {
				t.Errorf("reason %q, want it to contain %q", p.Reason, tc.reasonContains)
			}
		})
	}
}

func TestPlanMasterQualities(t *testing.T) {
	cases := []struct {
		quality, preset string
		crf             int
	}{
		{QualityBasic, "veryfast", 23}, {QualityPlus, "veryfast", 18}, {QualityPremium, "medium", 16}, {"", "veryfast", 18},
	}
	for _, tc := range cases {
		p, err := PlanMaster(media(video("prores", 1920, 1080), nil), Tier1080p, tc.quality)
		if err != nil {
			t.Fatal(err)
		}
		if p.Video.Preset != tc.preset || p.Video.CRF != tc.crf {
			t.Errorf("quality %q: %s crf %d, want %s crf %d", tc.quality, p.Video.Preset, p.Video.CRF, tc.preset, tc.crf)
		}
	}
}

func TestPlanMasterErrors(t *testing.T) {
	subtitles := &Info{FormatName: "matroska,webm", Streams: []Stream{{Index: 0, Type: "subtitle", Codec: "subrip"}}}
	still := media(video("mjpeg", 4000, 3000), nil)
	still.FormatName = "jpeg_pipe"
	cases := []struct {
		name          string
		info          *Info
		tier, quality string
		kind          string
	}{
		{"no video or audio", subtitles, Tier1080p, QualityBasic, KindNoVideoOrAudio},
		{"still image", still, Tier1080p, QualityBasic, KindNotMedia},
		{"unknown tier", media(video("h264", 640, 360), nil), "4k", QualityBasic, KindUnsupported},
		{"720p is not a maximum", media(video("h264", 640, 360), nil), Tier720p, QualityBasic, KindUnsupported},
		{"unknown quality", media(video("h264", 640, 360), nil), Tier1080p, "ultra", KindUnsupported},
		{"no picture size", media(video("h264", 0, 0), nil), Tier1080p, QualityBasic, KindUnsupported},
	}
	for _, tc := range cases {
		_, err := PlanMaster(tc.info, tc.tier, tc.quality)
		var me *Error
		if !errors.As(err, &me) || me.Kind != tc.kind || me.Message == "" {
			t.Errorf("%s: err %v, want %s", tc.name, err, tc.kind)
		}
	}
}

func TestPlanAudioEncoding(t *testing.T) {
	cases := []struct {
		channels, sampleRate, wantRate, wantSampleRate int
	}{
		{1, 48000, 128_000, 0}, {2, 44100, 256_000, 0}, {6, 48000, 384_000, 0}, {8, 48000, 512_000, 0},
		{2, 192000, 256_000, 48000}, {2, 37800, 256_000, 48000},
	}
	for _, tc := range cases {
		a := audio("vorbis", tc.channels)
		a.SampleRate = tc.sampleRate
		p, err := PlanMaster(media(nil, a), Tier1080p, QualityBasic)
		if err != nil {
			t.Fatal(err)
		}
		if p.Audio.BitRate != tc.wantRate || p.Audio.Channels != tc.channels || p.Audio.SampleRate != tc.wantSampleRate {
			t.Errorf("%d ch %d Hz: %+v, want %d b/s, %d ch, rate %d", tc.channels, tc.sampleRate, p.Audio, tc.wantRate, tc.channels, tc.wantSampleRate)
		}
	}
}

func TestPlanArgs(t *testing.T) {
	input := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y",
		"-protocol_whitelist", "file", "-format_whitelist", formatWhitelist, "-f", "mov", "-i", "file:in.mov"}
	tail := []string{"-movflags", "+faststart+use_metadata_tags", "-max_muxing_queue_size", "4096", "-progress", "pipe:1", "-nostats",
		"-f", "mp4", "file:out.mp4.part"}
	remux, _ := PlanMaster(media(video("hevc", 1920, 1080), audio("aac", 2)), Tier1080p, QualityBasic)
	want := join(input, []string{"-map", "0:0", "-map", "0:1", "-map_metadata", "0", "-map_chapters", "-1",
		"-c:0", "copy", "-tag:0", "hvc1", "-c:1", "copy"}, tail)
	if got := remux.Args("in.mov", "out.mp4.part"); !slices.Equal(got, want) {
		t.Errorf("remux args\n got %q\nwant %q", got, want)
	}

	src := tenBit(rotated(video("prores", 3840, 2160), 90))
	src.ColorPrimaries, src.ColorTransfer, src.ColorSpace, src.ColorRange = "bt2020", "smpte2084", "bt2020nc", "tv"
	src.MasteringDisplay = &MasteringDisplay{RedX: 34000, RedY: 16000, GreenX: 13250, GreenY: 34500, BlueX: 7500, BlueY: 3000,
		WhiteX: 15635, WhiteY: 16450, MaxLuminance: 10000000, MinLuminance: 1}
	src.ContentLight = &ContentLight{MaxCLL: 1000, MaxFALL: 400}
	flac := audio("flac", 2)
	flac.BitsPerSample = 24
	transcode, _ := PlanMaster(media(src, flac), Tier1080p, QualityPremium)
	want = join(input, []string{"-map", "0:0", "-map", "0:1", "-map_metadata", "0", "-map_chapters", "-1",
		"-c:0", "libx265", "-preset:0", "medium", "-crf:0", "18", "-profile:0", "main10", "-pix_fmt:0", "yuv420p10le",
		"-filter:0", "scale=1080:1920:out_range=tv", "-fps_mode:0", "passthrough",
		"-color_primaries:0", "bt2020", "-color_trc:0", "smpte2084", "-colorspace:0", "bt2020nc", "-color_range:0", "tv",
		"-x265-params:0", "log-level=error:hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400",
		"-tag:0", "hvc1",
		"-c:1", "alac", "-sample_fmt:1", "s32p"}, tail)
	if got := transcode.Args("in.mov", "out.mp4.part"); !slices.Equal(got, want) {
		t.Errorf("transcode args\n got %q\nwant %q", got, want)
	}

	// Cover art stored as the first video stream is kept as cover art, never as the picture.
	withCover := &Info{FormatName: "mp3", Streams: []Stream{{Index: 0, Type: "video", Codec: "mjpeg", AttachedPic: true, Width: 500, Height: 500},
		{Index: 1, Type: "audio", Codec: "vorbis", Channels: 2}}}
	withCover.Audio = &withCover.Streams[1]
	audioOnly, err := PlanMaster(withCover, Tier1080p, QualityBasic)
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Join(audioOnly.Args("a.mp3", "m.mp4"), " ")
	if !strings.Contains(args, "-map 0:0 -map 0:1 ") || !strings.Contains(args, "-c:0 copy -disposition:0 attached_pic -c:1 aac -b:1 256000 -ac:1 2 ") ||
		audioOnly.Mode != ModeAudioOnly || audioOnly.VideoIndex != -1 {
		t.Errorf("audio-only plan %s args %q: want cover art kept as a picture, audio encoded to AAC", audioOnly.Mode, args)
	}
}

func TestResolutionTierFor(t *testing.T) {
	cases := []struct {
		w, h int
		want string
	}{
		{0, 0, TierAudioOnly}, {320, 240, Tier720p}, {1280, 720, Tier720p}, {720, 1280, Tier720p},
		{1280, 721, Tier1080p}, {1920, 1080, Tier1080p}, {1080, 1920, Tier1080p}, {1440, 1080, Tier1080p},
		{1920, 1200, Tier1440p}, {2560, 1440, Tier1440p}, {3840, 2160, Tier2160p}, {4096, 2160, Tier2160p},
		{7680, 4320, Tier2160p},
	}
	for _, tc := range cases {
		if got := ResolutionTierFor(tc.w, tc.h); got != tc.want {
			t.Errorf("ResolutionTierFor(%d, %d) = %s, want %s", tc.w, tc.h, got, tc.want)
		}
	}
}

func TestDisplaySize(t *testing.T) {
	for _, tc := range []struct{ rot, w, h int }{{0, 1920, 1080}, {90, 1080, 1920}, {180, 1920, 1080}, {270, 1080, 1920}} {
		if w, h := (Stream{Width: 1920, Height: 1080, Rotation: tc.rot}).DisplaySize(); w != tc.w || h != tc.h {
			t.Errorf("rotation %d: %dx%d, want %dx%d", tc.rot, w, h, tc.w, tc.h)
		}
	}
}

func TestLosslessAudioNeverRemixes(t *testing.T) {
	cases := []struct {
		codec, layout string
		channels      int
		action, out   string
	}{
		{"pcm_s24le", "mono", 1, ActionEncode, "alac"},
		{"pcm_s24le", "", 2, ActionEncode, "alac"},
		{"pcm_s16le", "5.1(side)", 6, ActionEncode, "alac"},
		{"pcm_s24le", "7.1", 8, ActionEncode, "flac"},
		{"pcm_s24le", "", 8, ActionEncode, "flac"},
		{"pcm_s24le", "quad", 4, ActionEncode, "flac"},
		{"flac", "stereo", 2, ActionEncode, "alac"},
		{"flac", "7.1", 8, ActionCopy, "flac"},
		{"truehd", "5.1", 6, ActionEncode, "alac"},
	}
	for _, tc := range cases {
		a := audio(tc.codec, tc.channels)
		a.ChannelLayout = tc.layout
		p, err := PlanMaster(media(video("h264", 320, 240), a), Tier1080p, QualityBasic)
		if err != nil {
			t.Fatal(err)
		}
		sp := p.Streams[1]
		if sp.Action != tc.action || sp.Codec != tc.out || p.Experimental != (tc.out == "flac") {
			t.Errorf("%s %q: %s to %s (experimental %v), want %s to %s", tc.codec, tc.layout, sp.Action, sp.Codec, p.Experimental, tc.action, tc.out)
		}
	}
	a := audio("pcm_s24le", 9)
	if _, err := PlanMaster(media(nil, a), Tier1080p, QualityBasic); err == nil {
		t.Errorf("9-channel lossless track planned, want a clear refusal")
	}
}
