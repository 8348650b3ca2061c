package media

import (
	"fmt"
	"strings"
)

// videoQuality is one video_quality level for both encoders.
type videoQuality struct {
	x264Preset string
	x264CRF    int
	x265Preset string
	x265CRF    int
}

// videoQualities: x264 CRF 23/18/16 is default / near-transparent / transparent with room to
// spare. x265 reaches the same look at a few CRF points higher, so it gets 24/20/18. The
// slower "medium" preset is kept for premium: on 2 cores a 2160p->1080p veryfast transcode
// runs at ~1x real time, medium at ~0.4x (research/media-bench.md).
var videoQualities = map[string]videoQuality{
	QualityBasic:   {"veryfast", 23, "veryfast", 24},
	QualityPlus:    {"veryfast", 18, "veryfast", 20},
	QualityPremium: {"medium", 16, "medium", 18},
}

// videoEncodingFor picks the encoder that keeps the picture as it was: chroma subsampling
// (4:2:0, 4:2:2, 4:4:4), bit depth, field order, colour tags and HDR10 metadata.
//   - 8-bit sources go to H.264 (High, High 4:2:2 or High 4:4:4), which every editor reads.
//   - Deeper progressive sources go to HEVC (Main10, Main 4:2:2 10, Main 4:4:4 10, or the
//     12-bit profiles): the format cameras record 10-bit 4:2:2 in, read by Final Cut,
//     Premiere and Resolve, and the one that carries HDR10 (x265 writes its mastering
//     display and light level SEI).
//   - Interlaced sources go to H.264 encoded as fields (x264's interlaced mode; x265 has no
//     field coding ffmpeg drives), at up to 10 bits, so they are never silently deinterlaced.
//
// Every combination is decoded with -xerror in the tests on this machine's ffmpeg 5.1.
func videoEncodingFor(v Stream, quality string) VideoEncoding {
	q := videoQualities[quality]
	chroma, alpha := chromaOf(v.PixFmt)
	depth := 8
	switch {
	case v.BitDepth > 10:
		depth = 12
	case v.BitDepth > 8:
		depth = 10
	}
	enc := VideoEncoding{DroppedAlpha: alpha}
	if v.Interlaced() || depth == 8 {
		depth = min(depth, 10)
		enc.Encoder, enc.Preset, enc.CRF = "libx264", q.x264Preset, q.x264CRF
		enc.Profile = x264Profile(chroma, depth)
		if v.Interlaced() {
			enc.FieldOrder = "tt"
			if v.FieldOrder == "bb" || v.FieldOrder == "tb" { // bottom field displayed first
				enc.FieldOrder = "bb"
			}
		}
	} else {
		enc.Encoder, enc.Preset, enc.CRF = "libx265", q.x265Preset, q.x265CRF
		enc.Profile = x265Profile(chroma, depth)
		enc.MasteringDisplay, enc.ContentLight = v.MasteringDisplay, v.ContentLight
	}
	enc.PixFmt = "yuv" + chroma + "p"
	if depth > 8 {
		enc.PixFmt += fmt.Sprintf("%dle", depth)
	}
	enc.ColorPrimaries = v.ColorPrimaries
	enc.ColorTransfer = v.ColorTransfer
	enc.ColorRange = v.ColorRange
	// An RGB source ("gbr") is converted to YUV, so its matrix tag no longer applies.
	if v.ColorSpace != "gbr" {
		enc.ColorSpace = v.ColorSpace
	}
	return enc
}

func x264Profile(chroma string, depth int) string {
	switch {
	case chroma == "444":
		return "high444"
	case chroma == "422":
		return "high422"
	case depth > 8:
		return "high10"
	}
	return "high"
}

func x265Profile(chroma string, depth int) string {
	p := "main"
	if chroma != "420" {
		p += chroma + "-"
	}
	return p + fmt.Sprint(depth)
}

// chromaOf reads the chroma subsampling ("420", "422", "444") of a pixel format and
// whether it has alpha. 4:1:1 (NTSC DV) becomes 4:2:2, which holds all of its chroma;
// grey pictures lose nothing in 4:2:0.
func chromaOf(pixFmt string) (chroma string, alpha bool) {
	f := pixFmt
	alpha = strings.HasPrefix(f, "yuva") || strings.HasPrefix(f, "gbrap") || strings.HasPrefix(f, "ya") ||
		strings.Contains(f, "rgba") || strings.Contains(f, "bgra") || strings.Contains(f, "argb") ||
		strings.Contains(f, "abgr") || strings.HasPrefix(f, "ayuv") || strings.HasPrefix(f, "vuya")
	switch {
	case strings.Contains(f, "444") || strings.HasPrefix(f, "gbr") || strings.Contains(f, "rgb") ||
		strings.Contains(f, "bgr") || strings.HasPrefix(f, "p41") || strings.HasPrefix(f, "ayuv") ||
		strings.HasPrefix(f, "vuy") || strings.HasPrefix(f, "xyz") || strings.HasPrefix(f, "y41"):
		return "444", alpha
	case strings.Contains(f, "422") || strings.Contains(f, "411") || strings.HasPrefix(f, "nv16") ||
		strings.HasPrefix(f, "nv20") || strings.HasPrefix(f, "p21") || strings.HasPrefix(f, "y21") ||
		strings.HasPrefix(f, "v210"):
		return "422", alpha
	}
	return "420", alpha
}

// alacLayouts are the channel layouts ffmpeg 5.1's ALAC encoder stores as they are.
// Measured here: every other layout (2.1, 3.0(back), quad, 6.0, 6.1, 7.0, 7.1, octagonal)
// is silently remixed to one of these (7.1 came out as 6.1 with other samples).
var alacLayouts = map[string]bool{"mono": true, "stereo": true, "3.0": true, "4.0": true,
	"5.0": true, "5.0(side)": true, "5.1": true, "5.1(side)": true, "7.1(wide)": true}

// alacKeeps reports whether ALAC holds the track's channels without remixing; a track
// without a layout is read with ffmpeg's default one, which ALAC keeps only for 1 or 2.
func alacKeeps(a Stream) bool {
	if a.ChannelLayout == "" {
		return a.Channels <= 2
	}
	return alacLayouts[a.ChannelLayout]
}

// losslessFor keeps every sample. ALAC is the choice: Final Cut Pro, Premiere, Resolve
// and QuickTime read ALAC in MP4. A layout ALAC would remix goes to FLAC in MP4, which
// keeps any layout up to 8 channels (ffmpeg 5.1 writes it with -strict experimental;
// browsers and Resolve read it, Final Cut and Premiere do not), because a readable
// remix is worse for an archive than a codec fewer editors open. 16-bit and shallower
// sources stay 16-bit; deeper ones are stored at 24 bits, both codecs' deepest here
// (32-bit and float sources lose their lowest bits, which Changes says).
func losslessFor(a Stream) AudioEncoding {
	enc := AudioEncoding{Encoder: "alac", Channels: max(a.Channels, 1), Bits: 16}
	if !alacKeeps(a) {
		enc.Encoder = "flac"
	}
	if a.BitsPerSample > 16 || strings.HasPrefix(a.SampleFmt, "s32") || strings.HasPrefix(a.SampleFmt, "flt") || strings.HasPrefix(a.SampleFmt, "dbl") {
		enc.Bits = 24
	}
	// ALAC takes planar samples, FLAC interleaved; 24-bit samples travel in 32-bit words.
	enc.SampleFmt = map[bool]string{false: "s16", true: "s32"}[enc.Bits > 16]
	if enc.Encoder == "alac" {
		enc.SampleFmt += "p"
	}
	return enc
}

// EncoderCodec names the codec an ffmpeg encoder writes.
func EncoderCodec(encoder string) string {
	switch encoder {
	case "libx264":
		return "h264"
	case "libx265":
		return "hevc"
	}
	return encoder
}

// aacSampleRates are the rates ffmpeg's AAC encoder accepts.
var aacSampleRates = map[int]bool{96000: true, 88200: true, 64000: true, 48000: true, 44100: true,
	32000: true, 24000: true, 22050: true, 16000: true, 12000: true, 11025: true, 8000: true, 7350: true}

// aacFor keeps the channel count and spends generously: 128k mono, 256k stereo, 64k per
// channel beyond (384k for 5.1), so the AAC copy of lossless audio stays transparent.
func aacFor(a Stream) AudioEncoding {
	ch := max(a.Channels, 1)
	rate := 128_000
	switch {
	case ch == 2:
		rate = 256_000
	case ch > 2:
		rate = 64_000 * ch
	}
	enc := AudioEncoding{Encoder: "aac", BitRate: rate, Channels: ch}
	if a.SampleRate > 0 && !aacSampleRates[a.SampleRate] {
		enc.SampleRate = 48000
	}
	return enc
}
