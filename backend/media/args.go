package media

import (
	"fmt"
	"strconv"
)

// Args renders the plan as ffmpeg's full argv (without "ffmpeg") writing exactly to output
// as MP4, whatever its extension, with machine-readable progress on stdout.
func (p Plan) Args(input, output string) []string {
	a := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", fileURL(input)}
	// Absolute stream indexes rather than 0:v:0, so cover art stored as video is never picked.
	if p.VideoIndex >= 0 {
		a = append(a, "-map", fmt.Sprintf("0:%d", p.VideoIndex))
	}
	if p.AudioIndex >= 0 {
		a = append(a, "-map", fmt.Sprintf("0:%d", p.AudioIndex))
	}
	if p.VideoIndex >= 0 {
		a = append(a, p.videoArgs()...)
	}
	if p.AudioIndex >= 0 {
		a = append(a, p.audioArgs()...)
	}
	if p.Experimental {
		a = append(a, "-strict", "experimental")
	}
	return append(a,
		"-movflags", "+faststart",
		// Sparse streams (a long silence, a late first video frame) otherwise abort with
		// "Too many packets buffered for output stream".
		"-max_muxing_queue_size", "4096",
		"-progress", "pipe:1", "-nostats",
		"-f", "mp4", fileURL(output))
}

func (p Plan) videoArgs() []string {
	var a []string
	if p.VideoCopy {
		a = []string{"-c:v", "copy"}
	} else {
		v := p.Video
		a = []string{"-c:v", v.Encoder, "-preset", v.Preset, "-crf", strconv.Itoa(v.CRF),
			"-profile:v", v.Profile, "-pix_fmt", v.PixFmt,
			// ffmpeg autorotates before this filter, so the size is in display orientation
			// and the master's pixels are upright (no display matrix needed).
			"-vf", scaleFilter(p.Width, p.Height, v.ColorRange),
			// Timestamps pass through untouched: the frame rate (also a variable one) is kept.
			"-fps_mode", "passthrough"}
		a = appendIf(a, "-color_primaries", v.ColorPrimaries)
		a = appendIf(a, "-color_trc", v.ColorTransfer)
		a = appendIf(a, "-colorspace", v.ColorSpace)
		a = appendIf(a, "-color_range", v.ColorRange)
		if v.Encoder == "libx265" {
			// x265 prints its own banner and stats to stderr otherwise, drowning real errors.
			a = append(a, "-x265-params", "log-level=error")
		}
	}
	if p.VideoTag != "" {
		a = append(a, "-tag:v", p.VideoTag)
	}
	return a
}

// scaleFilter resizes to the exact even size; when the source range is known it is kept,
// otherwise swscale would turn full-range (JPEG-style) sources into limited range while
// the copied tag still said "pc".
func scaleFilter(w, h int, colorRange string) string {
	f := fmt.Sprintf("scale=%d:%d", w, h)
	if colorRange == "pc" || colorRange == "tv" {
		f += ":out_range=" + colorRange
	}
	return f
}

func (p Plan) audioArgs() []string {
	if p.AudioCopy {
		return []string{"-c:a", "copy"}
	}
	a := []string{"-c:a", p.Audio.Encoder, "-b:a", strconv.Itoa(p.Audio.BitRate), "-ac", strconv.Itoa(p.Audio.Channels)}
	if p.Audio.SampleRate > 0 {
		a = append(a, "-ar", strconv.Itoa(p.Audio.SampleRate))
	}
	return a
}

func appendIf(a []string, flag, value string) []string {
	if value == "" {
		return a
	}
	return append(a, flag, value)
}
