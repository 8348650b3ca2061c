package partfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The final name appears only once every byte is written; until then, and
// after an abort, there is at most the .part.
func TestFinalAppearsOnlyComplete(t *testing.T) {
	final := filepath.Join(t.TempDir(), "master.mp4")
	os.WriteFile(final+Suffix, []byte("left by a crash"), 0o600)
	f, err := Create(final, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the final name exists before Commit: %v", err)
	}
	f.Write([]byte(" and the rest"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(final); string(b) != "half and the rest" {
		t.Errorf("final holds %q", b)
	}
	if _, err := os.Stat(final + Suffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the .part is still there: %v", err)
	}
	f.Abort() // after Commit: nothing happens

	other := filepath.Join(filepath.Dir(final), "other.json")
	g, _ := Create(other, 0o600)
	g.Write([]byte("{"))
	g.Abort()
	for _, p := range []string{other, other + Suffix} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after Abort: %v", filepath.Base(p), err)
		}
	}
	if err := WriteJSON(other, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(other); string(b) != "{\n  \"a\": 1\n}\n" {
		t.Errorf("WriteJSON wrote %q", b)
	}
}
