package media

import (
	"fmt"
	"strconv"
	"strings"
)

// Args renders the plan as ffmpeg's full argv (without "ffmpeg") writing exactly to output
// as MP4, whatever its extension, with machine-readable progress on stdout. The input is
// read through the file protocol only, with the probed demuxer forced.
func (p Plan) Args(input, output string) []string {
	a := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	a = append(a, inputArgs(input, p.InputFormat)...)
	// Absolute stream indexes, in source order, so cover art stored as video is never
	// taken for the picture and tracks keep their order.
	var outputs []StreamPlan
	for _, sp := range p.Streams {
		if sp.output() {
			a = append(a, "-map", fmt.Sprintf("0:%d", sp.Index))
			outputs = append(outputs, sp)
		}
	}
	// Container and stream metadata (creation date, location, make/model, reel name,
	// timecode, languages, titles) and chapters come from the input.
	a = append(a, "-map_metadata", "0")
	if p.Chapters {
		a = append(a, "-map_chapters", "0")
	} else {
		a = append(a, "-map_chapters", "-1")
	}
	for i, sp := range outputs {
		a = append(a, sp.args(strconv.Itoa(i))...)
	}
	if p.Experimental {
		a = append(a, "-strict", "experimental")
	}
	for _, kv := range p.Metadata {
		a = append(a, "-metadata", kv[0]+"="+kv[1])
	}
	// use_metadata_tags writes every key as a QuickTime metadata key (mdta), as cameras
	// and phones do, instead of only the few iTunes tags MP4 knows. ffmpeg 5.1 then writes
	// no iTunes list, which is where cover art lives, so music with a cover keeps iTunes tags.
	movflags := "+faststart+use_metadata_tags"
	if p.hasCoverArt() {
		movflags = "+faststart"
	}
	return append(a,
		"-movflags", movflags,
		// Sparse streams (a long silence, a late first video frame) otherwise abort with
		// "Too many packets buffered for output stream".
		"-max_muxing_queue_size", "4096",
		"-progress", "pipe:1", "-nostats",
		"-f", "mp4", fileURL(output))
}

func (p Plan) hasCoverArt() bool {
	for _, sp := range p.Streams {
		if sp.AttachedPic && sp.Action == ActionCopy {
			return true
		}
	}
	return false
}

// args are the per-stream options of output stream n.
func (sp StreamPlan) args(n string) []string {
	opt := func(flag string) string { return flag + ":" + n }
	var a []string
	switch {
	case sp.Action == ActionCopy:
		a = []string{opt("-c"), "copy"}
	case sp.Action == ActionConvert:
		a = []string{opt("-c"), "mov_text"}
	case sp.Video != nil:
		a = sp.Video.args(opt)
	case sp.Audio != nil:
		a = sp.Audio.args(opt)
	}
	if sp.Tag != "" {
		a = append(a, opt("-tag"), sp.Tag)
	}
	if sp.AttachedPic {
		a = append(a, opt("-disposition"), "attached_pic")
	}
	if sp.Title != "" {
		a = append(a, "-metadata:s:"+n, "handler_name="+sp.Title)
	}
	return a
}

func (v VideoEncoding) args(opt func(string) string) []string {
	a := []string{opt("-c"), v.Encoder, opt("-preset"), v.Preset, opt("-crf"), strconv.Itoa(v.CRF),
		opt("-profile"), v.Profile, opt("-pix_fmt"), v.PixFmt,
		// ffmpeg autorotates before this filter, so the size is in display orientation
		// and the master's pixels are upright (no display matrix needed).
		opt("-filter"), scaleFilter(v.Width, v.Height, v.ColorRange, v.FieldOrder != ""),
		// Timestamps pass through untouched: the frame rate (also a variable one) is kept.
		opt("-fps_mode"), "passthrough"}
	a = appendIf(a, opt("-color_primaries"), v.ColorPrimaries)
	a = appendIf(a, opt("-color_trc"), v.ColorTransfer)
	a = appendIf(a, opt("-colorspace"), v.ColorSpace)
	a = appendIf(a, opt("-color_range"), v.ColorRange)
	switch v.Encoder {
	case "libx264":
		if v.FieldOrder != "" {
			// Field coding (interlaced DCT and motion estimation), field order kept.
			first := "tff=1"
			if v.FieldOrder == "bb" {
				first = "bff=1"
			}
			a = append(a, opt("-flags"), "+ildct+ilme", opt("-x264-params"), first, opt("-field_order"), v.FieldOrder)
		}
	case "libx265":
		// x265 prints its own banner and stats to stderr otherwise, drowning real errors.
		params := []string{"log-level=error"}
		if md := v.MasteringDisplay; md != nil {
			params = append(params, "hdr10=1", fmt.Sprintf("master-display=G(%d,%d)B(%d,%d)R(%d,%d)WP(%d,%d)L(%d,%d)",
				md.GreenX, md.GreenY, md.BlueX, md.BlueY, md.RedX, md.RedY, md.WhiteX, md.WhiteY, md.MaxLuminance, md.MinLuminance))
		}
		if cl := v.ContentLight; cl != nil {
			params = append(params, fmt.Sprintf("max-cll=%d,%d", cl.MaxCLL, cl.MaxFALL))
		}
		a = append(a, opt("-x265-params"), strings.Join(params, ":"))
	}
	return a
}

func (e AudioEncoding) args(opt func(string) string) []string {
	a := []string{opt("-c"), e.Encoder}
	if e.Encoder == "alac" {
		// No -ac: channels and layout pass through untouched.
		return append(a, opt("-sample_fmt"), e.SampleFmt)
	}
	a = append(a, opt("-b"), strconv.Itoa(e.BitRate), opt("-ac"), strconv.Itoa(e.Channels))
	if e.SampleRate > 0 {
		a = append(a, opt("-ar"), strconv.Itoa(e.SampleRate))
	}
	return a
}

// scaleFilter resizes to the exact even size; when the source range is known it is kept,
// otherwise swscale would turn full-range (JPEG-style) sources into limited range while
// the copied tag still said "pc". Interlaced pictures are scaled field by field.
func scaleFilter(w, h int, colorRange string, interlaced bool) string {
	f := fmt.Sprintf("scale=%d:%d", w, h)
	if colorRange == "pc" || colorRange == "tv" {
		f += ":out_range=" + colorRange
	}
	if interlaced {
		f += ":interl=1"
	}
	return f
}

func appendIf(a []string, flag, value string) []string {
	if value == "" {
		return a
	}
	return append(a, flag, value)
}
