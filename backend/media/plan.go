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

// Plan is how the master will be made: what happens to every stream of the input, in the
// input's order. Args renders it as an ffmpeg command line; Changes says it in words.
type Plan struct {
	Mode                 string // ModeRemux | ModeTranscode | ModeAudioOnly
	VideoCopy, AudioCopy bool   // the primary video is copied; every audio track is copied
	Width, Height        int    // of the master's video (display orientation), 0 for audio-only
	FrameRate            float64
	ResolutionTier       string // tier of the resulting master: "audio-only"|"720p"|"1080p"|"1440p"|"2160p"
	Reason               string // for a person: why something is re-encoded; "" for a plain remux

	VideoIndex int           // ffprobe index of the primary video stream, -1 for none
	AudioIndex int           // ffprobe index of the first audio stream, -1 for none
	Video      VideoEncoding // the primary video's encoding when !VideoCopy
	Audio      AudioEncoding // the first re-encoded audio track's encoding when !AudioCopy
	VideoTag   string        // codec tag of the primary video in MP4 ("hvc1" so Apple devices play HEVC)
	// Experimental is set when a track is FLAC, which ffmpeg 5.1 writes to MP4 only with
	// -strict experimental.
	Experimental bool

	InputFormat string       // the probed demuxer, forced when ffmpeg reads the input
	Streams     []StreamPlan // every input stream, in source order
	Chapters    bool         // the input's chapters are written to the master
	// Metadata is container metadata set on top of what is copied (key, value; an empty
	// value removes a copied key).
	Metadata [][2]string
}

// Stream actions.
const (
	ActionCopy     = "copy"     // packets copied bit for bit
	ActionEncode   = "encode"   // decoded and encoded again
	ActionConvert  = "convert"  // text subtitles rewritten as MP4 text (mov_text)
	ActionTimecode = "timecode" // a timecode track: written again from its start timecode
	ActionChapters = "chapters" // a chapter track: written again from the chapter list
	ActionDrop     = "drop"     // not in the master; Why says why
)

// StreamPlan is what happens to one input stream.
type StreamPlan struct {
	Index       int    // ffprobe index in the input
	Type        string // "video" | "audio" | "subtitle" | "data" | "attachment"
	Action      string // one of the Action* constants
	Codec       string // codec in the master (ffprobe name), "" when not written as a stream
	Video       *VideoEncoding
	Audio       *AudioEncoding
	Tag         string // codec tag forced in MP4
	AttachedPic bool   // cover art: kept as a picture, not as video
	Why         string // for a person: why the stream is re-encoded or dropped
	// Title is the track's name ("Boom", "Radio 1"): MP4 keeps it as the track's handler
	// name, where QuickTime and editors show it.
	Title string
}

// output reports whether the stream becomes a stream of the master.
func (sp StreamPlan) output() bool {
	return sp.Action == ActionCopy || sp.Action == ActionEncode || sp.Action == ActionConvert
}

// VideoEncoding is the encoder setup for a video transcode.
type VideoEncoding struct {
	Encoder string // "libx264" | "libx265"
	Preset  string
	CRF     int
	Profile string // "high", "high422", "high10", "main10", "main422-10"...
	PixFmt  string // "yuv420p", "yuv422p10le"...
	// Colour tags copied from the input when known ("" = leave unset).
	ColorPrimaries, ColorTransfer, ColorSpace, ColorRange string
	// FieldOrder is "tt" or "bb" for an interlaced source, encoded as fields; "" for progressive.
	FieldOrder       string
	Width, Height    int // output picture size (display orientation)
	MasteringDisplay *MasteringDisplay
	ContentLight     *ContentLight
	DroppedAlpha     bool // the source had an alpha channel, which these encoders cannot keep
}

// AudioEncoding is the encoder setup when audio cannot be copied.
type AudioEncoding struct {
	Encoder    string // "alac" (lossless sources) | "aac"
	BitRate    int    // bits per second (AAC)
	Channels   int    // kept from the input
	SampleRate int    // 0 keeps the input's rate
	SampleFmt  string // ALAC: "s16p" or "s32p" (24-bit)
	Bits       int    // ALAC: bits per sample kept (16 or 24)
}

// Codecs ffmpeg 5.1's MP4 muxer stores and common players decode. VP9 is in: Google's
// ISO-BMFF binding (vp09) is muxed without -strict by 5.1 and played by Chrome, Firefox,
// Edge and Safari 14+, so remuxing keeps the bits. ProRes, DNxHD, MPEG-2, VP8... are not.
var mp4VideoCodecs = map[string]bool{"h264": true, "hevc": true, "av1": true, "mpeg4": true, "vp9": true}

// Lossy audio MP4 holds and players decode: copied. Vorbis is muxed by ffmpeg but almost
// no MP4 player decodes it, so it is re-encoded. ALAC is lossless and native to MP4.
var mp4AudioCodecs = map[string]bool{"aac": true, "mp3": true, "ac3": true, "eac3": true, "opus": true, "alac": true}

// losslessAudio are codecs whose samples a master must keep exactly: they become ALAC, or
// FLAC where ALAC would remix the channels (see losslessFor).
func losslessAudio(codec string) bool {
	switch codec {
	case "flac", "truehd", "mlp", "wavpack", "tta", "ape", "shorten", "als":
		return true
	}
	return strings.HasPrefix(codec, "pcm_")
}

// alacMaxChannels: ALAC's channel layouts stop at 7.1.
const alacMaxChannels = 8

// textSubtitles become MP4 text tracks (mov_text); styling beyond plain text is lost.
var textSubtitles = map[string]bool{
	"subrip": true, "srt": true, "ass": true, "ssa": true, "webvtt": true, "text": true, "subviewer": true,
	"subviewer1": true, "microdvd": true, "sami": true, "realtext": true, "jacosub": true, "mpl2": true,
	"pjs": true, "stl": true, "vplayer": true,
}

// coverArtCodecs are the picture codecs MP4 holds as cover art ("covr").
var coverArtCodecs = map[string]bool{"mjpeg": true, "png": true}

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
	return planMaster(info, box, quality)
}

// planMaster is PlanMaster with the tier box given (tests use small boxes for small clips).
func planMaster(info *Info, box tierBox, quality string) (Plan, error) {
	if info == nil {
		return Plan{}, &Error{Kind: KindNotMedia, Message: msgNotMedia}
	}
	if e := rejectNonVideoFormat(info); e != nil {
		return Plan{}, e
	}
	if info.Video == nil && info.Audio == nil {
		return Plan{}, &Error{Kind: KindNoVideoOrAudio, Message: "the file has neither video nor audio"}
	}
	if e := checkBounds(info); e != nil {
		return Plan{}, e
	}

	p := Plan{VideoIndex: -1, AudioIndex: -1, ResolutionTier: TierAudioOnly,
		InputFormat: info.FormatName, Chapters: len(info.Chapters) > 0}
	var reasons []string
	for _, s := range info.Streams {
		sp, err := planStream(info, s, box, quality)
		if err != nil {
			return Plan{}, err
		}
		p.Streams = append(p.Streams, sp)
		switch {
		case info.Video != nil && s.Index == info.Video.Index:
			p.VideoIndex, p.FrameRate = s.Index, s.FrameRate
			p.VideoCopy, p.VideoTag = sp.Action == ActionCopy, sp.Tag
			if sp.Video != nil {
				p.Video = *sp.Video
				p.Width, p.Height = sp.Video.Width, sp.Video.Height
			} else {
				p.Width, p.Height = s.DisplaySize()
			}
			p.ResolutionTier = ResolutionTierFor(p.Width, p.Height)
			if sp.Why != "" {
				reasons = append(reasons, sp.Why)
			}
		case s.Type == "audio":
			if p.AudioIndex < 0 {
				p.AudioIndex, p.AudioCopy = s.Index, true
			}
			if sp.Audio != nil && p.AudioCopy {
				p.AudioCopy, p.Audio = false, *sp.Audio
				reasons = append(reasons, sp.Why)
			}
		}
	}
	for _, sp := range p.Streams {
		p.Experimental = p.Experimental || (sp.Codec == "flac" && sp.output())
	}
	p.Metadata = metadataFixes(info.Tags)
	if r := reelName(info); r != "" && info.Tags["reel_name"] == "" {
		// An MP4 timecode track cannot name its reel (ffmpeg writes that only in MOV): the
		// reel the source's timecode track names is kept as a container tag instead.
		p.Metadata = append(p.Metadata, [2]string{"reel_name", r})
	}
	p.Reason = strings.Join(reasons, "; ")
	switch {
	case info.Video == nil:
		p.Mode = ModeAudioOnly
	case p.encodes():
		p.Mode = ModeTranscode
	default:
		p.Mode = ModeRemux
	}
	return p, nil
}

// encodes reports whether any picture or sound is re-encoded.
func (p Plan) encodes() bool {
	for _, sp := range p.Streams {
		if sp.Action == ActionEncode {
			return true
		}
	}
	return false
}

// rejectNonVideoFormat catches inputs that are not videos: a format off the allow-list
// (Probe already refuses those; this guards a hand-made Info) and single still images.
func rejectNonVideoFormat(info *Info) *Error {
	switch {
	case info.FormatName == "image2" || strings.HasSuffix(info.FormatName, "_pipe"):
		return &Error{Kind: KindNotMedia, Message: "this is a still image, not a video"}
	}
	return checkFormat(info.FormatName)
}

// planStream decides one stream's fate.
func planStream(info *Info, s Stream, box tierBox, quality string) (StreamPlan, error) {
	sp := StreamPlan{Index: s.Index, Type: s.Type, Action: ActionDrop, Title: s.Title}
	switch s.Type {
	case "video":
		if s.AttachedPic {
			return planCoverArt(sp, s), nil
		}
		return planVideo(sp, s, box, quality)
	case "audio":
		return planAudio(sp, s)
	case "subtitle":
		return planSubtitle(sp, s), nil
	case "data":
		switch {
		case s.CodecTag == "tmcd" || s.Codec == "timecode":
			sp.Action = ActionTimecode
		case s.CodecTag == "text" && len(info.Chapters) > 0:
			sp.Action = ActionChapters
		default:
			sp.Why = fmt.Sprintf("data track %s dropped: MP4 cannot hold it", quoteName(s.CodecTag, s.Title, s.Codec))
		}
		return sp, nil
	case "attachment":
		sp.Why = fmt.Sprintf("attachment %s dropped: MP4 cannot hold attachments", quoteName(s.Filename, s.Title, s.Codec))
		return sp, nil
	}
	sp.Why = fmt.Sprintf("%s stream %s dropped: MP4 cannot hold it", orUnknown(s.Type), quoteName(s.Codec, s.Title, ""))
	return sp, nil
}

func quoteName(names ...string) string {
	for _, n := range names {
		if n != "" {
			return "'" + n + "'"
		}
	}
	return "(unnamed)"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func planCoverArt(sp StreamPlan, s Stream) StreamPlan {
	long, short := max(s.Width, s.Height), min(s.Width, s.Height)
	switch {
	case !coverArtCodecs[s.Codec]:
		sp.Why = fmt.Sprintf("cover art (%s) dropped: MP4 holds only JPEG or PNG cover art", codecLabel(s.Codec))
	case long > MaxSourceLongSide || short > MaxSourceLongSide:
		sp.Why = fmt.Sprintf("cover art of %dx%d dropped: larger than Reelvault keeps", s.Width, s.Height)
	default:
		sp.Action, sp.Codec, sp.AttachedPic = ActionCopy, s.Codec, true
	}
	return sp
}

func planVideo(sp StreamPlan, v Stream, box tierBox, quality string) (StreamPlan, error) {
	w, h := v.DisplaySize()
	if w <= 0 || h <= 0 {
		return sp, &Error{Kind: KindUnsupported, Message: "the video stream has no picture size ffmpeg can read"}
	}
	canStore, fits := mp4VideoCodecs[v.Codec], box.holds(w, h)
	if canStore && fits {
		sp.Action, sp.Codec = ActionCopy, v.Codec
		if v.Codec == "hevc" {
			sp.Tag = "hvc1"
		}
		return sp, nil
	}
	var why []string
	if !canStore {
		why = append(why, codecLabel(v.Codec)+" cannot be stored in MP4")
	}
	if !fits {
		why = append(why, fmt.Sprintf("%dx%d is larger than the %s master size", w, h, box.name))
	}
	enc := videoEncodingFor(v, quality)
	enc.Width, enc.Height = fitInBox(w, h, box)
	sp.Action, sp.Video, sp.Codec, sp.Why = ActionEncode, &enc, EncoderCodec(enc.Encoder), strings.Join(why, "; ")
	if enc.Encoder == "libx265" {
		sp.Tag = "hvc1"
	}
	return sp, nil
}

func planAudio(sp StreamPlan, a Stream) (StreamPlan, error) {
	switch {
	case mp4AudioCodecs[a.Codec]:
		sp.Action, sp.Codec = ActionCopy, a.Codec
	case losslessAudio(a.Codec):
		if a.Channels > alacMaxChannels {
			return sp, &Error{Kind: KindUnsupported, Message: fmt.Sprintf(
				"an audio track has %d channels; a lossless MP4 track holds at most %d", a.Channels, alacMaxChannels)}
		}
		enc := losslessFor(a)
		if enc.Encoder == a.Codec { // FLAC in a layout ALAC would remix: kept as it is
			sp.Action, sp.Codec = ActionCopy, a.Codec
			return sp, nil
		}
		sp.Action, sp.Audio, sp.Codec = ActionEncode, &enc, enc.Encoder
		sp.Why = codecLabel(a.Codec) + " audio cannot be stored in MP4, kept lossless as " + codecLabel(enc.Encoder)
	default:
		enc := aacFor(a)
		sp.Action, sp.Audio, sp.Codec = ActionEncode, &enc, "aac"
		sp.Why = codecLabel(a.Codec) + " audio cannot be stored in MP4, encoded to AAC"
	}
	return sp, nil
}

func planSubtitle(sp StreamPlan, s Stream) StreamPlan {
	switch {
	case s.Codec == "mov_text":
		sp.Action, sp.Codec = ActionCopy, s.Codec
	case textSubtitles[s.Codec]:
		sp.Action, sp.Codec = ActionConvert, "mov_text"
	case s.Codec == "eia_608" || s.Codec == "cea_708":
		sp.Why = "closed-caption track dropped: this ffmpeg cannot write it to MP4"
	default:
		sp.Why = fmt.Sprintf("%s subtitle dropped: MP4 cannot hold picture-based subtitles", codecLabel(s.Codec))
	}
	return sp
}

// Container metadata keys that describe the old file rather than the recording.
var fileTags = []string{"major_brand", "minor_version", "compatible_brands"}

const appleLocationKey = "com.apple.quicktime.location.ISO6709"

// metadataFixes are the metadata changes on top of the copied tags: the old file's brand
// tags go (the master has its own), and a location is written both as QuickTime's ©xyz
// ("location") and as Apple's key, so every player finds it.
func metadataFixes(tags map[string]string) [][2]string {
	var fixes [][2]string
	for _, k := range fileTags {
		if _, ok := tags[k]; ok {
			fixes = append(fixes, [2]string{k, ""})
		}
	}
	loc, apple := tags["location"], tags[appleLocationKey]
	switch {
	case loc != "" && apple == "":
		fixes = append(fixes, [2]string{appleLocationKey, loc})
	case apple != "" && loc == "":
		fixes = append(fixes, [2]string{"location", apple})
	}
	return fixes
}

// codecLabel names a codec the way people know it, for messages.
func codecLabel(codec string) string {
	labels := map[string]string{
		"prores": "ProRes", "dnxhd": "DNxHD", "mpeg2video": "MPEG-2", "vp8": "VP8",
		"mjpeg": "Motion JPEG", "h264": "H.264", "hevc": "HEVC", "vorbis": "Vorbis",
		"wmv3": "WMV", "vc1": "VC-1", "theora": "Theora", "mp2": "MP2", "dvvideo": "DV",
		"flac": "FLAC", "alac": "ALAC", "aac": "AAC", "ac3": "AC-3", "eac3": "E-AC-3", "mp3": "MP3",
		"opus": "Opus", "truehd": "TrueHD", "dts": "DTS", "av1": "AV1", "vp9": "VP9", "mpeg4": "MPEG-4",
		"subrip": "SubRip", "ass": "ASS", "ssa": "SSA", "webvtt": "WebVTT", "hdmv_pgs_subtitle": "PGS",
		"dvd_subtitle": "DVD", "dvb_subtitle": "DVB", "png": "PNG",
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
