package media

import (
	"context"
	"errors"
	"os"
	"os/exec"
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

// Without ffmpeg on PATH LocateTools says so; given the folder that holds it (the Settings
// path), it finds it there and the warning goes.
func TestLocateToolsFindsTheConfiguredFolder(t *testing.T) {
	realFFmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("this test needs ffmpeg on PATH to copy from:", err)
	}
	realFFprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		t.Fatal(err)
	}
	saved, savedProbe := ToolsPaths()
	t.Cleanup(func() { LocateTools(context.Background(), ""); FFmpegPath, FFprobePath = saved, savedProbe })
	t.Setenv("PATH", t.TempDir())

	if warning := LocateTools(context.Background(), ""); !strings.Contains(warning, "ffmpeg was not found") {
		t.Errorf("LocateTools with no ffmpeg: %q", warning)
	}
	if ToolsProblem() == "" {
		t.Error("ToolsProblem is empty while ffmpeg is missing")
	}
	elsewhere := t.TempDir()
	if warning := LocateTools(context.Background(), elsewhere); !strings.Contains(warning, elsewhere) {
		t.Errorf("LocateTools with an empty configured folder does not name it: %q", warning)
	}

	folder := t.TempDir()
	for name, target := range map[string]string{"ffmpeg": realFFmpeg, "ffprobe": realFFprobe} {
		if err := os.Symlink(target, filepath.Join(folder, name)); err != nil {
			t.Fatal(err)
		}
	}
	if warning := LocateTools(context.Background(), folder); warning != "" || ToolsProblem() != "" {
		t.Fatalf("LocateTools with ffmpeg in the configured folder: %q", warning)
	}
	if ff, fp := ToolsPaths(); ff != filepath.Join(folder, "ffmpeg") || fp != filepath.Join(folder, "ffprobe") {
		t.Errorf("tools in use: %s, %s; want the configured folder's", ff, fp)
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
