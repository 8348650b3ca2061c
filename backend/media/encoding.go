package media

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

// videoEncodingFor picks the encoder. 8-bit sources go to H.264, which every device plays.
// Deeper sources go to HEVC Main10: H.264 High10 keeps the bits too but hardly any
// hardware decoder (phones, Safari, TVs) plays it, while HEVC Main10 is the common format
// for 10-bit and HDR video. Chroma becomes 4:2:0 (ProRes 4:2:2 included) for the same
// reason; 12-bit and 16-bit sources are stored at 10 bits.
func videoEncodingFor(v Stream, quality string) VideoEncoding {
	q := videoQualities[quality]
	enc := VideoEncoding{Encoder: "libx264", Preset: q.x264Preset, CRF: q.x264CRF, Profile: "high", PixFmt: "yuv420p"}
	if v.BitDepth > 8 {
		enc = VideoEncoding{Encoder: "libx265", Preset: q.x265Preset, CRF: q.x265CRF, Profile: "main10", PixFmt: "yuv420p10le"}
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
