package media

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// frameTimeout bounds one picture taken from a video: a seek and one
// frame's decode, even of a 4K HEVC master, take well under it.
const frameTimeout = 30 * time.Second

// Fit modes of a frame, as Mux's thumbnail fit_mode names them.
const (
	FitPreserve  = "preserve"  // within width x height, aspect kept (default)
	FitStretch   = "stretch"   // exactly width x height
	FitCrop      = "crop"      // fills width x height, the middle kept
	FitSmartcrop = "smartcrop" // as crop: Reelvault does not look for the subject
	FitPad       = "pad"       // within width x height, black bars to fill it
)

// MaxFrameSide bounds the side Frame works out from the other one (a width
// asked of a very tall video); sides given are the caller's to bound.
const MaxFrameSide = 4096

// FitModes is every fit mode Frame takes.
var FitModes = []string{FitPreserve, FitStretch, FitCrop, FitSmartcrop, FitPad}

// FrameOptions says which picture Frame writes, and how.
type FrameOptions struct {
	At            float64 // seconds into the video
	Width, Height int     // 0: from the other one's scale, or the video's own size
	Fit           string  // a FitModes value; "" is preserve
	Rotate        int     // clockwise: 0, 90, 180 or 270
	FlipH, FlipV  bool
	Format        string // jpg, png or webp
}

// Frame writes one picture of input's first video stream to output, as the
// video shows it (square pixels, rotation applied), then rotated, flipped
// and scaled as o asks. At or past the end, the last picture is taken.
func Frame(ctx context.Context, input, output string, o FrameOptions) error {
	codec, err := frameCodec(o.Format)
	if err != nil {
		return err
	}
	if err := os.Remove(output); err != nil && !os.IsNotExist(err) {
		return err
	}
	grab := func(seek ...string) error {
		args := append(append([]string{}, seek...), "-i", fileURL(input), "-map", "0:v:0", "-frames:v", "1",
			"-vf", frameFilters(o), "-an", "-sn", "-dn")
		args = append(append(args, codec...), "-f", "image2", "-update", "1", fileURL(output))
		return RunFFmpeg(ctx, frameTimeout, args...)
	}
	if err := grab("-ss", strconv.FormatFloat(max(o.At, 0), 'f', 3, 64)); err != nil {
		return err
	}
	if !nonEmpty(output) {
		// Past the last frame (a time at the container's end): take the last second's first.
		if err := grab("-sseof", "-1"); err != nil {
			return err
		}
	}
	if !nonEmpty(output) {
		return fmt.Errorf("ffmpeg wrote no picture at %.3f s", o.At)
	}
	return nil
}

// frameCodec is ffmpeg's encoder options for a picture format.
func frameCodec(format string) ([]string, error) {
	switch format {
	case "jpg":
		return []string{"-c:v", "mjpeg", "-q:v", "3"}, nil
	case "png":
		return []string{"-c:v", "png"}, nil
	case "webp":
		// Debian's ffmpeg has libwebp (no native WebP encoder exists).
		return []string{"-c:v", "libwebp", "-quality", "80"}, nil
	}
	return nil, fmt.Errorf("media: no picture format %q", format)
}

// frameFilters is the filter chain: square pixels first, then rotation and
// flips, then the size the fit mode asks for.
func frameFilters(o FrameOptions) string {
	f := []string{squarePixels}
	switch o.Rotate {
	case 90:
		f = append(f, "transpose=clock")
	case 180:
		f = append(f, "hflip", "vflip")
	case 270:
		f = append(f, "transpose=cclock")
	}
	if o.FlipH {
		f = append(f, "hflip")
	}
	if o.FlipV {
		f = append(f, "vflip")
	}
	w, h := o.Width, o.Height
	switch {
	case w == 0 && h == 0:
	case w == 0:
		// One side given: the other follows the picture's aspect, whatever the fit,
		// up to MaxFrameSide (then the given side shrinks with it: a very tall video
		// asked 1000 wide would be a picture of tens of megapixels).
		f = append(f, fmt.Sprintf("scale=w=-1:h='min(%d,%d*ih/iw)'", h, MaxFrameSide))
	case h == 0:
		f = append(f, fmt.Sprintf("scale=w='min(%d,%d*iw/ih)':h=-1", w, MaxFrameSide))
	case o.Fit == FitStretch:
		f = append(f, fmt.Sprintf("scale=%d:%d", w, h))
	case o.Fit == FitCrop || o.Fit == FitSmartcrop:
		f = append(f, fmt.Sprintf("scale=%d:%d:force_original_aspect_ratio=increase", w, h), fmt.Sprintf("crop=%d:%d", w, h))
	case o.Fit == FitPad:
		f = append(f, fmt.Sprintf("scale=%d:%d:force_original_aspect_ratio=decrease", w, h),
			fmt.Sprintf("pad=%d:%d:(ow-iw)/2:(oh-ih)/2:black", w, h))
	default: // preserve
		f = append(f, fmt.Sprintf("scale=%d:%d:force_original_aspect_ratio=decrease", w, h))
	}
	return strings.Join(f, ",")
}
