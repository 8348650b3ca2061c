package media

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Proxy resolutions, as Mux names its static renditions.
const (
	ProxyHighest   = "highest"
	ProxyAudioOnly = "audio-only"
)

// proxyShortSides is the short side of each fixed proxy resolution ("720p" is
// 1280x720 landscape, 720x1280 portrait).
var proxyShortSides = map[string]int{
	"2160p": 2160, "1440p": 1440, "1080p": 1080, "720p": 720,
	"540p": 540, "480p": 480, "360p": 360, "270p": 270,
}

// ProxyResolutions is every resolution a proxy can be asked at, largest first.
var ProxyResolutions = []string{ProxyHighest, ProxyAudioOnly, "2160p", "1440p", "1080p", "720p", "540p", "480p", "360p", "270p"}

// Proxy is how a rendition of a master is made: a file an editor can relink
// to the master (same frame rate, duration, start timecode and audio track
// layout), with a smaller picture that decodes fast (H.264 8-bit 4:2:0 with
// a short GOP, AAC, MP4 with the index first).
type Proxy struct {
	Resolution string
	VideoIndex int // -1: audio only
	Width      int // display orientation, even; 0 for audio only
	Height     int
	FrameRate  float64
	Interlaced bool
	Timecode   string // the master's start timecode, "" when it has none
	Audio      []ProxyAudio
	Duration   float64
}

// ProxyAudio is one audio track of the master, re-encoded to AAC.
type ProxyAudio struct {
	Index      int
	Channels   int
	SampleRate int // 0: keep
	BitRate    int
}

// PlanProxy plans the proxy of a master at resolution. capShort, when above
// zero, bounds the short side (mp4_support's capped-1080p). A proxy that
// cannot be made from this master (a picture larger than the master's, a
// picture of an audio-only master, audio of a silent one) returns the
// reason as skip, as Mux's "skipped" renditions.
func PlanProxy(info *Info, resolution string, capShort int) (p Proxy, skip string) {
	p = Proxy{Resolution: resolution, VideoIndex: -1, Duration: info.Duration}
	for _, s := range info.Streams {
		if s.Type == "audio" {
			ch := min(max(s.Channels, 1), 8) // AAC carries up to 7.1
			a := ProxyAudio{Index: s.Index, Channels: ch, BitRate: min(64_000*ch, 384_000)}
			if ch <= 2 {
				a.BitRate = 96_000 * ch
			}
			if s.SampleRate > 0 && !aacSampleRates[s.SampleRate] {
				a.SampleRate = 48000
			}
			p.Audio = append(p.Audio, a)
		}
	}
	p.Timecode = startTimecode(info)
	if resolution == ProxyAudioOnly {
		if len(p.Audio) == 0 {
			return p, "the master has no audio"
		}
		p.Timecode = "" // a timecode track needs a picture to run against
		return p, ""
	}
	v := info.Video
	if v == nil || v.Width <= 0 || v.Height <= 0 {
		return p, "the master has no picture"
	}
	w, h := v.DisplaySize()
	short := min(w, h)
	target := short
	if resolution != ProxyHighest {
		want, ok := proxyShortSides[resolution]
		if !ok {
			return p, fmt.Sprintf("%q is not a resolution", resolution)
		}
		if want > short {
			return p, fmt.Sprintf("%s is above the master's %dx%d", resolution, w, h)
		}
		target = want
	}
	if capShort > 0 {
		target = min(target, capShort)
	}
	scale := float64(target) / float64(short)
	p.VideoIndex = v.Index
	p.Width, p.Height = evenFloor(float64(w)*scale), evenFloor(float64(h)*scale)
	p.FrameRate = v.FrameRate
	p.Interlaced = v.Interlaced()
	return p, ""
}

// startTimecode is the master's start timecode: its timecode track's, the
// video stream's, or the container's.
func startTimecode(info *Info) string {
	for _, s := range info.Streams {
		if s.Timecode != "" && (s.CodecTag == "tmcd" || s.Codec == "timecode") {
			return s.Timecode
		}
	}
	if info.Video != nil && info.Video.Timecode != "" {
		return info.Video.Timecode
	}
	return info.Tags["timecode"]
}

// AudioOnly reports whether the proxy has no picture (an M4A).
func (p Proxy) AudioOnly() bool { return p.VideoIndex < 0 }

// gop is the distance between key frames: half a second, so an editor's
// scrubbing and cuts decode few frames.
func (p Proxy) gop() int {
	if p.FrameRate <= 0 {
		return 12
	}
	return max(1, int(math.Round(p.FrameRate/2)))
}

// Args is ffmpeg's argv (without "ffmpeg") writing the proxy of master to output as MP4.
func (p Proxy) Args(master, output string) []string {
	a := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	a = append(a, inputArgs(master, "")...)
	if !p.AudioOnly() {
		a = append(a, "-map", fmt.Sprintf("0:%d", p.VideoIndex))
	}
	for _, au := range p.Audio {
		a = append(a, "-map", fmt.Sprintf("0:%d", au.Index))
	}
	// The master's metadata (creation date, reel name, languages, track names) is what an
	// editor's relink compares besides timecode and duration. Chapters would add a track.
	a = append(a, "-map_metadata", "0", "-map_chapters", "-1")
	if !p.AudioOnly() {
		filter := fmt.Sprintf("scale=%d:%d", p.Width, p.Height)
		if p.Interlaced {
			filter = "yadif=mode=send_frame:deint=interlaced," + filter // one frame per frame: the rate stays
		}
		a = append(a, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high",
			"-pix_fmt", "yuv420p", "-vf", filter, "-fps_mode", "passthrough",
			"-g", strconv.Itoa(p.gop()), "-keyint_min", "1", "-bf", "0")
		if p.Timecode != "" {
			a = append(a, "-timecode", p.Timecode)
		}
	}
	for i, au := range p.Audio {
		n := strconv.Itoa(i)
		a = append(a, "-c:a:"+n, "aac", "-b:a:"+n, strconv.Itoa(au.BitRate), "-ac:a:"+n, strconv.Itoa(au.Channels))
		if au.SampleRate > 0 {
			a = append(a, "-ar:a:"+n, strconv.Itoa(au.SampleRate))
		}
	}
	return append(a, "-movflags", "+faststart", "-max_muxing_queue_size", "4096",
		"-progress", "pipe:1", "-nostats", "-f", "mp4", fileURL(output))
}

// proxyTimeout bounds one proxy build: it decodes the whole master.
func proxyTimeout(duration float64) time.Duration {
	return 5*time.Minute + time.Duration(10*duration*float64(time.Second))
}

// BuildProxy makes the proxy of master at output (the caller's .part path),
// then decodes it whole with -xerror so a proxy that would fail an editor
// is an error here. Cancelling ctx kills ffmpeg; other failures are *Error.
func BuildProxy(ctx context.Context, master, output string, p Proxy, onProgress func(Progress)) error {
	if e := checkInput(master); e != nil {
		return e
	}
	timeout := proxyTimeout(p.Duration)
	progress := newProgressReader(p.Duration, onProgress)
	res := run(ctx, toolRun{bin: ffmpegBin(), args: p.Args(master, output), timeout: timeout, stdout: progress, memLimit: buildMemLimit})
	if res.err != nil {
		return res.failure("ffmpeg", timeout, func(stderr string) *Error { return classifyFFmpegError(master, "make the proxy", stderr) })
	}
	if st, err := os.Stat(output); err != nil || st.Size() == 0 {
		return &Error{Kind: KindFFmpegFailed, Message: "ffmpeg finished without writing the proxy", Detail: res.stderr}
	}
	if err := CheckDecodes(ctx, output, timeout); err != nil {
		return err
	}
	progress.done()
	return nil
}

// CheckDecodes decodes every stream of path and fails on the first decoding
// error (ffmpeg -xerror).
func CheckDecodes(ctx context.Context, path string, timeout time.Duration) error {
	res := run(ctx, toolRun{bin: ffmpegBin(), timeout: timeout, memLimit: buildMemLimit,
		args: []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-xerror",
			"-protocol_whitelist", "file", "-i", fileURL(path), "-map", "0:v?", "-map", "0:a?", "-f", "null", "-"}})
	if res.err != nil {
		return res.failure("ffmpeg", timeout, func(stderr string) *Error {
			return &Error{Kind: KindFFmpegFailed, Message: "the proxy does not decode: " + lastLine(stderr)}
		})
	}
	if s := strings.TrimSpace(res.stderr); s != "" {
		return &Error{Kind: KindFFmpegFailed, Message: "the proxy does not decode cleanly: " + lastLine(s), Detail: s}
	}
	return nil
}
