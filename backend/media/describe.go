package media

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// InputFile describes an original as Mux's input-info does ("file": container format and
// tracks), from its probe. It is kept with the asset at ingest, because the original may
// be gone later.
type InputFile struct {
	ContainerFormat string
	// Container is the format as editors name it ("MP4", "MOV", "MXF"): ffprobe's name of the
	// QuickTime family ("mov,mp4,m4a,3gp,3g2,mj2") is the same for an MP4 and a MOV, and only
	// the file's brand tells them apart. Empty in descriptions kept before it was recorded.
	Container string `json:",omitempty"`
	Tracks    []InputTrack
	// CapturedAt is when the camera or recorder says the file was made (the container's
	// creation time, RFC 3339 in UTC); empty when it does not say or says nonsense.
	CapturedAt string `json:",omitempty"`
	// Size is the file's length in bytes when it was probed (0 in descriptions kept before
	// it was recorded, and when ffprobe does not say).
	Size int64 `json:",omitempty"`
	// Reel is the reel (tape or card) name of the timecode track or the container;
	// CameraMake and CameraModel name the camera the container says recorded it.
	Reel        string `json:",omitempty"`
	CameraMake  string `json:",omitempty"`
	CameraModel string `json:",omitempty"`
}

// InputTrack is one track of the original: Mux's fields (type, duration, encoding, size,
// frame rate, sample rate and size, channels) and the language.
type InputTrack struct {
	Type       string // "video" | "audio" | "text" (subtitles) | "data" | "attachment"
	Duration   float64
	Encoding   string // ffprobe codec name
	Width      int
	Height     int
	FrameRate  float64
	SampleRate int
	SampleSize int // bits per sample of lossless audio
	Channels   int
	Language   string

	// Reelvault's own facts for the window's source-against-master view.
	Profile        string // "High", "HQ", "Main 10"...
	PixelFormat    string // "yuv422p10le": chroma and bit depth
	BitDepth       int
	ColorPrimaries string
	ColorTransfer  string // "smpte2084" (PQ) / "arib-std-b67" (HLG) mean HDR
	FieldOrder     string
	BitRate        int64
	Timecode       string // the start timecode ("10:00:00:00"), on a video or tmcd track
	// Rotation is the clockwise turn a player gives the picture (0, 90, 180, 270): a phone's
	// 1920×1080 picture turned 90° plays as 1080×1920.
	Rotation int `json:",omitempty"`
	// PixelAspect is the shape of a pixel when it is not square ("4:3": anamorphic HDV's
	// 1440×1080 plays as 1920×1080); "" for square pixels.
	PixelAspect string `json:",omitempty"`
}

// Describe turns a probe into the input-info description, every stream in source order
// (cover art is listed as video, as ffprobe sees it).
func Describe(info *Info) InputFile {
	if info == nil {
		return InputFile{}
	}
	f := InputFile{ContainerFormat: info.FormatName, Container: containerName(info), CapturedAt: capturedAt(info.Tags), Size: max(info.Size, 0),
		Reel: reelName(info), CameraMake: tagText(info.Tags, cameraMakeTags...),
		CameraModel: tagText(info.Tags, cameraModelTags...)}
	for _, s := range info.Streams {
		t := InputTrack{Type: s.Type, Encoding: s.Codec, Language: s.Language, Duration: round3(s.Duration),
			Profile: s.Profile, BitRate: s.BitRate, Timecode: s.Timecode}
		if t.Duration == 0 {
			t.Duration = round3(info.Duration)
		}
		switch s.Type {
		case "video":
			t.Width, t.Height, t.FrameRate = s.Width, s.Height, round3(s.FrameRate)
			t.PixelFormat, t.BitDepth, t.FieldOrder = s.PixFmt, s.BitDepth, s.FieldOrder
			t.ColorPrimaries, t.ColorTransfer = s.ColorPrimaries, s.ColorTransfer
			t.Rotation = s.Rotation
			if n, d := s.PixelAspect[0], s.PixelAspect[1]; n > 0 && d > 0 {
				t.PixelAspect = fmt.Sprintf("%d:%d", n, d)
			}
		case "audio":
			t.SampleRate, t.SampleSize, t.Channels = s.SampleRate, s.BitsPerSample, s.Channels
		case "subtitle":
			t.Type = "text"
		}
		f.Tracks = append(f.Tracks, t)
	}
	return f
}

// containerNames are ffprobe's format names as editors say them; the QuickTime family is
// told apart by its brand (containerName).
var containerNames = map[string]string{
	"mxf": "MXF", "mpegts": "MPEG-TS", "mpeg": "MPEG-PS", "avi": "AVI", "matroska,webm": "Matroska / WebM",
	"wav": "WAV", "w64": "Wave64", "aiff": "AIFF", "flv": "FLV", "mp3": "MP3", "flac": "FLAC", "ogg": "Ogg",
	"dv": "DV", "gxf": "GXF", "asf": "ASF (WMV)", "m4v": "M4V", "h264": "H.264 stream", "hevc": "HEVC stream",
}

// containerName is the format as editors name it: for the QuickTime family, "MOV" for
// QuickTime's brand (or no brand: QuickTime files before ftyp), "M4A", "3GP" or "MP4"
// (ISO, Sony's XAVC, Canon's and the rest); other formats by containerNames, else
// ffprobe's first name in capitals.
func containerName(info *Info) string {
	if strings.HasPrefix(info.FormatName, "mov,mp4,") {
		brand := strings.TrimSpace(info.Tags["major_brand"])
		switch {
		case brand == "" || brand == "qt":
			return "MOV"
		case strings.HasPrefix(brand, "M4A"):
			return "M4A"
		case strings.HasPrefix(brand, "3g2"):
			return "3G2"
		case strings.HasPrefix(brand, "3g"):
			return "3GP"
		case strings.HasPrefix(brand, "mj2"):
			return "Motion JPEG 2000"
		}
		return "MP4"
	}
	if name, ok := containerNames[info.FormatName]; ok {
		return name
	}
	first, _, _ := strings.Cut(info.FormatName, ",")
	return strings.ToUpper(first)
}

// reelName is the reel (tape or card) name the container or its timecode track gives, or "".
func reelName(info *Info) string {
	if r := tagText(info.Tags, "reel_name"); r != "" {
		return r
	}
	for _, s := range info.Streams {
		if r := cleanText(s.Reel); r != "" {
			return r
		}
	}
	return ""
}

// The container tags that name the camera: Apple's QuickTime keys first, then the plain
// ones MP4 writers use.
var (
	cameraMakeTags  = []string{"com.apple.quicktime.make", "make"}
	cameraModelTags = []string{"com.apple.quicktime.model", "model"}
)

// maxTagText bounds a name read from a file's tags: a reel or camera name is short, and
// the file is not trusted to keep it so.
const maxTagText = 100

// tagText is the first of keys the tags give a printable, short value for, trimmed;
// "" when none does.
func tagText(tags map[string]string, keys ...string) string {
	for _, key := range keys {
		if v := cleanText(tags[key]); v != "" {
			return v
		}
	}
	return ""
}

// cleanText is v trimmed, or "" when it is too long or holds unprintable characters.
func cleanText(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > maxTagText || strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return ""
	}
	return v
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// captureTags are the container tags that say when a recording was made, most precise first:
// Apple's creation date keeps the camera's time zone, creation_time is the MP4/MOV header's.
var captureTags = []string{"com.apple.quicktime.creationdate", "creation_time", "date"}

// earliestCapture is older than any digital video file: dates before it are a zeroed
// header (1904, 1970) rather than a recording date.
var earliestCapture = time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC)

// capturedAt is the recording date the tags give, in UTC, or "" when none is believable
// (unparsable, before 1985 or more than a day in the future).
func capturedAt(tags map[string]string) string {
	for _, key := range captureTags {
		v := strings.TrimSpace(tags[key])
		if v == "" || len(v) > 64 {
			continue
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.000000Z", "2006-01-02 15:04:05", "2006-01-02"} {
			t, err := time.Parse(layout, v)
			if err != nil {
				continue
			}
			if t.Before(earliestCapture) || t.After(time.Now().Add(24*time.Hour)) {
				break
			}
			return t.UTC().Format(time.RFC3339)
		}
	}
	return ""
}
