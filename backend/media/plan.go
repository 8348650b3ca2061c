package media

import (
	"fmt"
	"strings"
)

// Plan modes.
const (
	ModeRemux     = "remux"      // every stream copied bit for bit
	ModeTranscode = "transcode"  // at least one stream re-encoded
	ModeAudioOnly = "audio-only" // no picture; audio copied or encoded
)

// Video qualities (video_quality).
const (
	QualityBasic   = "basic"
	QualityPlus    = "plus"
	QualityPremium = "premium"
)

// Defaults used when the caller passes "" for a setting.
const (
	DefaultMaxTier = Tier1080p
	DefaultQuality = QualityPlus
)

// Plan is how the master will be made. Args renders it as an ffmpeg command line.
type Plan struct {
	Mode                 string // ModeRemux | ModeTranscode | ModeAudioOnly
	VideoCopy, AudioCopy bool
	Width, Height        int // of the master's video (display orientation), 0 for audio-only
	FrameRate            float64
	ResolutionTier       string // tier of the resulting master: "audio-only"|"720p"|"1080p"|"1440p"|"2160p"
	Reason               string // for a person: why something is re-encoded; "" for a plain remux

	VideoIndex int           // ffprobe index of the video stream mapped, -1 for none
	AudioIndex int           // ffprobe index of the audio stream mapped, -1 for none
	Video      VideoEncoding // used when there is video and !VideoCopy
	Audio      AudioEncoding // used when there is audio and !AudioCopy
	VideoTag   string        // codec tag forced in MP4 ("hvc1" so Apple devices play HEVC)
	// Experimental is set when a copied stream is one ffmpeg 5.1 only writes to MP4 with
	// -strict experimental (FLAC, standardised in MP4 and played by browsers).
	Experimental bool
}

// VideoEncoding is the encoder setup for a video transcode.
type VideoEncoding struct {
	Encoder string // "libx264" | "libx265"
	Preset  string
	CRF     int
	Profile string // "high" | "main10"
	PixFmt  string // "yuv420p" | "yuv420p10le"
	// Colour tags copied from the input when known ("" = leave unset).
	ColorPrimaries, ColorTransfer, ColorSpace, ColorRange string
}

// AudioEncoding is the encoder setup when audio cannot be copied.
type AudioEncoding struct {
	Encoder    string // "aac"
	BitRate    int    // bits per second
	Channels   int    // kept from the input
	SampleRate int    // 0 keeps the input's rate
}

// Codecs ffmpeg 5.1's MP4 muxer stores and common players decode. VP9 is in: Google's
// ISO-BMFF binding (vp09) is muxed without -strict by 5.1 and played by Chrome, Firefox,
// Edge and Safari 14+, so remuxing keeps the bits. ProRes, DNxHD, MPEG-2, VP8... are not.
var mp4VideoCodecs = map[string]bool{"h264": true, "hevc": true, "av1": true, "mpeg4": true, "vp9": true}

// Vorbis is muxed by ffmpeg but almost no MP4 player decodes it, so it is re-encoded.
var mp4AudioCodecs = map[string]bool{"aac": true, "mp3": true, "ac3": true, "eac3": true, "opus": true, "flac": true, "alac": true}

// PlanMaster decides how to make the master. maxTier is "1080p"|"1440p"|"2160p"; quality is
// "basic"|"plus"|"premium"; "" picks DefaultMaxTier / DefaultQuality. It runs no tool.
func PlanMaster(info *Info, maxTier, quality string) (Plan, error) {
	if maxTier == "" {
		maxTier = DefaultMaxTier
	}
	if quality == "" {
		quality = DefaultQuality
	}
	box, ok := maxTierBox(maxTier)
	if !ok {
		return Plan{}, &Error{Kind: KindUnsupported, Message: fmt.Sprintf("unknown resolution tier %q (want 1080p, 1440p or 2160p)", maxTier)}
	}
	if _, ok := videoQualities[quality]; !ok {
		return Plan{}, &Error{Kind: KindUnsupported, Message: fmt.Sprintf("unknown video quality %q (want basic, plus or premium)", quality)}
	}
	if info == nil {
		return Plan{}, &Error{Kind: KindNotMedia, Message: msgNotMedia}
	}
	if e := rejectNonVideoFormat(info); e != nil {
		return Plan{}, e
	}
	if info.Video == nil && info.Audio == nil {
		return Plan{}, &Error{Kind: KindNoVideoOrAudio, Message: "the file has neither video nor audio"}
	}

	p := Plan{VideoIndex: -1, AudioIndex: -1, ResolutionTier: TierAudioOnly}
	var reasons []string
	if v := info.Video; v != nil {
		r, err := planVideo(&p, *v, box, quality)
		if err != nil {
			return Plan{}, err
		}
		reasons = append(reasons, r...)
	}
	if a := info.Audio; a != nil {
		reasons = append(reasons, planAudio(&p, *a)...)
	}
	p.Reason = strings.Join(reasons, "; ")
	switch {
	case info.Video == nil:
		p.Mode = ModeAudioOnly
	case p.VideoCopy && (info.Audio == nil || p.AudioCopy):
		p.Mode = ModeRemux
	default:
		p.Mode = ModeTranscode
	}
	return p, nil
}

// rejectNonVideoFormat catches inputs ffprobe reads but that are not videos: text shown
// as ANSI art (tty) and single still images.
func rejectNonVideoFormat(info *Info) *Error {
	switch {
	case info.FormatName == "tty":
		return &Error{Kind: KindNotMedia, Message: msgNotMedia}
	case info.FormatName == "image2" || strings.HasSuffix(info.FormatName, "_pipe"):
		return &Error{Kind: KindNotMedia, Message: "this is a still image, not a video"}
	}
	return nil
}

func planVideo(p *Plan, v Stream, box tierBox, quality string) (reasons []string, err error) {
	w, h := v.DisplaySize()
	if w <= 0 || h <= 0 {
		return nil, &Error{Kind: KindUnsupported, Message: "the video stream has no picture size ffmpeg can read"}
	}
	p.VideoIndex = v.Index
	p.FrameRate = v.FrameRate
	canStore, fits := mp4VideoCodecs[v.Codec], box.holds(w, h)
	if canStore && fits {
		p.VideoCopy = true
		p.Width, p.Height = w, h
		if v.Codec == "hevc" {
			p.VideoTag = "hvc1"
		}
		p.ResolutionTier = ResolutionTierFor(w, h)
		return nil, nil
	}
	if !canStore {
		reasons = append(reasons, codecLabel(v.Codec)+" cannot be stored in MP4")
	}
	if !fits {
		reasons = append(reasons, fmt.Sprintf("%dx%d is above the %s tier", w, h, box.name))
	}
	p.Width, p.Height = fitInBox(w, h, box)
	p.ResolutionTier = ResolutionTierFor(p.Width, p.Height)
	p.Video = videoEncodingFor(v, quality)
	if p.Video.Encoder == "libx265" {
		p.VideoTag = "hvc1"
	}
	return reasons, nil
}

func planAudio(p *Plan, a Stream) (reasons []string) {
	p.AudioIndex = a.Index
	if mp4AudioCodecs[a.Codec] {
		p.AudioCopy = true
		p.Experimental = a.Codec == "flac"
		return nil
	}
	p.Audio = aacFor(a)
	return []string{codecLabel(a.Codec) + " audio cannot be stored in MP4, encoded to AAC"}
}

// codecLabel names a codec the way people know it, for messages.
func codecLabel(codec string) string {
	labels := map[string]string{
		"prores": "ProRes", "dnxhd": "DNxHD", "mpeg2video": "MPEG-2", "vp8": "VP8",
		"mjpeg": "Motion JPEG", "h264": "H.264", "hevc": "HEVC", "vorbis": "Vorbis",
		"wmv3": "WMV", "vc1": "VC-1", "theora": "Theora", "mp2": "MP2", "dvvideo": "DV",
	}
	if l, ok := labels[codec]; ok {
		return l
	}
	if strings.HasPrefix(codec, "pcm_") {
		return "PCM"
	}
	if codec == "" {
		return "an unknown codec"
	}
	return codec
}
