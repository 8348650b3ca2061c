package media

import "testing"

func TestBrowserPlays(t *testing.T) {
	video := func(codec, pix string) Stream {
		return Stream{Index: 0, Type: "video", Codec: codec, PixFmt: pix, Width: 1920, Height: 1080}
	}
	audio := func(codec string) Stream {
		return Stream{Index: 1, Type: "audio", Codec: codec, Channels: 2, SampleRate: 48000}
	}
	for _, c := range []struct {
		name    string
		streams []Stream
		want    bool
	}{
		{"H.264 4:2:0 8-bit + AAC", []Stream{video("h264", "yuv420p"), audio("aac")}, true},
		{"H.264 full range + Opus", []Stream{video("h264", "yuvj420p"), audio("opus")}, true},
		{"MP3 alone", []Stream{audio("mp3")}, true},
		{"a timecode track", []Stream{video("h264", "yuv420p"), {Index: 2, Type: "data", CodecTag: "tmcd"}}, true},
		{"H.264 High 10", []Stream{video("h264", "yuv420p10le")}, false},
		{"H.264 4:2:2", []Stream{video("h264", "yuv422p")}, false},
		{"HEVC 4:2:2 10-bit (a ProRes master)", []Stream{video("hevc", "yuv422p10le"), audio("alac")}, false},
		{"H.264 with ALAC", []Stream{video("h264", "yuv420p"), audio("alac")}, false},
		{"ALAC alone", []Stream{audio("alac")}, false},
		{"a second track in PCM", []Stream{audio("aac"), {Index: 2, Type: "audio", Codec: "pcm_s24le"}}, false},
	} {
		if got := BrowserPlays(&Info{Streams: c.streams}); got != c.want {
			t.Errorf("%s: BrowserPlays = %v, want %v", c.name, got, c.want)
		}
	}
	if CodecsMayPlay("hevc", "aac") || CodecsMayPlay("h264", "alac") || !CodecsMayPlay("h264", "aac") || !CodecsMayPlay("", "mp3") {
		t.Error("CodecsMayPlay: want false for HEVC or ALAC, true for H.264/AAC and MP3 alone")
	}
}

func TestPlanPlaybackCopy(t *testing.T) {
	v := Stream{Index: 0, Type: "video", Codec: "hevc", PixFmt: "yuv422p10le", Width: 3840, Height: 2160, FrameRate: 25}
	a := Stream{Index: 1, Type: "audio", Codec: "alac", Channels: 2, SampleRate: 48000}
	big := &Info{Streams: []Stream{v, a}, Video: &v, Audio: &a, Duration: 10}
	if p, skip := PlanPlaybackCopy(big); skip != "" || p.Width != 1280 || p.Height != 720 || len(p.Audio) != 1 {
		t.Errorf("4K master: copy %dx%d with %d audio (skip %q), want 1280x720 with its audio", p.Width, p.Height, len(p.Audio), skip)
	}
	small := v
	small.Width, small.Height = 640, 360
	if p, _ := PlanPlaybackCopy(&Info{Streams: []Stream{small}, Video: &small}); p.Width != 640 || p.Height != 360 {
		t.Errorf("360p master: copy %dx%d, want its own size (never upscaled)", p.Width, p.Height)
	}
	if p, skip := PlanPlaybackCopy(&Info{Streams: []Stream{a}, Audio: &a}); skip != "" || !p.AudioOnly() || len(p.Audio) != 1 {
		t.Errorf("ALAC master: %+v (skip %q), want an audio-only copy", p, skip)
	}
}
