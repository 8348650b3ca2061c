package media

import (
	"strings"
	"testing"
)

func TestRemux1080pH264AACIsBitIdentical(t *testing.T) {
	requireFFmpeg(t)
	// No +faststart on the input: the master must gain it.
	in := makeClip(t, "camera.mp4", join(lavfiVideo("1920x1080", "25", "1"), lavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"})...)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeRemux || !plan.VideoCopy || !plan.AudioCopy || plan.Reason != "" {
		t.Fatalf("plan = %+v, want a plain remux", plan)
	}
	if plan.ResolutionTier != Tier1080p || plan.Width != 1920 || plan.Height != 1080 {
		t.Errorf("plan size %dx%d tier %s, want 1920x1080 1080p", plan.Width, plan.Height, plan.ResolutionTier)
	}
	for _, stream := range []string{"0:v:0", "0:a:0"} {
		if got, want := packetsMD5(t, master, stream), packetsMD5(t, in, stream); got != want {
			t.Errorf("%s packets differ: master %s, input %s", stream, got, want)
		}
	}
	out := mustProbe(t, master)
	if !strings.Contains(out.FormatName, "mp4") || out.Video == nil || out.Audio == nil {
		t.Fatalf("master probes as %q with video %v audio %v", out.FormatName, out.Video, out.Audio)
	}
	if out.Video.Width != 1920 || out.Video.Height != 1080 || !near(out.Duration, 1, 0.1) {
		t.Errorf("master %dx%d %.2fs, want 1920x1080 ~1s", out.Video.Width, out.Video.Height, out.Duration)
	}
	assertFaststart(t, master)
	if boxes := topLevelBoxes(t, in); indexOf(boxes, "moov") < indexOf(boxes, "mdat") {
		t.Fatalf("test input already has moov first (%v): the faststart check would prove nothing", boxes)
	}
}

func TestRemuxKeepsPhoneRotation(t *testing.T) {
	requireFFmpeg(t)
	landscape := makeClip(t, "pixels.mp4", join(lavfiVideo("320x180", "25", "1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast"})...)
	// A phone held upright stores landscape pixels plus a 90 degree display matrix.
	phone := makeClip(t, "phone.mp4", "-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90")
	in := mustProbe(t, phone)
	if w, h := in.Video.DisplaySize(); w != 180 || h != 320 {
		t.Fatalf("input display %dx%d (rotation %d), want 180x320", w, h, in.Video.Rotation)
	}

	plan, master := buildMaster(t, phone, Tier1080p, QualityBasic)

	if plan.Mode != ModeRemux || plan.Width != 180 || plan.Height != 320 {
		t.Fatalf("plan %s %dx%d, want remux 180x320", plan.Mode, plan.Width, plan.Height)
	}
	out := mustProbe(t, master)
	if w, h := out.Video.DisplaySize(); w != 180 || h != 320 || out.Video.Rotation != in.Video.Rotation {
		t.Errorf("master displays %dx%d rotation %d, want 180x320 rotation %d", w, h, out.Video.Rotation, in.Video.Rotation)
	}
}

func TestPortrait1080x1920FitsThe1080pTier(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "vertical.mp4", join(lavfiVideo("1080x1920", "10", "0.5"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast"})...)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeRemux || plan.ResolutionTier != Tier1080p {
		t.Fatalf("plan %s tier %s (%s), want remux 1080p", plan.Mode, plan.ResolutionTier, plan.Reason)
	}
	out := mustProbe(t, master)
	if out.Video.Width != 1080 || out.Video.Height != 1920 {
		t.Errorf("master %dx%d, want 1080x1920", out.Video.Width, out.Video.Height)
	}
}

func TestVP9OpusWebmBecomesAPlayableMP4(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "clip.webm", join(lavfiVideo("320x240", "25", "1"), lavfiAudio("1"),
		[]string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus", "-shortest"})...)

	plan, master := buildMaster(t, in, Tier1080p, QualityBasic)

	if plan.Mode != ModeRemux {
		t.Errorf("plan %s (%s), want remux: VP9 and Opus are stored in MP4", plan.Mode, plan.Reason)
	}
	out := mustProbe(t, master)
	if !strings.Contains(out.FormatName, "mp4") || out.Video == nil || out.Video.Codec != "vp9" ||
		out.Audio == nil || out.Audio.Codec != "opus" || !near(out.Duration, 1, 0.15) {
		t.Fatalf("master: format %q video %+v audio %+v duration %.2f", out.FormatName, out.Video, out.Audio, out.Duration)
	}
	if got, want := packetsMD5(t, master, "0:v:0"), packetsMD5(t, in, "0:v:0"); got != want {
		t.Errorf("VP9 packets differ after remux")
	}
}
