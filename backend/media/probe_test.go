package media

import (
	"testing"
)

// An iPhone-style clip: HEVC 10-bit HLG with a -90 display matrix, AAC, a timecode data
// track, then cover art; numbers as ffprobe prints them (strings, "N/A").
const phoneProbeJSON = `{
  "streams": [
    {"index": 0, "codec_name": "hevc", "profile": "Main 10", "codec_type": "video", "width": 3840, "height": 2160,
     "pix_fmt": "yuv420p10le", "color_range": "tv", "color_space": "bt2020nc", "color_transfer": "arib-std-b67",
     "color_primaries": "bt2020", "r_frame_rate": "30/1", "avg_frame_rate": "30000/1001", "duration": "12.345",
     "bit_rate": "45000000", "disposition": {"attached_pic": 0},
     "side_data_list": [{"side_data_type": "DOVI configuration record"}, {"side_data_type": "Display Matrix", "displaymatrix": "...", "rotation": -90}]},
    {"index": 1, "codec_name": "aac", "profile": "LC", "codec_type": "audio", "sample_rate": "48000", "channels": 2,
     "channel_layout": "stereo", "duration": "12.3", "bit_rate": "N/A"},
    {"index": 2, "codec_type": "data", "codec_tag_string": "tmcd"},
    {"index": 3, "codec_name": "mjpeg", "codec_type": "video", "width": 600, "height": 600, "pix_fmt": "yuvj420p",
     "color_range": "pc", "color_space": "unknown", "avg_frame_rate": "0/0", "r_frame_rate": "90000/1",
     "disposition": {"attached_pic": 1}}
  ],
  "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.400000", "size": "69000000", "bit_rate": "44516129"}
}`

func TestParseProbe(t *testing.T) {
	info, err := parseProbe([]byte(phoneProbeJSON))
	if err != nil {
		t.Fatal(err)
	}
	if info.FormatName != "mov,mp4,m4a,3gp,3g2,mj2" || info.Duration != 12.4 || info.Size != 69000000 || info.BitRate != 44516129 {
		t.Errorf("format %+v", info)
	}
	if len(info.Streams) != 4 {
		t.Fatalf("%d streams, want 4", len(info.Streams))
	}
	v := info.Video
	if v == nil || v.Index != 0 {
		t.Fatalf("primary video %+v, want stream 0 (not the cover art)", v)
	}
	if v.Rotation != 90 || v.BitDepth != 10 || v.Profile != "Main 10" || v.ColorTransfer != "arib-std-b67" || v.ColorRange != "tv" {
		t.Errorf("video %+v", v)
	}
	if w, h := v.DisplaySize(); w != 2160 || h != 3840 {
		t.Errorf("display %dx%d, want 2160x3840", w, h)
	}
	if !near(v.FrameRate, 29.97, 0.001) || v.Duration != 12.345 || v.BitRate != 45000000 {
		t.Errorf("rate %.4f duration %v bitrate %d", v.FrameRate, v.Duration, v.BitRate)
	}
	a := info.Audio
	if a == nil || a.Index != 1 || a.Channels != 2 || a.SampleRate != 48000 || a.ChannelLayout != "stereo" || a.BitRate != 0 {
		t.Errorf("audio %+v", a)
	}
	cover := info.Streams[3]
	if !cover.AttachedPic || cover.ColorSpace != "" || cover.FrameRate != 90000 {
		t.Errorf("cover %+v: want attached pic, unknown colour space dropped, r_frame_rate fallback", cover)
	}
}

func TestParseProbeFallsBackToStreamDuration(t *testing.T) {
	info, err := parseProbe([]byte(`{"streams":[{"index":0,"codec_type":"audio","codec_name":"pcm_s16le","duration":"3.5"}],"format":{"format_name":"wav"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if info.Duration != 3.5 || info.Video != nil || info.Audio == nil {
		t.Errorf("info %+v", info)
	}
}

func TestBitDepth(t *testing.T) {
	cases := []struct {
		pixFmt, raw string
		want        int
	}{
		{"yuv420p", "8", 8}, {"yuv420p", "", 8}, {"yuv420p10le", "", 10}, {"yuv422p10le", "10", 10},
		{"yuva444p12le", "", 12}, {"gray10le", "", 10}, {"p010le", "", 10}, {"gbrp16le", "", 16},
		{"rgb48le", "", 16}, {"x2rgb10le", "", 10}, {"yuvj420p", "", 8}, {"", "12", 12},
	}
	for _, tc := range cases {
		if got := bitDepth(tc.pixFmt, tc.raw); got != tc.want {
			t.Errorf("bitDepth(%q, %q) = %d, want %d", tc.pixFmt, tc.raw, got, tc.want)
		}
	}
}

func TestNormaliseRotation(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want int
	}{{0, 0}, {90, 90}, {-90, 270}, {180, 180}, {-180, 180}, {270, 270}, {-270, 90}, {360, 0}, {89.9, 90}} {
		if got := normaliseRotation(tc.in); got != tc.want {
			t.Errorf("normaliseRotation(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := &tailBuffer{max: 8}
	b.Write([]byte("hello "))
	b.Write([]byte("world!"))
	if got := b.String(); got != "o world!" {
		t.Errorf("tail = %q", got)
	}
}
