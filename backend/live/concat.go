package live

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"reelvault/backend/media"
)

// concatCopy joins parts with identical headers without re-encoding
// (ffmpeg's concat demuxer shifts each part to start where the last ended).
func concatCopy(ctx context.Context, out string, parts []string) error {
	list := out + ".txt"
	var b strings.Builder
	for _, p := range parts {
		// The concat list quotes with '...'; a quote inside is written '\''.
		fmt.Fprintf(&b, "file 'file:%s'\n", strings.ReplaceAll(p, "'", `'\''`))
	}
	if err := os.WriteFile(list, []byte(b.String()), 0o644); err != nil {
		return err
	}
	defer os.Remove(list)
	return media.RunFFmpeg(ctx, time.Hour, "-f", "concat", "-safe", "0", "-i", "file:"+list,
		"-map", "0", "-c", "copy", "-f", "mp4", "file:"+out)
}

// concatTranscode joins parts whose codec parameters differ (the encoder
// came back with other settings): every part is scaled and padded to the
// first video part's size and frame rate, audio to 48 kHz stereo; a part
// without video gets black frames and one without audio silence, so no
// part's media is dropped.
func concatTranscode(ctx context.Context, out string, parts []string) error {
	infos := make([]*media.Info, len(parts))
	var video *media.Stream
	anyAudio := false
	total := 0.0
	for i, p := range parts {
		info, err := media.Probe(ctx, p)
		if err != nil {
			return err
		}
		infos[i] = info
		if video == nil && info.Video != nil {
			video = info.Video
		}
		anyAudio = anyAudio || info.Audio != nil
		total += info.Duration
	}
	var args []string
	var filters, joined []string
	w, h, fps := 0, 0, 30.0
	if video != nil {
		w, h = video.Width&^1, video.Height&^1
		if video.FrameRate > 0 {
			fps = video.FrameRate
		}
	}
	for i, p := range parts {
		args = append(args, "-i", "file:"+p)
		info := infos[i]
		if video != nil {
			if info.Video != nil {
				filters = append(filters, fmt.Sprintf("[%d:v:0]scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=%g,format=yuv420p[v%d]", i, w, h, w, h, fps, i))
			} else {
				filters = append(filters, fmt.Sprintf("color=c=black:s=%dx%d:r=%g:d=%.3f,format=yuv420p[v%d]", w, h, fps, info.Duration, i))
			}
			joined = append(joined, fmt.Sprintf("[v%d]", i))
		}
		if anyAudio {
			if info.Audio != nil {
				filters = append(filters, fmt.Sprintf("[%d:a:0]aresample=48000,aformat=channel_layouts=stereo[a%d]", i, i))
			} else {
				filters = append(filters, fmt.Sprintf("anullsrc=r=48000:cl=stereo,atrim=duration=%.3f[a%d]", info.Duration, i))
			}
			joined = append(joined, fmt.Sprintf("[a%d]", i))
		}
	}
	v, a := 0, 0
	if video != nil {
		v = 1
	}
	if anyAudio {
		a = 1
	}
	filters = append(filters, fmt.Sprintf("%sconcat=n=%d:v=%d:a=%d[outv][outa]", strings.Join(joined, ""), len(parts), v, a))
	graph := strings.Join(filters, ";")
	if v == 0 {
		graph = strings.Replace(graph, "[outv]", "", 1)
	}
	if a == 0 {
		graph = strings.Replace(graph, "[outa]", "", 1)
	}
	args = append(args, "-filter_complex", graph)
	if v == 1 {
		args = append(args, "-map", "[outv]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "16")
	}
	if a == 1 {
		args = append(args, "-map", "[outa]", "-c:a", "aac", "-b:a", "256k")
	}
	args = append(args, "-f", "mp4", "file:"+out)
	timeout := 10*time.Minute + time.Duration(20*total*float64(time.Second))
	return media.RunFFmpeg(ctx, timeout, args...)
}
