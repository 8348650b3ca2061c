package media

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnusableInputsGiveHumanErrors(t *testing.T) {
	requireFFmpeg(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.mp4")
	if err := os.WriteFile(text, []byte("shopping list: milk, eggs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.mov")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Without faststart the index (moov) is at the end: the first half has none.
	whole := makeClip(t, "whole.mp4", join(lavfiVideo("320x240", "25", "2"), []string{"-c:v", "libx264", "-preset", "ultrafast"})...)
	truncated := cutInHalf(t, whole)

	cases := []struct {
		name, path, kind, message string
	}{
		{"text renamed .mp4", text, KindNotMedia, "not a video file ffmpeg can read"},
		{"empty file", empty, KindNotMedia, "the file is empty"},
		{"folder", dir, KindNotMedia, "folder"},
		{"missing file", filepath.Join(dir, "gone.mp4"), KindNotFound, "does not exist"},
		{"mp4 cut in half", truncated, KindTruncated, "the file is incomplete or damaged (moov atom not found)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Probe(testContext(t), tc.path)
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Probe = %+v, %v; want *Error", info, err)
			}
			if me.Kind != tc.kind || !strings.Contains(me.Message, tc.message) {
				t.Errorf("error %s %q, want %s containing %q", me.Kind, me.Message, tc.kind, tc.message)
			}
		})
	}
}

func TestFaststartFileCutInHalfIsRefusedWhenBuilding(t *testing.T) {
	requireFFmpeg(t)
	// With the index first the half file still probes; only reading it through shows the loss.
	whole := makeClip(t, "whole.mp4", join(lavfiVideo("320x240", "25", "4"), lavfiAudio("4"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart", "-shortest"})...)
	half := cutInHalf(t, whole)
	info := mustProbe(t, half)
	plan, err := PlanMaster(info, Tier1080p, QualityBasic)
	if err != nil {
		t.Fatal(err)
	}
	err = BuildMaster(testContext(t), half, filepath.Join(t.TempDir(), "m.mp4.part"), info, plan, nil)
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindTruncated {
		t.Fatalf("BuildMaster = %v, want a truncated *Error", err)
	}
}

func TestPlanRejectsFilesWithoutVideoOrAudio(t *testing.T) {
	requireFFmpeg(t)
	subs := filepath.Join(t.TempDir(), "only.srt")
	if err := os.WriteFile(subs, []byte("1\n00:00:00,000 --> 00:00:01,000\nhello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A bare .srt is not a container Reelvault takes at all; in Matroska it probes fine.
	if _, err := Probe(testContext(t), subs); err == nil {
		t.Errorf("Probe(only.srt) succeeded, want the srt format refused")
	}
	info := mustProbe(t, makeClip(t, "only-subs.mkv", "-i", subs, "-c:s", "srt"))
	_, err := PlanMaster(info, Tier1080p, QualityBasic)
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindNoVideoOrAudio {
		t.Fatalf("PlanMaster(subtitles only) = %v, want %s", err, KindNoVideoOrAudio)
	}
}

func cutInHalf(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(t.TempDir(), "half-"+filepath.Base(path))
	if err := os.WriteFile(half, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	return half
}

func TestClassifyInputError(t *testing.T) {
	dir := t.TempDir()
	mp4Head := filepath.Join(dir, "a.mp4")
	os.WriteFile(mp4Head, []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), 0o644)
	textHead := filepath.Join(dir, "b.mp4")
	os.WriteFile(textHead, []byte("hello world, not a movie"), 0o644)

	cases := []struct {
		path, stderr, kind string
	}{
		{mp4Head, "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55] moov atom not found\nx: Invalid data found when processing input", KindTruncated},
		{textHead, "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55] moov atom not found\nx: Invalid data found when processing input", KindNotMedia},
		{textHead, "x.bin: Invalid data found when processing input", KindNotMedia},
		{textHead, "x: Permission denied", KindUnreadable},
		{textHead, "x: No such file or directory", KindNotFound},
		{mp4Head, "[mov,mp4 @ 0x1] stream 1, offset 0x31844: partial file", KindTruncated},
		{textHead, "something new", KindUnreadable},
	}
	for _, tc := range cases {
		if got := classifyInputError(tc.path, tc.stderr); got.Kind != tc.kind || got.Message == "" {
			t.Errorf("classify(%q) = %s %q, want %s", tc.stderr, got.Kind, got.Message, tc.kind)
		}
	}
	if got := classifyFFmpegError(textHead, "make the master", "[aac @ 0x1] x\nav_interleaved_write_frame(): No space left on device"); !strings.Contains(got.Message, "disk space") {
		t.Errorf("disk full message %q", got.Message)
	}
	if got := lastLine("first\n[libx264 @ 0x5566] broken thing\n\n"); got != "broken thing" {
		t.Errorf("lastLine = %q, want the message without ffmpeg's tag", got)
	}
}
