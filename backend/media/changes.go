package media

import (
	"fmt"
	"strings"
)

// Changes says, one sentence per change a person would care about, what the master made
// by plan changes compared to the input: re-encoded pictures and sound (and why), audio
// kept lossless in another codec, converted subtitles, dropped streams. It is empty for a
// pure remux; copied streams, the timecode track and chapters are not changes. Runs of
// identical audio changes are said once ("4 × PCM 24-bit kept lossless as ALAC").
func Changes(info *Info, plan Plan) []string {
	if info == nil {
		return nil
	}
	byIndex := make(map[int]Stream, len(info.Streams))
	for _, s := range info.Streams {
		byIndex[s.Index] = s
	}
	var out []string
	var last string
	run := 0
	flush := func() {
		switch {
		case run == 1:
			out = append(out, last)
		case run > 1:
			out = append(out, fmt.Sprintf("%d × %s", run, last))
		}
		run, last = 0, ""
	}
	for _, sp := range plan.Streams {
		s := byIndex[sp.Index]
		sentence, groupable := changeOf(s, sp)
		if sentence == "" {
			continue
		}
		if groupable && sentence == last {
			run++
			continue
		}
		flush()
		if groupable {
			last, run = sentence, 1
		} else {
			out = append(out, sentence)
		}
	}
	flush()
	return out
}

// changeOf describes one stream's change ("" for none); groupable sentences repeat
// identically for identical tracks and are counted instead.
func changeOf(s Stream, sp StreamPlan) (string, bool) {
	switch sp.Action {
	case ActionDrop:
		return sp.Why, false
	case ActionConvert:
		return fmt.Sprintf("%s subtitles%s converted to MP4 text subtitles (mov_text); styling is not kept",
			codecLabel(s.Codec), languageNote(s.Language)), false
	case ActionEncode:
		if sp.Video != nil {
			return videoChange(s, sp), false
		}
		if sp.Audio != nil {
			return audioChange(s, *sp.Audio), true
		}
	}
	return "", false
}

func videoChange(s Stream, sp StreamPlan) string {
	v := *sp.Video
	label := codecLabel(s.Codec)
	because := strings.ReplaceAll(sp.Why, label+" cannot be stored in MP4", "MP4 cannot hold "+label)
	because = strings.ReplaceAll(because, "; ", " and ")
	w, h := s.DisplaySize()
	sentence := fmt.Sprintf("%s video re-encoded to %s, because %s", label, describeEncoding(v), because)
	if v.Width != w || v.Height != h {
		sentence += fmt.Sprintf(" (scaled from %dx%d to %dx%d)", w, h, v.Width, v.Height)
	}
	if v.DroppedAlpha {
		sentence += "; its transparency (alpha) is not kept"
	}
	if s.BitDepth > 12 {
		sentence += fmt.Sprintf("; %d-bit stored at 12 bits", s.BitDepth)
	} else if s.BitDepth > 10 && v.Encoder == "libx264" {
		sentence += fmt.Sprintf("; %d-bit interlaced stored at 10 bits", s.BitDepth)
	}
	return sentence
}

// describeEncoding says "H.264 4:2:2 10-bit interlaced (top field first)" or "HEVC 4:2:0 10-bit HDR10".
func describeEncoding(v VideoEncoding) string {
	chroma, _ := chromaOf(v.PixFmt)
	depth := 8
	if strings.HasSuffix(v.PixFmt, "10le") {
		depth = 10
	} else if strings.HasSuffix(v.PixFmt, "12le") {
		depth = 12
	}
	d := fmt.Sprintf("%s %s:%s:%s %d-bit", codecLabel(EncoderCodec(v.Encoder)), chroma[:1], chroma[1:2], chroma[2:], depth)
	switch v.FieldOrder {
	case "tt":
		d += " interlaced (top field first)"
	case "bb":
		d += " interlaced (bottom field first)"
	}
	if v.MasteringDisplay != nil {
		d += " with its HDR10 metadata"
	}
	return d
}

func audioChange(s Stream, e AudioEncoding) string {
	src := audioLabel(s)
	switch e.Encoder {
	case "alac", "flac":
		codec := codecLabel(e.Encoder)
		sentence := src + " kept lossless as " + codec
		if e.Encoder == "flac" {
			sentence += fmt.Sprintf(", because ALAC would remix its %s channels (Final Cut Pro and Premiere do not read FLAC in MP4)", orUnknown(s.ChannelLayout))
		}
		if s.BitsPerSample > 24 || strings.HasPrefix(s.SampleFmt, "flt") || strings.HasPrefix(s.SampleFmt, "dbl") {
			sentence = fmt.Sprintf("%s stored as 24-bit %s: its samples lose their lowest bits (MP4's lossless codecs hold at most 24 bits here)", src, codec)
		}
		return sentence
	}
	return fmt.Sprintf("%s re-encoded to AAC %d kb/s, because MP4 players cannot play %s", src, e.BitRate/1000, codecLabel(s.Codec))
}

// audioLabel names a track the way a sound recordist would: "PCM 24-bit", "FLAC 16-bit".
func audioLabel(s Stream) string {
	l := codecLabel(s.Codec)
	switch {
	case strings.HasPrefix(s.Codec, "pcm_f"):
		l += fmt.Sprintf(" %d-bit float", s.BitsPerSample)
	case losslessAudio(s.Codec) && s.BitsPerSample > 0:
		l += fmt.Sprintf(" %d-bit", s.BitsPerSample)
	}
	return l
}

func languageNote(lang string) string {
	if lang == "" {
		return ""
	}
	return " (" + lang + ")"
}
