package quarantine

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMoveListDelete(t *testing.T) {
	data := t.TempDir()
	os.MkdirAll(filepath.Join(data, "masters"), 0o700)
	src := filepath.Join(data, "masters", "x.mp4")
	os.WriteFile(src, []byte("a master"), 0o600)

	it, err := Move(data, src, "no asset owns it", time.Unix(1_700_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file is still where it was: %v", err)
	}
	items, err := List(data)
	if err != nil || len(items) != 1 {
		t.Fatalf("List: %+v, %v", items, err)
	}
	got := items[0]
	if got.ID != it.ID || got.Name != "x.mp4" || got.From != "masters/x.mp4" || got.Size != 8 || got.Reason != "no asset owns it" {
		t.Errorf("item %+v", got)
	}
	if b, _ := os.ReadFile(got.Path(data)); string(b) != "a master" {
		t.Errorf("quarantined bytes %q", b)
	}
	if _, err := Move(data, filepath.Join(t.TempDir(), "elsewhere"), "", time.Now()); err == nil {
		t.Error("a file outside the data folder was moved")
	}
	for _, bad := range []string{"", ".", "..", "../masters", "a/b"} {
		if _, err := Get(data, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", bad, err)
		}
		if err := Delete(data, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Delete(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	if err := Delete(data, it.ID); err != nil {
		t.Fatal(err)
	}
	if items, _ := List(data); len(items) != 0 {
		t.Errorf("after Delete: %+v", items)
	}
}
