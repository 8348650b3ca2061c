package media

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// probeTimeout bounds ffprobe; it reads headers only, so even a slow disk answers well
// within it.
const probeTimeout = 30 * time.Second

// Info is what ffprobe says about a file, reduced to what the archive decides with.
type Info struct {
	FormatName     string  // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	FormatLongName string  // e.g. "QuickTime / MOV"
	Duration       float64 // seconds
	Size           int64
	BitRate        int64
	Video          *Stream // the primary video stream (nil if none; attached pictures/cover art ignored)
	Audio          *Stream // the primary audio stream (nil if none)
	Streams        []Stream
	// Tags is the container's metadata as ffprobe names it (creation_time, location,
	// com.apple.quicktime.make, timecode...).
	Tags     map[string]string
	Chapters []Chapter
}

// Chapter is one chapter mark of the container.
type Chapter struct {
	Start, End float64 // seconds
	Title      string
}

// Stream is one stream of the file.
type Stream struct {
	Index          int
	Type           string // "video"|"audio"|"subtitle"|"data"|"attachment"
	Codec          string // ffprobe codec_name
	Profile        string
	Width, Height  int     // coded picture size, before rotation
	FrameRate      float64 // from avg_frame_rate, r_frame_rate as fallback
	PixFmt         string
	BitDepth       int // bits per colour component (8, 10, 12...); 0 for audio
	ColorSpace     string
	ColorTransfer  string
	ColorPrimaries string
	ColorRange     string
	Rotation       int // clockwise degrees the player turns the picture: 0/90/180/270
	// PixelAspect is the width of a pixel against its height ("sample aspect ratio"): 4:3 in
	// anamorphic HDV's 1440×1080, which plays as 16:9. {0, 0} when square or unknown.
	PixelAspect   [2]int
	AttachedPic   bool // cover art stored as a one-frame video stream
	Channels      int
	SampleRate    int
	ChannelLayout string
	Duration      float64
	BitRate       int64

	CodecTag      string // the container's four-character code ("tmcd", "gpmd", "text"...)
	FieldOrder    string // "progressive" | "tt" | "bb" | "tb" | "bt" | "" (unknown)
	SampleFmt     string // audio: ffprobe sample_fmt ("s32", "fltp"...)
	BitsPerSample int    // audio: significant bits per sample of PCM-like codecs (16, 24, 32), 0 if unknown
	Language      string // ISO 639-2 ("eng"), "" when unset or "und"
	Title         string // the track's title, or its handler name when that says something
	Timecode      string // "10:00:00:00" when the stream carries a start timecode
	Reel          string // the reel (tape or card) name a timecode track carries
	Filename      string // attachments: the attached file's name
	// HDR10 static metadata, from the stream or (for HEVC/AV1) its first frame.
	MasteringDisplay *MasteringDisplay
	ContentLight     *ContentLight
}

// MasteringDisplay is SMPTE ST 2086 metadata: chromaticities in units of 1/50000,
// luminance in units of 1/10000 cd/m², the units x265's master-display option takes.
type MasteringDisplay struct {
	RedX, RedY, GreenX, GreenY, BlueX, BlueY, WhiteX, WhiteY int
	MaxLuminance, MinLuminance                               int
}

// ContentLight is CTA-861.3 MaxCLL / MaxFALL in cd/m².
type ContentLight struct{ MaxCLL, MaxFALL int }

// Interlaced reports whether the video is stored as fields.
func (s Stream) Interlaced() bool {
	switch s.FieldOrder {
	case "tt", "bb", "tb", "bt":
		return true
	}
	return false
}

// DisplaySize is width/height after rotation (a 1920x1080 stream rotated 90 is 1080x1920).
func (s Stream) DisplaySize() (w, h int) {
	if s.Rotation == 90 || s.Rotation == 270 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// Probe runs ffprobe (-print_format json -show_format -show_streams -show_chapters) with
// a 30 s timeout, reading only the file itself and only formats on the allow-list (see
// formats.go): a playlist or any other reference format is refused as not a video before
// it can open what it names. Failures are *Error with a message for a person; a cancelled
// ctx yields an error that wraps ctx.Err().
func Probe(ctx context.Context, path string) (*Info, error) {
	if e := checkInput(path); e != nil {
		return nil, e
	}
	out, err := runProbe(ctx, path, "-show_format", "-show_streams", "-show_chapters")
	if err != nil {
		return nil, err
	}
	info, err := parseProbe(out)
	if err != nil {
		return nil, &Error{Kind: KindUnreadable, Message: "ffprobe gave an answer Reelvault could not read", Detail: err.Error()}
	}
	if e := checkFormat(info.FormatName); e != nil {
		return nil, e
	}
	if v := info.Video; v != nil && v.MasteringDisplay == nil && isHDRTransfer(v.ColorTransfer) {
		// HEVC and AV1 carry HDR10 metadata in the bitstream, where only a decoded frame
		// shows it; a re-encode must write it again.
		if frame, err := runProbe(ctx, path, "-select_streams", fmt.Sprintf("%d", v.Index),
			"-read_intervals", "%+#1", "-show_frames"); err == nil {
			readFrameSideData(frame, v)
		}
	}
	return info, nil
}

// runProbe runs ffprobe on path with the given -show options, confined to the file
// protocol and the allowed demuxers.
func runProbe(ctx context.Context, path string, show ...string) ([]byte, error) {
	var out bytes.Buffer
	args := append([]string{"-hide_banner", "-v", "error", "-print_format", "json"}, show...)
	args = append(args, inputArgs(path, "")...)
	res := run(ctx, toolRun{bin: ffprobeBin(), args: args, timeout: probeTimeout, stdout: &out, memLimit: probeMemLimit})
	if res.err != nil {
		return nil, res.failure("ffprobe", probeTimeout, func(stderr string) *Error {
			return classifyInputError(path, stderr)
		})
	}
	return out.Bytes(), nil
}

type sideDataJSON struct {
	Type     string  `json:"side_data_type"`
	Rotation float64 `json:"rotation"`
	// Mastering display metadata: rationals such as "34000/50000".
	RedX   string `json:"red_x"`
	RedY   string `json:"red_y"`
	GreenX string `json:"green_x"`
	GreenY string `json:"green_y"`
	BlueX  string `json:"blue_x"`
	BlueY  string `json:"blue_y"`
	WhiteX string `json:"white_point_x"`
	WhiteY string `json:"white_point_y"`
	MinLum string `json:"min_luminance"`
	MaxLum string `json:"max_luminance"`
	// Content light level metadata.
	MaxContent int `json:"max_content"`
	MaxAverage int `json:"max_average"`
}

// apply records HDR10 side data on the stream.
func (sd sideDataJSON) apply(s *Stream) {
	switch sd.Type {
	case "Mastering display metadata":
		s.MasteringDisplay = &MasteringDisplay{
			RedX: scaled(sd.RedX, 50000), RedY: scaled(sd.RedY, 50000),
			GreenX: scaled(sd.GreenX, 50000), GreenY: scaled(sd.GreenY, 50000),
			BlueX: scaled(sd.BlueX, 50000), BlueY: scaled(sd.BlueY, 50000),
			WhiteX: scaled(sd.WhiteX, 50000), WhiteY: scaled(sd.WhiteY, 50000),
			MaxLuminance: scaled(sd.MaxLum, 10000), MinLuminance: scaled(sd.MinLum, 10000),
		}
	case "Content light level metadata":
		s.ContentLight = &ContentLight{MaxCLL: sd.MaxContent, MaxFALL: sd.MaxAverage}
	}
}

// scaled reads ffprobe's rational ("34000/50000") in units of 1/unit.
func scaled(rational string, unit float64) int {
	return int(math.Round(parseRate(rational) * unit))
}

func readFrameSideData(data []byte, v *Stream) {
	var f struct {
		Frames []struct {
			SideData []sideDataJSON `json:"side_data_list"`
		} `json:"frames"`
	}
	if json.Unmarshal(data, &f) != nil || len(f.Frames) == 0 {
		return
	}
	for _, sd := range f.Frames[0].SideData {
		sd.apply(v)
	}
}

func isHDRTransfer(trc string) bool { return trc == "smpte2084" || trc == "arib-std-b67" }

// ffprobe's JSON; numbers it prints as strings stay strings here and are parsed leniently
// because "N/A" and missing keys are common.
type probeJSON struct {
	Streams []struct {
		Index          int    `json:"index"`
		CodecType      string `json:"codec_type"`
		CodecName      string `json:"codec_name"`
		CodecTag       string `json:"codec_tag_string"`
		Profile        string `json:"profile"`
		Width          int    `json:"width"`
		Height         int    `json:"height"`
		AvgFrameRate   string `json:"avg_frame_rate"`
		RFrameRate     string `json:"r_frame_rate"`
		PixFmt         string `json:"pix_fmt"`
		FieldOrder     string `json:"field_order"`
		SampleAspect   string `json:"sample_aspect_ratio"`
		BitsPerRaw     string `json:"bits_per_raw_sample"`
		BitsPerSample  int    `json:"bits_per_sample"`
		SampleFmt      string `json:"sample_fmt"`
		ColorRange     string `json:"color_range"`
		ColorSpace     string `json:"color_space"`
		ColorTransfer  string `json:"color_transfer"`
		ColorPrimaries string `json:"color_primaries"`
		SampleRate     string `json:"sample_rate"`
		Channels       int    `json:"channels"`
		ChannelLayout  string `json:"channel_layout"`
		Duration       string `json:"duration"`
		BitRate        string `json:"bit_rate"`
		Disposition    struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
		Tags     map[string]string `json:"tags"`
		SideData []sideDataJSON    `json:"side_data_list"`
	} `json:"streams"`
	Format struct {
		FormatName     string            `json:"format_name"`
		FormatLongName string            `json:"format_long_name"`
		Duration       string            `json:"duration"`
		Size           string            `json:"size"`
		BitRate        string            `json:"bit_rate"`
		Tags           map[string]string `json:"tags"`
	} `json:"format"`
	Chapters []struct {
		Start string            `json:"start_time"`
		End   string            `json:"end_time"`
		Tags  map[string]string `json:"tags"`
	} `json:"chapters"`
}

func parseProbe(data []byte) (*Info, error) {
	var p probeJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("decode ffprobe json: %w", err)
	}
	info := &Info{
		FormatName:     p.Format.FormatName,
		FormatLongName: p.Format.FormatLongName,
		Duration:       parseFloat(p.Format.Duration),
		Size:           parseInt(p.Format.Size),
		BitRate:        parseInt(p.Format.BitRate),
		Tags:           p.Format.Tags,
	}
	for _, c := range p.Chapters {
		info.Chapters = append(info.Chapters, Chapter{Start: parseFloat(c.Start), End: parseFloat(c.End), Title: c.Tags["title"]})
	}
	for _, ps := range p.Streams {
		s := Stream{
			Index: ps.Index, Type: ps.CodecType, Codec: ps.CodecName, Profile: ps.Profile,
			Width: ps.Width, Height: ps.Height, PixFmt: ps.PixFmt,
			ColorSpace: known(ps.ColorSpace), ColorTransfer: known(ps.ColorTransfer),
			ColorPrimaries: known(ps.ColorPrimaries), ColorRange: known(ps.ColorRange),
			AttachedPic: ps.Disposition.AttachedPic == 1,
			Channels:    ps.Channels, SampleRate: int(parseInt(ps.SampleRate)), ChannelLayout: known(ps.ChannelLayout),
			Duration: parseFloat(ps.Duration), BitRate: parseInt(ps.BitRate),
			CodecTag: printableTag(ps.CodecTag), SampleFmt: ps.SampleFmt,
			Language: tagLanguage(ps.Tags["language"]), Title: streamTitle(ps.Tags),
			Timecode: ps.Tags["timecode"], Reel: ps.Tags["reel_name"], Filename: ps.Tags["filename"],
		}
		if ps.FieldOrder != "unknown" {
			s.FieldOrder = ps.FieldOrder
		}
		if s.Codec == "dvvideo" && s.FieldOrder == "" {
			// DV is always interlaced, bottom field first (NTSC and PAL), and AVI does not
			// say so.
			s.FieldOrder = "bb"
		}
		switch s.Type {
		case "video":
			s.FrameRate = parseRate(ps.AvgFrameRate)
			if s.FrameRate == 0 {
				s.FrameRate = parseRate(ps.RFrameRate)
			}
			s.BitDepth = bitDepth(ps.PixFmt, ps.BitsPerRaw)
			s.PixelAspect = pixelAspect(ps.SampleAspect)
			s.Rotation = normaliseRotation(parseFloat(ps.Tags["rotate"]))
			for _, sd := range ps.SideData {
				if sd.Type == "Display Matrix" {
					// The matrix angle is counter-clockwise; the rotate tag (and Rotation) clockwise.
					s.Rotation = normaliseRotation(-sd.Rotation)
				}
				sd.apply(&s)
			}
		case "audio":
			s.BitsPerSample = audioBits(ps.CodecName, int(parseInt(ps.BitsPerRaw)), ps.BitsPerSample)
		}
		info.Streams = append(info.Streams, s)
	}
	for i := range info.Streams {
		s := &info.Streams[i]
		if s.Type == "video" && !s.AttachedPic && info.Video == nil {
			info.Video = s
		}
		if s.Type == "audio" && info.Audio == nil {
			info.Audio = s
		}
	}
	if info.Duration == 0 {
		for _, s := range info.Streams {
			info.Duration = math.Max(info.Duration, s.Duration)
		}
	}
	return info, nil
}

// printableTag drops ffprobe's "[0][0][0][0]" spelling of an unset tag.
func printableTag(tag string) string {
	if strings.Contains(tag, "[") {
		return ""
	}
	return tag
}

func tagLanguage(l string) string {
	if l == "und" {
		return ""
	}
	return l
}

// streamTitle is the track's title; muxers' default handler names say nothing and are
// left out.
func streamTitle(tags map[string]string) string {
	if t := tags["title"]; t != "" {
		return t
	}
	switch h := tags["handler_name"]; h {
	case "", "VideoHandler", "SoundHandler", "SubtitleHandler", "TimeCodeHandler", "DataHandler",
		"Core Media Video", "Core Media Audio", "Core Media Data", "Core Media Metadata", "Apple Video Media Handler",
		"Apple Sound Media Handler", "Apple Alias Data Handler", "GoPro AVC", "GoPro AAC", "GoPro TCD", "GoPro MET", "ISO Media file produced by Google Inc.":
		return ""
	default:
		return h
	}
}

// audioBits is the sample precision of lossless audio: what a lossless master must keep.
func audioBits(codec string, bitsPerRaw, bitsPerSample int) int {
	if bitsPerRaw > 0 {
		return bitsPerRaw
	}
	if m := pcmBits.FindStringSubmatch(codec); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return bitsPerSample
}

var pcmBits = regexp.MustCompile(`^pcm_[suf](\d+)`)

// known drops ffprobe's placeholders so that only real colour tags are ever copied.
func known(v string) string {
	switch v {
	case "", "unknown", "unspecified", "reserved":
		return ""
	}
	return v
}

// depthInPixFmt finds the component depth in names such as yuv420p10le, gray12le, p010le.
var depthInPixFmt = regexp.MustCompile(`(?:p|gray|x2rgb|x2bgr|y)0?(\d{1,2})(?:le|be)$`)

// bitDepth reads the per-component depth from the pixel format; bits_per_raw_sample is
// the fallback because several decoders leave it unset.
func bitDepth(pixFmt, bitsPerRaw string) int {
	if m := depthInPixFmt.FindStringSubmatch(pixFmt); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 8 {
			return n
		}
	}
	if strings.HasPrefix(pixFmt, "rgb48") || strings.HasPrefix(pixFmt, "bgr48") ||
		strings.HasPrefix(pixFmt, "rgba64") || strings.HasPrefix(pixFmt, "bgra64") {
		return 16
	}
	if n := int(parseInt(bitsPerRaw)); n > 0 {
		return n
	}
	return 8
}

// pixelAspect reads ffprobe's sample_aspect_ratio ("4:3"); {0, 0} for square pixels, "0:1"
// (unknown) and anything out of range.
func pixelAspect(v string) [2]int {
	n, d, ok := strings.Cut(v, ":")
	if !ok {
		return [2]int{}
	}
	num, err1 := strconv.Atoi(n)
	den, err2 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || num <= 0 || den <= 0 || num == den || num > 1000 || den > 1000 {
		return [2]int{}
	}
	// Keep only what a picture can be: between a quarter and four times as wide as tall.
	if r := float64(num) / float64(den); r < 0.25 || r > 4 {
		return [2]int{}
	}
	return [2]int{num, den}
}

// PlaysAs is the picture's width and height as it plays: turned (DisplaySize) and, with
// non-square pixels, widened or narrowed to square ones (1440×1080 at 4:3 plays as 1920×1080).
func (s Stream) PlaysAs() (w, h int) {
	w, h = s.DisplaySize()
	n, d := s.PixelAspect[0], s.PixelAspect[1]
	if n <= 0 || d <= 0 {
		return w, h
	}
	if s.Rotation == 90 || s.Rotation == 270 {
		return w, int(math.Round(float64(h) * float64(n) / float64(d)))
	}
	return int(math.Round(float64(w) * float64(n) / float64(d))), h
}

// normaliseRotation snaps an angle to 0/90/180/270, as phones only write those.
func normaliseRotation(deg float64) int {
	r := int(math.Round(deg/90)) * 90 % 360
	if r < 0 {
		r += 360
	}
	return r
}

func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	n, d := parseFloat(num), parseFloat(den)
	if d == 0 {
		return 0
	}
	return n / d
}

func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func parseInt(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}
