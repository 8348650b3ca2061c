// Package media is Reelvault's ffprobe/ffmpeg layer: it probes an input (Probe), decides
// how the archive's master MP4 is made (PlanMaster, pure), renders that plan as ffmpeg's
// arguments (Plan.Args), says in words what the master changes (Changes, pure), describes
// the original in Mux's input-info terms (Describe), runs ffmpeg with progress
// (BuildMaster) and draws thumbnails. It owns no files beyond the output paths it is
// given: temp files, fsync, rename and hashing belong to the caller.
//
// A master keeps everything MP4 can hold, stream by stream in the source's order: video
// copied when MP4 holds its codec and it fits the tier, else re-encoded keeping chroma,
// depth, field order, colour and HDR10 metadata (encoding.go says which encoder when);
// every audio track, lossy ones MP4 holds copied, lossless ones as ALAC (or FLAC where
// ALAC would remix the channels), others as AAC; text subtitles as mov_text; timecode,
// chapters, container metadata (as QuickTime keys) and track names and languages; cover
// art as cover art. What MP4 cannot hold is dropped and named by Changes.
//
// User files are read through the file protocol only and only by the demuxers of
// formats.go's allow-list (no playlists or reference formats); pictures over 8K and
// durations over a day are refused before ffmpeg allocates for them, and on Linux each
// tool runs under an address-space bound.
//
// Every external process runs under a context with a finite timeout, in its own process
// group (so a cancel also kills anything ffmpeg spawned), with the tail of its stderr kept
// for the error message.
package media

import "log/slog"

// FFmpegPath and FFprobePath name the binaries to run. They are looked up on PATH by
// default; LocateTools points them at what it finds (tests may set them while no work runs).
var (
	FFmpegPath  = "ffmpeg"
	FFprobePath = "ffprobe"
)

// log returns the package logger; looked up on each use so a slog.SetDefault made by main
// after this package is initialised still applies.
func log() *slog.Logger { return slog.Default().With("component", "media") }
