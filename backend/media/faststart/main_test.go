package faststart

import (
	"testing"

	"reelvault/backend/internal/testmedia"
)

var clips = &testmedia.ClipCache{Prefix: "faststart-test-"}

func TestMain(m *testing.M) { testmedia.RunMain(m, clips) }

// Clips made by real ffmpeg; its MP4 and MOV muxers put the index at the end unless told
// otherwise, as cameras do.

// plainClip is H.264 + AAC, index at the end.
func plainClip(t *testing.T) string {
	return clips.Clip(t, "plain.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"),
		testmedia.LavfiAudio("3"), testmedia.H264AAC())...)
}

// tracksClip has a video, two audio tracks (48 and 44.1 kHz) and a timecode track.
func tracksClip(t *testing.T) string {
	return clips.Clip(t, "tracks.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"),
		testmedia.LavfiAudio("3"), []string{"-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100:duration=3"},
		[]string{"-map", "0", "-map", "1", "-map", "2", "-timecode", "10:00:00:00"}, testmedia.H264AAC())...)
}

// editClip is cut with -ss and -c copy from a longer clip: the video starts on the
// keyframe before the cut and an edit list hides the frames before it; the AAC track
// has its own edit list for the encoder's priming samples.
func editClip(t *testing.T) string {
	long := clips.Clip(t, "long.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "4"),
		testmedia.LavfiAudio("4"), testmedia.H264AAC(), []string{"-g", "25"})...)
	return clips.Clip(t, "edit.mp4", "-ss", "1.3", "-i", long, "-c", "copy")
}

// movClip is a QuickTime file (ftyp "qt  ", a wide box before mdat) with a timecode track.
func movClip(t *testing.T) string {
	return clips.Clip(t, "clip.mov", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "3"),
		testmedia.LavfiAudio("3"), []string{"-timecode", "01:02:03:04"}, testmedia.H264AAC(), []string{"-f", "mov"})...)
}

// faststartClip already has its index at the front.
func faststartClip(t *testing.T) string {
	return clips.Clip(t, "faststart.mp4", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "2"),
		testmedia.LavfiAudio("2"), testmedia.H264AAC(), []string{"-movflags", "+faststart"})...)
}
