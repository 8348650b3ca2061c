package media

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
)

// Error kinds: stable identifiers the archive can store and map to API error types.
const (
	KindNotFound       = "not_found"
	KindUnreadable     = "unreadable"
	KindNotMedia       = "not_media"
	KindNoVideoOrAudio = "no_video_or_audio"
	KindTruncated      = "truncated"
	KindUnsupported    = "unsupported"
	KindFFmpegFailed   = "ffmpeg_failed"
	KindTimeout        = "timeout"
	KindTooLarge       = "too_large"     // picture or duration beyond what Reelvault takes
	KindOutOfMemory    = "out_of_memory" // ffmpeg hit its memory bound
)

// Error carries a human message for the user and ffmpeg's stderr tail for the log.
type Error struct {
	Kind    string // one of the Kind* constants
	Message string // for a person: what is wrong with their file, no jargon beyond the codec name
	Detail  string // tool stderr tail or underlying error, for the log
}

func (e *Error) Error() string { return "media: " + e.Kind + ": " + e.Message }

// Messages shown to users for the two most common bad inputs.
const (
	msgNotMedia  = "not a video file ffmpeg can read"
	msgTruncated = "the file is incomplete or damaged (moov atom not found)"
)

// checkInput gives the precise reason before any tool runs: a path that is missing, a
// folder, or an empty file would otherwise yield ffprobe's vaguer wording.
func checkInput(path string) *Error {
	st, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return &Error{Kind: KindNotFound, Message: "the file does not exist: " + path, Detail: err.Error()}
	case os.IsPermission(err):
		return &Error{Kind: KindUnreadable, Message: "no permission to read the file", Detail: err.Error()}
	case err != nil:
		return &Error{Kind: KindUnreadable, Message: "the file cannot be read", Detail: err.Error()}
	case st.IsDir():
		return &Error{Kind: KindNotMedia, Message: "this is a folder, not a video file"}
	case st.Size() == 0:
		return &Error{Kind: KindNotMedia, Message: "the file is empty"}
	}
	return nil
}

// classifyInputError maps what ffprobe/ffmpeg said about an input to a human error.
// path is sniffed to tell a cut-off MP4 from a file that never was one, because the
// MP4 demuxer says "moov atom not found" for both.
func classifyInputError(path, stderr string) *Error {
	if m := refusedFormat.FindStringSubmatch(stderr); m != nil {
		return notAVideoFormat(m[1])
	}
	s := strings.ToLower(stderr)
	switch {
	case strings.Contains(s, "no such file or directory"):
		return &Error{Kind: KindNotFound, Message: "the file does not exist: " + path}
	case strings.Contains(s, "permission denied"):
		return &Error{Kind: KindUnreadable, Message: "no permission to read the file"}
	case strings.Contains(s, "moov atom not found"):
		if looksLikeISOBMFF(path) {
			return &Error{Kind: KindTruncated, Message: msgTruncated}
		}
		return &Error{Kind: KindNotMedia, Message: msgNotMedia}
	case strings.Contains(s, "partial file"):
		return &Error{Kind: KindTruncated, Message: "the file is incomplete or damaged (it ends before its last frame)"}
	case strings.Contains(s, "invalid data found when processing input"),
		strings.Contains(s, "could not find codec parameters"):
		return &Error{Kind: KindNotMedia, Message: msgNotMedia}
	case strings.Contains(s, "input/output error"):
		return &Error{Kind: KindUnreadable, Message: "the disk reported an error while reading the file"}
	}
	return &Error{Kind: KindUnreadable, Message: "ffmpeg could not read the file: " + lastLine(stderr)}
}

// classifyFFmpegError maps ffmpeg's stderr from a run that reads input and writes output;
// task says what it was doing ("make the master"), for the fallback message.
func classifyFFmpegError(input, task, stderr string) *Error {
	s := strings.ToLower(stderr)
	switch {
	case strings.Contains(s, "no space left on device"):
		return &Error{Kind: KindFFmpegFailed, Message: "not enough disk space to write the master"}
	case strings.Contains(s, "cannot allocate memory"), strings.Contains(s, "malloc of size"),
		strings.Contains(s, "out of memory"):
		return &Error{Kind: KindOutOfMemory, Message: "ffmpeg needed more memory than Reelvault allows it while making the master"}
	case strings.Contains(s, "could not find tag for codec"):
		return &Error{Kind: KindUnsupported, Message: "a stream in this file cannot be stored in MP4"}
	case strings.Contains(s, "moov atom not found"), strings.Contains(s, "partial file"),
		strings.Contains(s, "no such file or directory"), strings.Contains(s, "invalid data found when processing input"):
		return classifyInputError(input, stderr)
	}
	return &Error{Kind: KindFFmpegFailed, Message: "ffmpeg could not " + task + ": " + lastLine(stderr)}
}

// looksLikeISOBMFF reports whether the file starts with an MP4/MOV box header, i.e. it
// was an MP4 that lost its index rather than text or another format renamed .mp4.
func looksLikeISOBMFF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	for _, box := range []string{"ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"} {
		if bytes.Equal(head[4:8], []byte(box)) {
			return true
		}
	}
	return false
}

// logPrefix matches the "[mov,mp4,... @ 0x55d0c0]" tag ffmpeg puts before a message; it
// means nothing to a person.
var logPrefix = regexp.MustCompile(`^\[[^\]]* @ 0x[0-9a-f]+\]\s*`)

// lastLine returns the last non-empty line of a tool's stderr, the one that usually says
// what finally went wrong.
func lastLine(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(logPrefix.ReplaceAllString(lines[i], "")); l != "" {
			return l
		}
	}
	return "no error output"
}
