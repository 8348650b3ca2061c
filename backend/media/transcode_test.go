package media

import (
	"strings"
	"testing"
)

func Test2160pClipAgainstTiers(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "uhd.mp4", join(lavfiVideo("3840x2160", "10", "1"), lavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"})...)

	t.Run("1080p tier scales down", func(t *testing.T) {
		plan, master := buildMaster(t, in, Tier1080p, QualityBasic)
		if plan.Mode != ModeTranscode || plan.VideoCopy || !plan.AudioCopy {
			t.Fatalf("plan %+v, want video transcode with audio copied", plan)
		}
		if !strings.Contains(plan.Reason, "3840x2160 is larger than the 1080p master size") {
			t.Errorf("reason %q does not say why", plan.Reason)
		}
		out := mustProbe(t, master)
		if out.Video.Width != 1920 || out.Video.Height != 1080 || out.Video.Codec != "h264" {
			t.Errorf("master video %s %dx%d, want h264 1920x1080", out.Video.Codec, out.Video.Width, out.Video.Height)
		}
		if !near(out.Video.FrameRate, 10, 0.01) || !near(out.Duration, 1, 0.15) {
			t.Errorf("master %.3f fps %.2fs, want the input's 10 fps and ~1s", out.Video.FrameRate, out.Duration)
		}
		if out.Video.BitDepth != 8 || out.Video.PixFmt != "yuv420p" {
			t.Errorf("master %s (%d-bit), want 8-bit yuv420p", out.Video.PixFmt, out.Video.BitDepth)
		}
		if got, want := packetsMD5(t, master, "0:a:0"), packetsMD5(t, in, "0:a:0"); got != want {
			t.Errorf("AAC audio was re-encoded, want copied")
		}
		assertFaststart(t, master)
	})

	t.Run("2160p tier remuxes", func(t *testing.T) {
		plan, master := buildMaster(t, in, Tier2160p, QualityBasic)
		if plan.Mode != ModeRemux || plan.ResolutionTier != Tier2160p {
			t.Fatalf("plan %s tier %s, want remux 2160p", plan.Mode, plan.ResolutionTier)
		}
		out := mustProbe(t, master)
		if out.Video.Width != 3840 || out.Video.Height != 2160 {
			t.Errorf("master %dx%d, want 3840x2160", out.Video.Width, out.Video.Height)
		}
		if packetsMD5(t, master, "0:v:0") != packetsMD5(t, in, "0:v:0") {
			t.Errorf("video packets differ after remux")
		}
	})

	t.Run("rotated phone clip stays portrait", func(t *testing.T) {
		phone := makeClip(t, "phone.mp4", "-i", in, "-c", "copy", "-metadata:s:v:0", "rotate=90")
		plan, master := buildMaster(t, phone, Tier1080p, QualityBasic)
		if plan.Mode != ModeTranscode || plan.Width != 1080 || plan.Height != 1920 {
			t.Fatalf("plan %s %dx%d, want transcode to 1080x1920", plan.Mode, plan.Width, plan.Height)
		}
		out := mustProbe(t, master)
		// Upright pixels: portrait storage and no rotation left for the player to apply.
		if out.Video.Width != 1080 || out.Video.Height != 1920 || out.Video.Rotation != 0 {
			t.Errorf("master %dx%d rotation %d, want upright 1080x1920", out.Video.Width, out.Video.Height, out.Video.Rotation)
		}
	})
}

func TestProRes10BitIsTranscodedKeepingDepthAndColour(t *testing.T) {
	requireFFmpeg(t)
	// HLG-tagged 10-bit 4:2:2 ProRes, the kind a camera or editor exports.
	in := makeClip(t, "edit.mov", join(lavfiVideo("320x240", "25", "1"), lavfiAudio("1"),
		// prores_ks takes colour from the frames, not from -color_* options.
		[]string{"-vf", "setparams=color_primaries=bt2020:color_trc=arib-std-b67:colorspace=bt2020nc:range=tv",
			"-c:v", "prores_ks", "-profile:v", "hq", "-pix_fmt", "yuv422p10le", "-c:a", "pcm_s24le", "-shortest"})...)
	src := mustProbe(t, in)
	if src.Video.Codec != "prores" || src.Video.BitDepth != 10 || src.Video.ColorTransfer != "arib-std-b67" {
		t.Fatalf("test input is %s %d-bit trc %q, want tagged 10-bit ProRes", src.Video.Codec, src.Video.BitDepth, src.Video.ColorTransfer)
	}

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeTranscode || plan.VideoCopy || plan.AudioCopy {
		t.Fatalf("plan %+v, want video and audio transcoded", plan)
	}
	if !strings.Contains(plan.Reason, "ProRes cannot be stored in MP4") {
		t.Errorf("reason %q does not name ProRes", plan.Reason)
	}
	out := mustProbe(t, master)
	v := out.Video
	if v.Codec != "hevc" || v.BitDepth != 10 || v.PixFmt != "yuv422p10le" || v.Width != 320 || v.Height != 240 {
		t.Errorf("master video %s %s %d-bit %dx%d, want hevc yuv422p10le 10-bit 320x240", v.Codec, v.PixFmt, v.BitDepth, v.Width, v.Height)
	}
	if v.ColorPrimaries != "bt2020" || v.ColorTransfer != "arib-std-b67" || v.ColorSpace != "bt2020nc" || v.ColorRange != "tv" {
		t.Errorf("master colour %s/%s/%s/%s, want bt2020/arib-std-b67/bt2020nc/tv", v.ColorPrimaries, v.ColorTransfer, v.ColorSpace, v.ColorRange)
	}
	if tag := codecTag(t, master, 0); tag != "hvc1" {
		t.Errorf("HEVC sample entry %q, want hvc1 (Apple players refuse hev1)", tag)
	}
	if !near(v.FrameRate, 25, 0.01) {
		t.Errorf("master %.3f fps, want 25", v.FrameRate)
	}
	if out.Audio == nil || out.Audio.Codec != "alac" || out.Audio.Channels != 1 || out.Audio.BitsPerSample != 24 {
		t.Errorf("master audio %+v, want mono 24-bit ALAC", out.Audio)
	}
}

func TestPCMAudioInMovBecomesALACKeepingChannelsAndVideo(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "recorder.mov", join(lavfiVideo("320x240", "25", "1"), lavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s16le", "-ac", "6", "-shortest"})...)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeTranscode || !plan.VideoCopy || plan.AudioCopy || plan.Audio.Encoder != "alac" {
		t.Fatalf("plan %+v, want video copied and 5.1 audio to ALAC", plan)
	}
	if !strings.Contains(plan.Reason, "PCM audio cannot be stored in MP4") {
		t.Errorf("reason %q does not say PCM", plan.Reason)
	}
	out := mustProbe(t, master)
	if out.Audio == nil || out.Audio.Codec != "alac" || out.Audio.Channels != 6 || out.Audio.ChannelLayout != "5.1" {
		t.Fatalf("master audio %+v, want 5.1 ALAC", out.Audio)
	}
	if decodedAudioMD5(t, master, "0:a:0") != decodedAudioMD5(t, in, "0:a:0") {
		t.Errorf("5.1 audio decodes to other samples than the source")
	}
	if packetsMD5(t, master, "0:v:0") != packetsMD5(t, in, "0:v:0") {
		t.Errorf("video packets differ: the video should have been copied")
	}
}

func TestFullRangeSourceKeepsItsRange(t *testing.T) {
	requireFFmpeg(t)
	// Motion JPEG from a webcam or old camera: full-range 8-bit, not storable in MP4.
	in := makeClip(t, "webcam.avi", join(lavfiVideo("320x240", "25", "1"),
		[]string{"-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "3"})...)
	src := mustProbe(t, in)
	if src.Video.ColorRange != "pc" {
		t.Fatalf("test input range %q, want pc", src.Video.ColorRange)
	}

	_, master := buildMaster(t, in, Tier1080p, QualityPlus)

	out := mustProbe(t, master)
	if out.Video.Codec != "h264" || out.Video.ColorRange != "pc" {
		t.Errorf("master %s range %q, want h264 tagged pc", out.Video.Codec, out.Video.ColorRange)
	}
	// The tag must match the pixels: compare the decoded pictures with the source.
	if psnr := averagePSNR(t, master, in); psnr < 30 {
		t.Errorf("master vs source PSNR %.1f dB, want >= 30 (range converted but tagged otherwise?)", psnr)
	}
}
