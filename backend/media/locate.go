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
	"sync"
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
		return "install it (for example `winget install Gyan.FFmpeg`) or put ffmpeg.exe and ffprobe.exe next to reelvault.exe, or choose their folder in Settings"
	case "darwin":
		return "install it (for example `brew install ffmpeg`) or put ffmpeg and ffprobe next to the app's binary, or choose their folder in Settings"
	default:
		return "install it (for example `sudo apt install ffmpeg`) or put ffmpeg and ffprobe next to the reelvault binary, or choose their folder in Settings"
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

// The tool paths may change while work runs (a folder set in Settings), so they are read and
// written under toolsMu; problem is what LocateTools last found wrong ("" when fine).
var (
	toolsMu sync.RWMutex
	problem string
)

func ffmpegBin() string {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	return FFmpegPath
}

func ffprobeBin() string {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	return FFprobePath
}

// ToolsProblem is what LocateTools last found wrong with ffmpeg, for the user; "" when fine.
func ToolsProblem() string {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	return problem
}

// ToolsPaths are the ffmpeg and ffprobe that run.
func ToolsPaths() (ffmpeg, ffprobe string) {
	toolsMu.RLock()
	defer toolsMu.RUnlock()
	return FFmpegPath, FFprobePath
}

// LocateTools looks for ffmpeg and ffprobe next to the running executable (a bundled copy
// wins), then on PATH, then at configured (a folder holding both, or the ffmpeg file with
// ffprobe beside it; "" for none), and points FFmpegPath and FFprobePath at the first place
// that has both. It returns a warning for the user when none has them or the one found is
// older than MinVersion, "" when fine; ToolsProblem returns it too. It may be called again
// while work runs (the setting changed, or the user installed ffmpeg).
func LocateTools(ctx context.Context, configured string) string {
	ffmpeg, ffprobe, msg := findTools(ctx, configured)
	toolsMu.Lock()
	defer toolsMu.Unlock()
	if ffmpeg != "" {
		FFmpegPath, FFprobePath = ffmpeg, ffprobe
	}
	problem = msg
	return msg
}

// findTools returns the first pair of tools found and what is wrong with it, or no tools and
// what is missing.
func findTools(ctx context.Context, configured string) (ffmpeg, ffprobe, msg string) {
	type pair struct{ ffmpeg, ffprobe string }
	var places []pair
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		places = append(places, pair{filepath.Join(dir, exeName("ffmpeg")), filepath.Join(dir, exeName("ffprobe"))})
	}
	onPath := pair{}
	onPath.ffmpeg, _ = exec.LookPath(exeName("ffmpeg"))
	onPath.ffprobe, _ = exec.LookPath(exeName("ffprobe"))
	places = append(places, onPath)
	if configured != "" {
		dir := configured
		if isFile(configured) {
			dir = filepath.Dir(configured)
			places = append(places, pair{configured, filepath.Join(dir, exeName("ffprobe"))})
		} else {
			places = append(places, pair{filepath.Join(dir, exeName("ffmpeg")), filepath.Join(dir, exeName("ffprobe"))})
		}
	}
	missing := "ffmpeg"
	for _, p := range places {
		if p.ffmpeg == "" || !isFile(p.ffmpeg) {
			continue
		}
		if p.ffprobe == "" || !isFile(p.ffprobe) {
			missing = "ffprobe"
			continue
		}
		return p.ffmpeg, p.ffprobe, checkVersion(ctx, p.ffmpeg)
	}
	msg = missingTool(missing).Message
	if configured != "" {
		msg = fmt.Sprintf("%s was not found next to Reelvault, on PATH or at %s: Reelvault needs ffmpeg %s or newer; %s",
			missing, configured, MinVersion, InstallHint())
	}
	return "", "", msg
}

// checkVersion returns what is wrong with the ffmpeg at path, "" when it is new enough.
func checkVersion(ctx context.Context, path string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-hide_banner", "-version").Output()
	if err != nil {
		return fmt.Sprintf("%s -version failed (%v): Reelvault needs ffmpeg %s or newer; %s", path, err, MinVersion, InstallHint())
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
