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
	FormatName string  // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Duration   float64 // seconds
	Size       int64
	BitRate    int64
	Video      *Stream // the primary video stream (nil if none; attached pictures/cover art ignored)
	Audio      *Stream // the primary audio stream (nil if none)
	Streams    []Stream
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
	Rotation       int  // clockwise degrees the player turns the picture: 0/90/180/270
	AttachedPic    bool // cover art stored as a one-frame video stream
	Channels       int
	SampleRate     int
	ChannelLayout  string
	Duration       float64
	BitRate        int64
}

// DisplaySize is width/height after rotation (a 1920x1080 stream rotated 90 is 1080x1920).
func (s Stream) DisplaySize() (w, h int) {
	if s.Rotation == 90 || s.Rotation == 270 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// Probe runs ffprobe (-print_format json -show_format -show_streams) with a 30 s timeout.
// Failures are *Error with a message for a person; a cancelled ctx yields an error that
// wraps ctx.Err().
func Probe(ctx context.Context, path string) (*Info, error) {
	if e := checkInput(path); e != nil {
		return nil, e
	}
	var out bytes.Buffer
	res := run(ctx, toolRun{
		bin:     FFprobePath,
		args:    []string{"-hide_banner", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", fileURL(path)},
		timeout: probeTimeout,
		stdout:  &out,
	})
	if res.err != nil {
		return nil, res.failure("ffprobe", probeTimeout, func(stderr string) *Error {
			return classifyInputError(path, stderr)
		})
	}
	info, err := parseProbe(out.Bytes())
	if err != nil {
		return nil, &Error{Kind: KindUnreadable, Message: "ffprobe gave an answer Reelvault could not read", Detail: err.Error()}
	}
	return info, nil
}

// ffprobe's JSON; numbers it prints as strings stay strings here and are parsed leniently
// because "N/A" and missing keys are common.
type probeJSON struct {
	Streams []struct {
		Index          int    `json:"index"`
		CodecType      string `json:"codec_type"`
		CodecName      string `json:"codec_name"`
		Profile        string `json:"profile"`
		Width          int    `json:"width"`
		Height         int    `json:"height"`
		AvgFrameRate   string `json:"avg_frame_rate"`
		RFrameRate     string `json:"r_frame_rate"`
		PixFmt         string `json:"pix_fmt"`
		BitsPerRaw     string `json:"bits_per_raw_sample"`
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
		Tags struct {
			Rotate string `json:"rotate"`
		} `json:"tags"`
		SideData []struct {
			Type     string  `json:"side_data_type"`
			Rotation float64 `json:"rotation"`
		} `json:"side_data_list"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		Size       string `json:"size"`
		BitRate    string `json:"bit_rate"`
	} `json:"format"`
}

func parseProbe(data []byte) (*Info, error) {
	var p probeJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("decode ffprobe json: %w", err)
	}
	info := &Info{
		FormatName: p.Format.FormatName,
		Duration:   parseFloat(p.Format.Duration),
		Size:       parseInt(p.Format.Size),
		BitRate:    parseInt(p.Format.BitRate),
	}
	for _, ps := range p.Streams {
		s := Stream{
			Index: ps.Index, Type: ps.CodecType, Codec: ps.CodecName, Profile: ps.Profile,
			Width: ps.Width, Height: ps.Height, PixFmt: ps.PixFmt,
			ColorSpace: known(ps.ColorSpace), ColorTransfer: known(ps.ColorTransfer),
			ColorPrimaries: known(ps.ColorPrimaries), ColorRange: known(ps.ColorRange),
			AttachedPic: ps.Disposition.AttachedPic == 1,
			Channels:    ps.Channels, SampleRate: int(parseInt(ps.SampleRate)), ChannelLayout: ps.ChannelLayout,
			Duration: parseFloat(ps.Duration), BitRate: parseInt(ps.BitRate),
		}
		if s.Type == "video" {
			s.FrameRate = parseRate(ps.AvgFrameRate)
			if s.FrameRate == 0 {
				s.FrameRate = parseRate(ps.RFrameRate)
			}
			s.BitDepth = bitDepth(ps.PixFmt, ps.BitsPerRaw)
			s.Rotation = normaliseRotation(parseFloat(ps.Tags.Rotate))
			for _, sd := range ps.SideData {
				if sd.Type == "Display Matrix" {
					// The matrix angle is counter-clockwise; the rotate tag (and Rotation) clockwise.
					s.Rotation = normaliseRotation(-sd.Rotation)
				}
			}
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
