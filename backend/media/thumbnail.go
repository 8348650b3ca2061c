package media

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"
)

const (
	thumbnailWidth   = 320
	thumbnailTimeout = 60 * time.Second
)

// Thumbnail writes a 320 px wide JPEG of the picture about 10% into the video (at least 1 s
// in when the video is long enough, to skip fades from black) for the UI. The picture is
// upright: rotation is applied. An audio file's cover art is used when it has one; other
// audio-only inputs have no picture and return *Error.
func Thumbnail(ctx context.Context, input, output string, info *Info) error {
	return ThumbnailAt(ctx, input, output, info, -1)
}

// ThumbnailAt is Thumbnail of the picture at seconds into the video (Mux's
// thumbnail_time); a negative at is Thumbnail's default frame.
func ThumbnailAt(ctx context.Context, input, output string, info *Info, seconds float64) error {
	if e := checkInput(input); e != nil {
		return e
	}
	picture := pictureStream(info)
	if picture == nil {
		return &Error{Kind: KindUnsupported, Message: "the file has no picture to make a thumbnail from"}
	}
	// A frame is only written on success, so a stale file must not pass for a new one.
	if err := os.Remove(output); err != nil && !os.IsNotExist(err) {
		return &Error{Kind: KindFFmpegFailed, Message: "cannot replace the old thumbnail", Detail: err.Error()}
	}
	at := thumbnailTime(info.Duration)
	if seconds >= 0 {
		at = min(seconds, max(info.Duration-0.001, 0))
	}
	if picture.AttachedPic {
		at = 0 // cover art is a single picture at the start
	}
	err := grabFrame(ctx, input, output, info, picture.Index, at)
	if err == nil && !nonEmpty(output) && at > 0 {
		// The container's duration overstated the video: take the first frame instead.
		err = grabFrame(ctx, input, output, info, picture.Index, 0)
	}
	if err != nil {
		return err
	}
	if !nonEmpty(output) {
		return &Error{Kind: KindFFmpegFailed, Message: "ffmpeg could not decode a picture from the video"}
	}
	return nil
}

// pictureStream is the video stream, or else the cover art, or nil.
func pictureStream(info *Info) *Stream {
	if info == nil {
		return nil
	}
	if info.Video != nil {
		return info.Video
	}
	for i := range info.Streams {
		if info.Streams[i].AttachedPic {
			return &info.Streams[i]
		}
	}
	return nil
}

func thumbnailTime(duration float64) float64 {
	if duration <= 0 {
		return 0
	}
	return max(min(1, duration/2), duration*0.1)
}

func grabFrame(ctx context.Context, input, output string, info *Info, streamIndex int, at float64) error {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	if at > 0 {
		// Seeking before -i jumps to the nearest keyframe and decodes from there: fast on
		// long files. Never at 0: any seek drops cover art, which is sent once at the start.
		args = append(args, "-ss", strconv.FormatFloat(at, 'f', 3, 64))
	}
	args = append(args, inputArgs(input, info.FormatName)...)
	args = append(args,
		"-map", fmt.Sprintf("0:%d", streamIndex), "-frames:v", "1",
		"-vf", fmt.Sprintf("%s,scale=%d:-2", squarePixels, thumbnailWidth), "-c:v", "mjpeg", "-q:v", "3",
		"-f", "image2", "-update", "1", fileURL(output))
	res := run(ctx, toolRun{bin: ffmpegBin(), args: args, timeout: thumbnailTimeout, memLimit: buildMemLimit})
	if res.err != nil {
		return res.failure("ffmpeg", thumbnailTimeout, func(stderr string) *Error { return classifyFFmpegError(input, "make a thumbnail", stderr) })
	}
	return nil
}

// squarePixels widens (or narrows) a picture of non-square pixels to square ones, as a
// player shows it: anamorphic HDV's 1440×1080 becomes 1920×1080. Browsers ignore a JPEG's
// pixel aspect, so a thumbnail made without it is squeezed. (ffmpeg's sar is 1 when unknown.)
const squarePixels = "scale=trunc(iw*sar/2)*2:ih,setsar=1"

func nonEmpty(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() > 0
}
