package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIgnoredNames(t *testing.T) {
	for name, want := range map[string]bool{
		"clip.mp4": false, "A001_C002.MOV": false, "my film (final).mkv": false,
		".DS_Store": true, "._clip.mp4": true, ".clip.mp4.Xa81b2": true, "clip.mp4.part": true,
		"clip.mp4.crdownload": true, "clip.MP4.TMP": true, "~$budget.xlsx": true, "clip.mp4~": true,
		"Thumbs.db": true, "desktop.ini": true, "clip.mp4.filepart": true,
	} {
		if got := ignoredName(name); got != want {
			t.Errorf("ignoredName(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{"a.MP4": true, "b.mxf": true, "c.m2ts": true, "d.txt": false, "e.wav": false, "f": false} {
		if got := isVideoName(name); got != want {
			t.Errorf("isVideoName(%q) = %v, want %v", name, got, want)
		}
	}
}

// Settling needs two looks a delay apart with the same size and mtime; any
// change starts the wait again.
func TestSettlerWaitsForTheFileToStopChanging(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "growing.mp4")
	writeFile(t, path, []byte("part one"))
	s := newSettler(time.Second)
	t0 := time.Unix(1000, 0)
	st, _ := os.Lstat(path)
	s.observe(path, stampOf(st), t0)

	if got := s.due(t0.Add(500*time.Millisecond), os.Lstat); len(got) != 0 {
		t.Fatalf("settled after half the delay: %v", got)
	}
	// It grows: the look at t0+1s sees a change and restarts the wait.
	writeFile(t, path, []byte("part one, part two"))
	if got := s.due(t0.Add(time.Second), os.Lstat); len(got) != 0 {
		t.Fatalf("settled although it changed: %v", got)
	}
	if got := s.due(t0.Add(1500*time.Millisecond), os.Lstat); len(got) != 0 {
		t.Fatalf("settled half a delay after the change: %v", got)
	}
	got := s.due(t0.Add(2*time.Second), os.Lstat)
	if st, ok := got[path]; !ok || st.size != int64(len("part one, part two")) {
		t.Fatalf("not settled a delay after the last change: %v", got)
	}
	if len(s.pending) != 0 {
		t.Errorf("a settled file stays pending")
	}

	// A file removed while settling is dropped.
	s.observe(path, stampOf(st), t0)
	os.Remove(path)
	if got := s.due(t0.Add(time.Hour), os.Lstat); len(got) != 0 || len(s.pending) != 0 {
		t.Errorf("a removed file: due %v, pending %v", got, s.pending)
	}
}

func TestFingerprintSeesBothEnds(t *testing.T) {
	dir := t.TempDir()
	big := []byte(strings.Repeat("0123456789abcdef", 3<<16)) // 3 MB
	base := filepath.Join(dir, "a")
	writeFile(t, base, big)
	fpBase, _, err := fingerprint(base)
	if err != nil {
		t.Fatal(err)
	}
	change := func(name string, edit func([]byte) []byte) string {
		b := edit(append([]byte(nil), big...))
		p := filepath.Join(dir, name)
		writeFile(t, p, b)
		fp, _, err := fingerprint(p)
		if err != nil {
			t.Fatal(err)
		}
		return fp
	}
	if fp := change("same", func(b []byte) []byte { return b }); fp != fpBase {
		t.Errorf("same content, other fingerprint")
	}
	if fp := change("head", func(b []byte) []byte { b[10] ^= 1; return b }); fp == fpBase {
		t.Errorf("a change in the first MB is not seen")
	}
	if fp := change("tail", func(b []byte) []byte { b[len(b)-10] ^= 1; return b }); fp == fpBase {
		t.Errorf("a change in the last MB is not seen")
	}
	if fp := change("longer", func(b []byte) []byte { return append(b[:len(b)-1:len(b)-1], b[len(b)-1], 0) }); fp == fpBase {
		t.Errorf("a different size is not seen")
	}
	if _, _, err := fingerprint(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestMountTypeOfFindsTheLongestMountPoint(t *testing.T) {
	table := `/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/footage nfs4 rw,relatime 0 0
//nas/share /mnt/nas\040drive cifs rw 0 0
user@host:/media /home/ed/remote fuse.sshfs rw,nosuid 0 0
/dev/sdb1 /mnt/footage/local ext4 rw 0 0
`
	for path, want := range map[string]string{
		"/home/ed/Videos":            "ext4",
		"/mnt/footage/day1":          "nfs4",
		"/mnt/footage/local/day2":    "ext4",
		"/mnt/nas drive/cam a":       "cifs",
		"/home/ed/remote/card":       "fuse.sshfs",
		"/mnt/footagex/not-the-same": "ext4",
	} {
		if got := mountTypeOf(strings.NewReader(table), path); got != want {
			t.Errorf("mountTypeOf(%q) = %q, want %q", path, got, want)
		}
		if want != "ext4" && !networkTypes[want] {
			t.Errorf("%s is not taken for a network file system", want)
		}
	}
	if local, _ := networkFS(t.TempDir()); local {
		t.Errorf("the test machine's temporary folder is taken for a network mount")
	}
}

func TestExtensionOfSniffsContainers(t *testing.T) {
	ts := make([]byte, 400)
	ts[0], ts[188], ts[376] = 0x47, 0x47, 0x47
	for want, head := range map[string][]byte{
		".mp4":  []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"),
		".mov":  []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00"),
		".mkv":  []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"),
		".webm": []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm"),
		".ts":   ts,
		".avi":  []byte("RIFF\x00\x00\x00\x00AVI LIST"),
		".bin":  []byte("hello, not a video"),
	} {
		if got := extensionOf(head); got != want {
			t.Errorf("extensionOf(%q...) = %q, want %q", head[:min(len(head), 12)], got, want)
		}
	}
}
