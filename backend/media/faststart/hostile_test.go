package faststart

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// notEligible checks that Write refuses data (written to a file) as ErrNotEligible,
// mentioning reason, and creates no output: the caller falls back to ffmpeg.
func checkNotEligible(t *testing.T, data []byte, reason string) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "input.mp4")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(in); !errors.Is(err, ErrNotEligible) {
		t.Errorf("Inspect = %v, want ErrNotEligible", err)
	}
	out := filepath.Join(dir, "master.mp4.part")
	_, err := Write(context.Background(), in, out)
	if !errors.Is(err, ErrNotEligible) || !strings.Contains(err.Error(), reason) {
		t.Errorf("Write = %v, want ErrNotEligible saying %q", err, reason)
	}
	if _, serr := os.Stat(out); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("Write left %s behind for an ineligible input (%v)", filepath.Base(out), serr)
	}
}

// boxAt finds the first box of type typ in data (a byte search, good enough for the
// clips here) and returns the offset of its size field.
func boxAt(t *testing.T, data []byte, typ string) int {
	t.Helper()
	i := bytes.Index(data, []byte(typ))
	if i < 4 {
		t.Fatalf("no %s box", typ)
	}
	return i - 4
}

func withUint32(data []byte, at int, v uint32) []byte {
	d := bytes.Clone(data)
	binary.BigEndian.PutUint32(d[at:], v)
	return d
}

func TestRefusesDamagedAndUnusualFiles(t *testing.T) {
	plain := mustRead(t, plainClip(t))
	fast := mustRead(t, faststartClip(t))
	moov, mdat := boxAt(t, plain, "moov"), boxAt(t, plain, "mdat")
	stco := boxAt(t, plain, "stco")
	cases := []struct {
		name, reason string
		data         []byte
	}{
		{"empty file", "no index", nil},
		{"text", "past its end", []byte("this is not a video, just some text in a file\n")},
		{"cut in the media data, index lost", "past its end", plain[:moov-5000]},
		{"cut inside the index", "past its end", plain[:len(plain)-100]},
		{"faststart file cut in the media data", "past its end", fast[:len(fast)/2]},
		{"stray bytes at the end", "stray bytes", append(bytes.Clone(plain), 0, 0, 0)},
		{"media data box larger than the file", "past its end", withUint32(plain, mdat, 0xfffffff0)},
		{"index box larger than the file", "past its end", withUint32(plain, moov, 0x7ffffff0)},
		{"box smaller than its header", "smaller than its header", withUint32(plain, moov+8, 3)},
		{"chunk table with more entries than bytes", "do not fit", withUint32(plain, stco+12, 0x3fffffff)},
		{"chunk offset outside the media data", "outside the media data", withUint32(plain, stco+16, uint32(len(plain)+10))},
		{"two media data boxes", "several media data", append(bytes.Clone(plain), 0, 0, 0, 8, 'm', 'd', 'a', 't')},
		{"index of a fragment-only file", "fragmented", append(bytes.Clone(plain), 0, 0, 0, 8, 'm', 'o', 'o', 'f')},
		{"samples in another file", "another file", externalDataRef(t, plain)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkNotEligible(t, c.data, c.reason) })
	}
}

// externalDataRef clears the "media data is in this file" flag of the first data
// reference.
func externalDataRef(t *testing.T, data []byte) []byte {
	url := boxAt(t, data, "url ")
	d := bytes.Clone(data)
	d[url+11] &^= 1
	return d
}

// An input cut short after its index was read (it changed under us) fails the copy
// with a clear error instead of a master with a hole.
func TestAnInputCutDuringTheCopyFails(t *testing.T) {
	src := plainClip(t)
	in := filepath.Join(t.TempDir(), "input.mp4")
	if err := os.WriteFile(in, mustRead(t, src), 0o644); err != nil {
		t.Fatal(err)
	}
	setHook(t, func(bool, int64) { os.Truncate(in, 100_000) })
	_, err := Write(context.Background(), in, filepath.Join(t.TempDir(), "master.mp4.part"))
	if err == nil || errors.Is(err, ErrNotEligible) || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("Write = %v, want an error saying the input was cut short", err)
	}
}

func TestCancelStopsTheCopy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	setHook(t, func(bool, int64) { cancel() })
	_, err := Write(ctx, plainClip(t), filepath.Join(t.TempDir(), "master.mp4.part"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want context.Canceled", err)
	}
}

func setHook(t *testing.T, hook func(bool, int64)) {
	testHookBeforeCopy = hook
	t.Cleanup(func() { testHookBeforeCopy = nil })
}

// FuzzInspect feeds the index reader and the relocation hostile bytes: they may refuse,
// never panic or allocate without bound. `go test` runs the seeds; `go test -fuzz
// FuzzInspect` explores.
func FuzzInspect(f *testing.F) {
	f.Add([]byte{0, 0, 0, 8, 'm', 'o', 'o', 'v', 0, 0, 0, 8, 'm', 'd', 'a', 't'})
	f.Add([]byte{0, 0, 0, 1, 'm', 'd', 'a', 't', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0, 0, 0, 0, 'm', 'd', 'a', 't', 0, 0, 0, 16, 'm', 'o', 'o', 'v', 0, 0, 0, 8, 't', 'r', 'a', 'k'})
	fuzzWrite(f)
}

// FuzzDefragment is FuzzInspect seeded with small fragmented recordings (explicit base
// offsets and default-base-is-moof), so the mutations reach the moof/traf/trun reader and
// the tables built from them: hostile sample counts, sizes and offsets may be refused,
// never panic, hang or allocate without bound.
func FuzzDefragment(f *testing.F) {
	for _, flags := range []string{"", "+default_base_moof"} {
		clip := clips.Clip(f, "fuzz-frag"+flags+".mp4", testmedia.Join(testmedia.LavfiVideo("64x48", "10", "1"),
			testmedia.LavfiAudio("1"), []string{"-c:v", "libx264", "-preset", "ultrafast", "-g", "3", "-bf", "1",
				"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "16k", "-shortest", "-movflags", "frag_keyframe+empty_moov" + flags, "-f", "mp4"})...)
		data, err := os.ReadFile(clip)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	fuzzWrite(f)
}

// fuzzWrite writes each fuzzed input as a file and runs Write on it: it may refuse the input
// (ErrNotEligible) but never fail otherwise, panic or run past its deadline.
func fuzzWrite(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		in := filepath.Join(dir, "fuzz.mp4")
		if err := os.WriteFile(in, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out := filepath.Join(dir, "fuzz.out")
		if _, err := Write(ctx, in, out); err != nil && !errors.Is(err, ErrNotEligible) {
			t.Fatalf("Write = %v: bad input must be ErrNotEligible", err)
		}
	})
}
