package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
)

// A Chunk whose numbers are out of range (Receive is callable from any Go caller, not only the
// HTTP parser) is refused without touching the upload: -1 is "unknown" for End and Total, and
// nothing below it means anything.
func TestReceiveRefusesChunksOutOfRange(t *testing.T) {
	env := newEnv(t, "")
	ctx := context.Background()
	u, err := env.svc.CreateUpload(ctx, UploadParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Chunk{
		{Start: -1, End: 9, Total: 10},
		{Start: 0, End: -5, Total: -1},
		{Start: 0, End: 9, Total: -7},
		{Start: 0, End: -2, Total: -2},
		{Start: 5, End: 4, Total: 10},
		{Start: 0, End: 10, Total: 10},
	} {
		c.Body = bytes.NewReader([]byte("0123456789"))
		_, err := env.svc.Receive(ctx, u.ID, u.Token, c, nil)
		var re *RangeError
		if !errors.As(err, &re) {
			t.Errorf("chunk %d-%d/%d: %v, want a RangeError", c.Start, c.End, c.Total, err)
		}
	}
	got, err := env.svc.GetUpload(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != UploadWaiting || got.TotalBytes != -1 {
		t.Errorf("after the refused chunks the upload is %s with total %d, want waiting with no size", got.Status, got.TotalBytes)
	}
	if _, err := os.Stat(env.svc.partPath(u.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused chunk left a part file: %v", err)
	}
}
