package wire_test

import (
	"encoding/json"
	"strings"
	"testing"

	"reelvault/backend/media"
	"reelvault/backend/wire"
)

// input-info carries the original's size (Reelvault's own field) when the kept probe knows
// it, and leaves the field out for descriptions kept before it was recorded.
func TestInputInfoSize(t *testing.T) {
	file := &media.InputFile{ContainerFormat: "mov,mp4,m4a,3gp,3g2,mj2", Size: 42_000_000,
		Tracks: []media.InputTrack{{Type: "video", Encoding: "prores", Width: 3840, Height: 2160}}}
	b, err := json.Marshal(wire.NewInputInfo("/footage/A001.mov", file, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"size":42000000`) {
		t.Errorf("input-info %s, want the original's size 42000000", b)
	}

	file.Size = 0
	b, err = json.Marshal(wire.NewInputInfo("/footage/A001.mov", file, nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"size"`) {
		t.Errorf("input-info %s, want no size when the probe did not keep one", b)
	}
}
