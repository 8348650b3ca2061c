package media

import (
	"fmt"
	"regexp"
	"strings"
)

// allowedDemuxers are the container formats a camera, phone, editor, recorder or encoder
// writes: everything else (playlists such as HLS and concat lists, image sequences, text
// shown as pictures, raw dumps) is refused as not a video. It is an allow-list, passed to
// ffprobe and ffmpeg as -format_whitelist, so a demuxer that can open other files or URLs
// is never even started on a user's file. Names are ffmpeg demuxer names; "mov" covers
// mov/mp4/m4a/3gp, "matroska" covers webm.
var allowedDemuxers = []string{
	"mov", "matroska", "mxf", "mpegts", "mpeg", "avi", "flv", "asf", "dv", "gxf",
	"wav", "w64", "aiff", "caf", "flac", "mp3", "ogg", "aac", "ac3", "eac3",
}

// formatWhitelist is allowedDemuxers in ffmpeg's -format_whitelist spelling.
var formatWhitelist = strings.Join(allowedDemuxers, ",")

// Picture and duration bounds: the largest tier is 2160p, and a source up to 8K (DCI,
// 8192x4320) is the largest worth scaling down to it. Larger pictures are refused before
// ffmpeg allocates frames for them (one claiming 8192x8192 drove ffmpeg to ~1 GB).
const (
	MaxSourceLongSide  = 8192
	MaxSourceShortSide = 4320
	MaxSourceDuration  = 24 * 3600 // seconds
)

// inputArgs are the arguments that open a user's file: only the file protocol, only the
// allowed demuxers, and demuxer forced once it is known (format is a probed FormatName,
// or "" to let ffmpeg probe among the allowed ones).
func inputArgs(path, format string) []string {
	a := []string{"-protocol_whitelist", "file", "-format_whitelist", formatWhitelist}
	if d := demuxerName(format); d != "" {
		a = append(a, "-f", d)
	}
	return append(a, "-i", fileURL(path))
}

// demuxerName is the first name of a probed format ("mov" of "mov,mp4,m4a,3gp,3g2,mj2"),
// only when it is on the allow-list.
func demuxerName(format string) string {
	first, _, _ := strings.Cut(format, ",")
	for _, d := range allowedDemuxers {
		if first == d {
			return d
		}
	}
	return ""
}

// formatAllowed reports whether a probed FormatName is on the allow-list.
func formatAllowed(format string) bool {
	for _, name := range strings.Split(format, ",") {
		for _, d := range allowedDemuxers {
			if name == d {
				return true
			}
		}
	}
	return false
}

// checkFormat refuses a probed format that is not on the allow-list (ffprobe's own
// whitelist already does; this keeps the rule in one place for callers that build an
// Info themselves).
func checkFormat(format string) *Error {
	if formatAllowed(format) {
		return nil
	}
	return notAVideoFormat(format)
}

// refusedFormat finds the demuxer ffmpeg named when refusing a file:
// "[hls @ 0x55...] Format not on whitelist '...'".
var refusedFormat = regexp.MustCompile(`\[(\w+) @ 0x[0-9a-f]+\] Format not on whitelist`)

// formatNames says what common refused formats are, in words.
var formatNames = map[string]string{
	"hls": "an HLS playlist", "concat": "a concat list", "image2": "a still image",
	"tty": "a text file", "bin": "unrecognised data", "bintext": "unrecognised data",
	"dash": "a DASH manifest", "mpjpeg": "a Motion JPEG stream",
}

func notAVideoFormat(format string) *Error {
	what := formatNames[format]
	if what == "" && strings.HasSuffix(format, "_pipe") {
		what = "a still image"
	}
	if what == "" {
		what = fmt.Sprintf("the %q format", format)
	}
	return &Error{Kind: KindNotMedia, Message: "not a video file: it is " + what +
		", not a format a camera, phone, editor or encoder writes"}
}

// checkBounds refuses a picture larger than 8K or a duration over a day, before any
// decoder allocates for it.
func checkBounds(info *Info) *Error {
	for _, s := range info.Streams {
		if s.Type != "video" || s.AttachedPic {
			continue
		}
		long, short := max(s.Width, s.Height), min(s.Width, s.Height)
		if long > MaxSourceLongSide || short > MaxSourceShortSide {
			return &Error{Kind: KindTooLarge, Message: fmt.Sprintf(
				"the picture is %dx%d; Reelvault takes videos up to %dx%d (8K)", s.Width, s.Height, MaxSourceLongSide, MaxSourceShortSide)}
		}
	}
	if info.Duration > MaxSourceDuration {
		return &Error{Kind: KindTooLarge, Message: fmt.Sprintf(
			"the video is %.1f hours long; Reelvault takes videos up to 24 hours", info.Duration/3600)}
	}
	return nil
}
