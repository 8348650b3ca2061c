// Package media is Reelvault's ffprobe/ffmpeg layer: it probes an input, decides how the
// archive's master MP4 is made (PlanMaster), runs ffmpeg with progress (BuildMaster) and
// draws thumbnails. It owns no files beyond the output paths it is given: temp files,
// fsync, rename and hashing belong to the caller.
//
// Every external process runs under a context with a finite timeout, in its own process
// group (so a cancel also kills anything ffmpeg spawned), with the tail of its stderr kept
// for the error message.
package media

import "log/slog"

// FFmpegPath and FFprobePath name the binaries to run. They are looked up on PATH by
// default; main may point them at bundled copies once, before any work starts.
var (
	FFmpegPath  = "ffmpeg"
	FFprobePath = "ffprobe"
)

// log returns the package logger; looked up on each use so a slog.SetDefault made by main
// after this package is initialised still applies.
func log() *slog.Logger { return slog.Default().With("component", "media") }
