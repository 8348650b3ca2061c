package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without ffprobe the probe fails with an error that names the missing tool and says how to
// get it, instead of blaming the file.
func TestMissingFFprobeSaysHowToInstall(t *testing.T) {
	clip := filepath.Join(t.TempDir(), "interview.mp4")
	if err := os.WriteFile(clip, []byte("any bytes: ffprobe never runs"), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := FFprobePath
	FFprobePath = filepath.Join(t.TempDir(), "no-such-ffprobe")
	t.Cleanup(func() { FFprobePath = saved })

	_, err := Probe(context.Background(), clip)
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindToolMissing {
		t.Fatalf("Probe without ffprobe: %v, want a %s error", err, KindToolMissing)
	}
	for _, want := range []string{"ffprobe was not found", MinVersion, "install"} {
		if !strings.Contains(me.Message, want) {
			t.Errorf("message %q lacks %q", me.Message, want)
		}
	}
}

func TestLocateToolsWarnsWhenFFmpegIsMissing(t *testing.T) {
	saved, savedProbe := FFmpegPath, FFprobePath
	t.Cleanup(func() { FFmpegPath, FFprobePath = saved, savedProbe })
	FFmpegPath = filepath.Join(t.TempDir(), "ffmpeg")
	if warning := LocateTools(context.Background()); !strings.Contains(warning, "ffmpeg was not found") {
		t.Errorf("LocateTools with no ffmpeg: %q", warning)
	}
}

func TestFFmpegVersionCheck(t *testing.T) {
	for _, tc := range []struct {
		out     string
		version string
		tooOld  bool
	}{
		{"ffmpeg version 5.1.8-0+deb12u1 Copyright (c) 2000-2025", "5.1.8", false},
		{"ffmpeg version n7.1 Copyright", "7.1", false},
		{"ffmpeg version 6.0-full_build-www.gyan.dev Copyright", "6.0", false},
		{"ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright", "4.4.2", true},
		{"ffmpeg version 5.0.3 Copyright", "5.0.3", true},
	} {
		v, ok := parseVersion(tc.out)
		if !ok || v != tc.version {
			t.Errorf("parseVersion(%q) = %q, %v; want %q", tc.out, v, ok, tc.version)
			continue
		}
		if got := versionBelow(v, MinVersion); got != tc.tooOld {
			t.Errorf("versionBelow(%s, %s) = %v, want %v", v, MinVersion, got, tc.tooOld)
		}
	}
	if _, ok := parseVersion("ffmpeg version N-112345-gabcdef Copyright"); ok {
		t.Error("a git build has no release number to compare")
	}
}
