package media

import "testing"

func TestAudioOnlyInputsMakeAudioOnlyMasters(t *testing.T) {
	requireFFmpeg(t)
	cover := makeClip(t, "cover.png", "-f", "lavfi", "-i", "testsrc2=size=200x200", "-frames:v", "1")
	cases := []struct {
		name      string
		file      string
		args      []string
		wantCopy  bool
		wantCodec string
		cover     bool
	}{
		{"aac in m4a is copied", "voice.m4a", join(lavfiAudio("2"), []string{"-c:a", "aac"}), true, "aac", false},
		{"pcm wav is kept lossless as alac", "voice.wav", join(lavfiAudio("2"), []string{"-c:a", "pcm_s16le"}), false, "alac", false},
		{"flac is kept lossless as alac", "voice.flac", join(lavfiAudio("2"), []string{"-c:a", "flac"}), false, "alac", false},
		{"mp3 with cover art stays audio-only, cover kept", "song.mp3", join(lavfiAudio("2"), []string{"-i", cover,
			"-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "png", "-disposition:v", "attached_pic"}), true, "mp3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := makeClip(t, tc.file, tc.args...)
			plan, master := buildMaster(t, in, Tier1080p, QualityBasic)
			if plan.Mode != ModeAudioOnly || plan.ResolutionTier != TierAudioOnly || plan.AudioCopy != tc.wantCopy ||
				plan.Width != 0 || plan.VideoIndex != -1 {
				t.Fatalf("plan %+v, want audio-only with copy=%v", plan, tc.wantCopy)
			}
			out := mustProbe(t, master)
			covers := 0
			for _, s := range out.Streams {
				if s.AttachedPic {
					covers++
				}
			}
			if len(streamsOf(out, "audio")) != 1 || out.Audio.Codec != tc.wantCodec || out.Video != nil || (covers == 1) != tc.cover {
				t.Fatalf("master streams %+v, want a single %s stream (cover art: %v)", out.Streams, tc.wantCodec, tc.cover)
			}
			if !near(out.Duration, 2, 0.1) {
				t.Errorf("master lasts %.2fs, want ~2s", out.Duration)
			}
			if tc.wantCopy && packetsMD5(t, master, "0:a:0") != packetsMD5(t, in, "0:a:0") {
				t.Errorf("audio packets differ, want them copied")
			}
			if !tc.wantCopy && decodedAudioMD5(t, master, "0:a:0") != decodedAudioMD5(t, in, "0:a:0") {
				t.Errorf("lossless audio decodes to other samples than the source")
			}
		})
	}
}
