package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"time"
)

// KindToolMissing is an ffmpeg or ffprobe that cannot be found: nothing is wrong with the input.
const KindToolMissing = "tool_missing"

// MinVersion is the oldest ffmpeg Reelvault is tested with (Debian 12's).
const MinVersion = "5.1"

// InstallHint says how to get ffmpeg on this operating system.
func InstallHint() string {
	switch runtime.GOOS {
	case "windows":
		return "install it (for example `winget install Gyan.FFmpeg`) or put ffmpeg.exe and ffprobe.exe next to reelvault.exe"
	case "darwin":
		return "install it (for example `brew install ffmpeg`) or put ffmpeg and ffprobe next to the app's binary"
	default:
		return "install it (for example `sudo apt install ffmpeg`) or put ffmpeg and ffprobe next to the reelvault binary"
	}
}

// missingTool is the error of a tool that could not be started because it is not there.
func missingTool(tool string) *Error {
	return &Error{Kind: KindToolMissing,
		Message: fmt.Sprintf("%s was not found: Reelvault needs ffmpeg %s or newer; %s", tool, MinVersion, InstallHint())}
}

// isMissing reports whether a start failure means the executable does not exist.
func isMissing(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist)
}

// LocateTools points FFmpegPath and FFprobePath at copies next to the running executable when
// both are there (a bundled ffmpeg wins over the system's), else leaves the PATH lookup. It
// returns a warning for the user when ffmpeg is missing or older than MinVersion, "" when fine.
// Call it once at start, before any work.
func LocateTools(ctx context.Context) string {
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		ffmpeg, ffprobe := filepath.Join(dir, exeName("ffmpeg")), filepath.Join(dir, exeName("ffprobe"))
		if isFile(ffmpeg) && isFile(ffprobe) {
			FFmpegPath, FFprobePath = ffmpeg, ffprobe
		}
	}
	for _, tool := range []string{FFmpegPath, FFprobePath} {
		if _, err := exec.LookPath(tool); err != nil {
			return missingTool(filepath.Base(tool)).Message
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, FFmpegPath, "-hide_banner", "-version").Output()
	if err != nil {
		return fmt.Sprintf("%s -version failed (%v): Reelvault needs ffmpeg %s or newer; %s", FFmpegPath, err, MinVersion, InstallHint())
	}
	if v, ok := parseVersion(string(out)); ok && versionBelow(v, MinVersion) {
		return fmt.Sprintf("ffmpeg %s is too old: Reelvault needs %s or newer; %s", v, MinVersion, InstallHint())
	}
	return ""
}

func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// versionLine matches "ffmpeg version 5.1.8-0+deb12u1", "ffmpeg version n7.1" and
// "ffmpeg version 6.0-full_build-www.gyan.dev". Git builds ("N-112345-g…") have no number.
var versionLine = regexp.MustCompile(`ffmpeg version n?([0-9]+\.[0-9]+(?:\.[0-9]+)?)`)

func parseVersion(out string) (string, bool) {
	m := versionLine.FindStringSubmatch(out)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// versionBelow compares dotted numeric versions ("5.0.3" < "5.1").
func versionBelow(v, min string) bool {
	a, b := splitVersion(v), splitVersion(min)
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return x < y
		}
	}
	return false
}

var versionNumber = regexp.MustCompile(`[0-9]+`)

func splitVersion(v string) []int {
	var parts []int
	for _, s := range versionNumber.FindAllString(v, 4) {
		n, err := strconv.Atoi(s)
		if err != nil {
			break
		}
		parts = append(parts, n)
	}
	return parts
}
