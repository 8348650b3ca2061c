package live

import (
	"fmt"
	"time"

	"github.com/bluenviron/gortmplib"
	rtmpcodecs "github.com/bluenviron/gortmplib/pkg/codecs"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"
)

// SupportedCodecs names what the recorder takes; anything else is refused
// when the encoder starts sending, with this list in the log.
const SupportedCodecs = "video H.264 or H.265 (HEVC); audio AAC, MP3 or Opus"

// videoTimeScale is the usual MP4 video clock (90 kHz).
const videoTimeScale = 90000

// UnsupportedCodecError is an encoder sending a codec the recorder cannot keep.
type UnsupportedCodecError struct{ Codec string }

func (e *UnsupportedCodecError) Error() string {
	return fmt.Sprintf("the encoder sends %s, which Reelvault cannot record: send %s", e.Codec, SupportedCodecs)
}

// wireTracks makes a recorded track of each of the reader's tracks and
// routes their data to rec once it exists. Unsupported codecs are an error.
func wireTracks(r *gortmplib.Reader, rec **recorder) ([]*recTrack, error) {
	var out []*recTrack
	for _, tr := range r.Tracks() {
		t, err := wireTrack(r, tr, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the encoder sent neither video nor audio")
	}
	return out, nil
}

func wireTrack(r *gortmplib.Reader, tr *gortmplib.Track, recp **recorder) (*recTrack, error) {
	switch c := tr.Codec.(type) {
	case *rtmpcodecs.H264:
		t := &recTrack{codec: &mp4codecs.H264{SPS: c.SPS, PPS: c.PPS}, timeScale: videoTimeScale, video: true, ready: true, defaultD: videoTimeScale / 30}
		r.OnDataH264(tr, func(pts, dts time.Duration, au [][]byte) {
			if onlyH264ParameterSets(au) {
				return // the sequence header RTMP repeats; the MP4 header holds it
			}
			pushAVCC(*recp, t, pts, dts, au, !h264.IsRandomAccess(au))
		})
		return t, nil
	case *rtmpcodecs.H265:
		t := &recTrack{codec: &mp4codecs.H265{VPS: c.VPS, SPS: c.SPS, PPS: c.PPS}, timeScale: videoTimeScale, video: true, ready: true, defaultD: videoTimeScale / 30}
		r.OnDataH265(tr, func(pts, dts time.Duration, au [][]byte) {
			if onlyH265ParameterSets(au) {
				return
			}
			pushAVCC(*recp, t, pts, dts, au, !h265.IsRandomAccess(au))
		})
		return t, nil
	case *rtmpcodecs.MPEG4Audio:
		if c.Config == nil || c.Config.SampleRate <= 0 {
			return nil, fmt.Errorf("the encoder sent AAC audio without its configuration")
		}
		t := &recTrack{codec: &mp4codecs.MPEG4Audio{Config: *c.Config}, timeScale: uint32(c.Config.SampleRate), ready: true, defaultD: 1024}
		r.OnDataMPEG4Audio(tr, func(pts time.Duration, au []byte) { pushFrame(*recp, t, pts, au) })
		return t, nil
	case *rtmpcodecs.Opus:
		channels := 2
		if c.IDHeader != nil && c.IDHeader.ChannelCount > 0 {
			channels = int(c.IDHeader.ChannelCount)
		}
		t := &recTrack{codec: &mp4codecs.Opus{ChannelCount: channels}, timeScale: 48000, ready: true, defaultD: 960}
		r.OnDataOpus(tr, func(pts time.Duration, packet []byte) { pushFrame(*recp, t, pts, packet) })
		return t, nil
	case *rtmpcodecs.MPEG1Audio:
		// RTMP does not carry MP3's parameters: they come from the first frame.
		t := &recTrack{codec: &mp4codecs.MPEG1Audio{}, timeScale: 90000, defaultD: 1152}
		r.OnDataMPEG1Audio(tr, func(pts time.Duration, frame []byte) {
			rec := *recp
			if rec == nil {
				return
			}
			if !t.ready && !rec.headerOut {
				var h mpeg1audio.FrameHeader
				if err := h.Unmarshal(frame); err != nil {
					return
				}
				channels := 2
				if h.ChannelMode == mpeg1audio.ChannelModeMono {
					channels = 1
				}
				t.codec = &mp4codecs.MPEG1Audio{SampleRate: h.SampleRate, ChannelCount: channels}
				t.timeScale, t.ready = uint32(h.SampleRate), true
			}
			pushFrame(rec, t, pts, frame)
		})
		return t, nil
	}
	return nil, &UnsupportedCodecError{Codec: codecName(tr.Codec)}
}

func pushAVCC(rec *recorder, t *recTrack, pts, dts time.Duration, au [][]byte, nonSync bool) {
	if rec == nil {
		return
	}
	avcc, err := h264.AVCC(au).Marshal()
	if err != nil {
		return // an empty access unit: nothing to keep
	}
	rec.push(t, dts, &fmp4.Sample{
		PTSOffset:       int32(ticks(pts-dts, t.timeScale)),
		IsNonSyncSample: nonSync,
		Payload:         avcc,
	})
}

func pushFrame(rec *recorder, t *recTrack, pts time.Duration, frame []byte) {
	if rec == nil || len(frame) == 0 {
		return
	}
	rec.push(t, pts, &fmp4.Sample{Payload: frame})
}

func onlyH264ParameterSets(au [][]byte) bool {
	for _, nalu := range au {
		if len(nalu) == 0 {
			continue
		}
		switch h264.NALUType(nalu[0] & 0x1f) {
		case h264.NALUTypeSPS, h264.NALUTypePPS, h264.NALUTypeAccessUnitDelimiter:
		default:
			return false
		}
	}
	return true
}

func onlyH265ParameterSets(au [][]byte) bool {
	for _, nalu := range au {
		if len(nalu) == 0 {
			continue
		}
		switch h265.NALUType((nalu[0] >> 1) & 0x3f) {
		case h265.NALUType_VPS_NUT, h265.NALUType_SPS_NUT, h265.NALUType_PPS_NUT, h265.NALUType_AUD_NUT:
		default:
			return false
		}
	}
	return true
}

func codecName(c rtmpcodecs.Codec) string {
	switch c.(type) {
	case *rtmpcodecs.AV1:
		return "AV1 video"
	case *rtmpcodecs.VP9:
		return "VP9 video"
	case *rtmpcodecs.FLAC:
		return "FLAC audio"
	case *rtmpcodecs.AC3:
		return "AC-3 audio"
	case *rtmpcodecs.G711:
		return "G.711 audio"
	case *rtmpcodecs.LPCM:
		return "uncompressed PCM audio"
	}
	return fmt.Sprintf("%T", c)
}
