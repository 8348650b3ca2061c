package media

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"
)

// The hover-skim sprite: up to SpriteMaxTiles small pictures taken evenly through the
// video, letterboxed into SpriteTileWidth×SpriteTileHeight tiles, SpriteColumns a row.
const (
	SpriteTileWidth  = 160
	SpriteTileHeight = 90
	SpriteColumns    = 10
	SpriteMaxTiles   = 50
	// Up to this long every frame is decoded (exact spacing, cheap on short clips); longer
	// videos decode only their keyframes, so a two-hour master does not decode two hours.
	spriteFullDecodeSeconds = 120
	spriteTimeout           = 5 * time.Minute

	WaveformWidth  = 1200
	WaveformHeight = 240
	// The waveform is drawn from the audio resampled this low: the picture is 1200 columns
	// wide, and showwavespic holds all its input until the end (memory on long recordings).
	waveformSampleRate = 4000
	waveformTimeout    = 3 * time.Minute
)

// Sprite describes a sprite sheet: tile i (0-based) shows the picture at i*Interval
// seconds, in row i/Columns and column i%Columns.
type Sprite struct {
	Tiles      int     `json:"tiles"`
	Columns    int     `json:"columns"`
	Rows       int     `json:"rows"`
	TileWidth  int     `json:"tile_width"`
	TileHeight int     `json:"tile_height"`
	Interval   float64 `json:"interval"`
}

// SpriteLayout is the sheet made for a video of this many seconds: five tiles a second
// for short clips, SpriteMaxTiles from ten seconds on.
func SpriteLayout(duration float64) Sprite {
	tiles := max(1, min(SpriteMaxTiles, int(duration*5)))
	cols := min(SpriteColumns, tiles)
	interval := 0.0
	if duration > 0 {
		interval = duration / float64(tiles)
	}
	return Sprite{Tiles: tiles, Columns: cols, Rows: (tiles + cols - 1) / cols,
		TileWidth: SpriteTileWidth, TileHeight: SpriteTileHeight, Interval: interval}
}

// MakeSprite writes the JPEG sprite sheet of the video's pictures (rotation applied) and
// returns its layout. A file without a video stream returns *Error.
func MakeSprite(ctx context.Context, input, output string, info *Info) (Sprite, error) {
	if e := checkInput(input); e != nil {
		return Sprite{}, e
	}
	if info == nil || info.Video == nil || info.Video.AttachedPic {
		return Sprite{}, &Error{Kind: KindUnsupported, Message: "the file has no moving picture to make a sprite from"}
	}
	if info.Duration <= 0 || math.IsNaN(info.Duration) || math.IsInf(info.Duration, 0) {
		return Sprite{}, &Error{Kind: KindUnsupported, Message: "the video's duration is unknown"}
	}
	if err := removeStale(output); err != nil {
		return Sprite{}, err
	}
	layout := SpriteLayout(info.Duration)
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	if info.Duration > spriteFullDecodeSeconds {
		args = append(args, "-skip_frame", "nokey")
	}
	args = append(args, inputArgs(input, info.FormatName)...)
	rate := strconv.FormatFloat(float64(layout.Tiles)/info.Duration, 'f', 6, 64)
	// Square pixels first (squarePixels), so an anamorphic picture is not squeezed into its tiles.
	filter := fmt.Sprintf("fps=%s:round=down,"+squarePixels+",scale=%d:%d:force_original_aspect_ratio=decrease,"+
		"pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,tile=%dx%d",
		rate, layout.TileWidth, layout.TileHeight, layout.TileWidth, layout.TileHeight, layout.Columns, layout.Rows)
	args = append(args, "-map", fmt.Sprintf("0:%d", info.Video.Index), "-an", "-sn", "-dn",
		"-vf", filter, "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "-update", "1", fileURL(output))
	res := run(ctx, toolRun{bin: ffmpegBin(), args: args, timeout: spriteTimeout, memLimit: buildMemLimit})
	if res.err != nil {
		return Sprite{}, res.failure("ffmpeg", spriteTimeout, func(stderr string) *Error { return classifyFFmpegError(input, "make a sprite", stderr) })
	}
	if !nonEmpty(output) {
		return Sprite{}, &Error{Kind: KindFFmpegFailed, Message: "ffmpeg could not decode pictures for the sprite"}
	}
	return layout, nil
}

// MakeWaveform writes a WaveformWidth×WaveformHeight PNG of the first audio stream's
// waveform (channels mixed to one). A file without audio returns *Error.
func MakeWaveform(ctx context.Context, input, output string, info *Info) error {
	if e := checkInput(input); e != nil {
		return e
	}
	if info == nil || info.Audio == nil {
		return &Error{Kind: KindUnsupported, Message: "the file has no sound to draw"}
	}
	if err := removeStale(output); err != nil {
		return err
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	args = append(args, inputArgs(input, info.FormatName)...)
	filter := fmt.Sprintf("[0:%d]aformat=sample_fmts=s16:channel_layouts=mono:sample_rates=%d,"+
		"showwavespic=s=%dx%d:split_channels=0:colors=0x6aa8ff:filter=peak:scale=sqrt[w]", info.Audio.Index, waveformSampleRate, WaveformWidth, WaveformHeight)
	args = append(args, "-filter_complex", filter, "-map", "[w]", "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", fileURL(output))
	res := run(ctx, toolRun{bin: ffmpegBin(), args: args, timeout: waveformTimeout, memLimit: buildMemLimit})
	if res.err != nil {
		return res.failure("ffmpeg", waveformTimeout, func(stderr string) *Error { return classifyFFmpegError(input, "draw the waveform", stderr) })
	}
	if !nonEmpty(output) {
		return &Error{Kind: KindFFmpegFailed, Message: "ffmpeg could not draw the waveform"}
	}
	return nil
}

// removeStale deletes an old output: ffmpeg writes only on success, so an old file must
// not pass for a new one.
func removeStale(output string) error {
	if err := os.Remove(output); err != nil && !os.IsNotExist(err) {
		return &Error{Kind: KindFFmpegFailed, Message: "cannot replace the old picture", Detail: err.Error()}
	}
	return nil
}
