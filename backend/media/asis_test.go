package media

import "testing"

func TestStoresInputAsIs(t *testing.T) {
	info := &Info{FormatName: "mov,mp4,m4a,3gp,3g2,mj2", Streams: []Stream{
		{Index: 0, Type: "video", Codec: "h264", CodecTag: "avc1"},
		{Index: 1, Type: "audio", Codec: "aac", CodecTag: "mp4a"},
		{Index: 2, Type: "data", CodecTag: "tmcd"},
	}}
	asIs := Plan{Mode: ModeRemux, Streams: []StreamPlan{
		{Index: 0, Action: ActionCopy, Codec: "h264"},
		{Index: 1, Action: ActionCopy, Codec: "aac"},
		{Index: 2, Action: ActionTimecode},
	}, Metadata: [][2]string{{"major_brand", ""}, {"compatible_brands", ""}}}
	if !asIs.StoresInputAsIs(info) {
		t.Fatal("a copy of every stream with only the brand tags dropped is stored as is")
	}
	change := func(f func(p *Plan)) Plan {
		p := asIs
		p.Streams = append([]StreamPlan{}, asIs.Streams...)
		p.Metadata = append([][2]string{}, asIs.Metadata...)
		f(&p)
		return p
	}
	cases := map[string]Plan{
		"a transcode":          change(func(p *Plan) { p.Mode = ModeTranscode }),
		"audio encoded":        change(func(p *Plan) { p.Streams[1].Action = ActionEncode }),
		"a stream dropped":     change(func(p *Plan) { p.Streams[2].Action = ActionDrop }),
		"subtitles converted":  change(func(p *Plan) { p.Streams[2].Action = ActionConvert }),
		"HEVC retagged":        change(func(p *Plan) { p.Streams[0].Tag = "hvc1" }),
		"a location added":     change(func(p *Plan) { p.Metadata = append(p.Metadata, [2]string{"location", "+48.8+002.3/"}) }),
		"cover art":            change(func(p *Plan) { p.Streams[0].AttachedPic = true }),
		"streams out of order": change(func(p *Plan) { p.Streams[0].Index, p.Streams[1].Index = 1, 0 }),
	}
	for name, p := range cases {
		if p.StoresInputAsIs(info) {
			t.Errorf("%s: StoresInputAsIs = true, want false", name)
		}
	}
	same := change(func(p *Plan) { p.Streams[0].Tag = "avc1" })
	if !same.StoresInputAsIs(info) {
		t.Error("a forced tag equal to the input's changes nothing")
	}
}
