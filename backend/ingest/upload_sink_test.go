package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

// An upload's part file stays open between chunks, hashed as it grows: a
// client that pauses longer than the idle timeout has it closed by the sweep
// and the next chunk goes on from the file (hashed again, once); the finished
// upload's hash is the file's. A cancel while it is open removes the bytes,
// and a chunk after it is refused without recreating them.
func TestUploadSinkSurvivesPausesAndCancel(t *testing.T) {
	clock := testtime.Fixed(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	env := newEnv(t, "", func(c *Config) { c.Now = clock.Now; c.UploadIdleTimeout = time.Minute })
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB: several blocks, one writeback
	u, err := env.svc.CreateUpload(ctx, UploadParams{Timeout: 3600})
	if err != nil {
		t.Fatal(err)
	}
	send := func(start, end int) Progress {
		t.Helper()
		p, err := env.svc.Receive(ctx, u.ID, u.Token, Chunk{Start: int64(start), End: int64(end), Total: int64(len(data)), Body: bytes.NewReader(data[start : end+1])}, nil)
		if err != nil {
			t.Fatalf("chunk %d-%d: %v", start, end, err)
		}
		return p
	}
	// A status query and a chunk leaving a gap change nothing: no part file.
	if p, err := env.svc.Receive(ctx, u.ID, u.Token, Chunk{Start: 0, End: -1, Total: int64(len(data))}, nil); err != nil || p.Received != 0 {
		t.Fatalf("status query of a fresh upload: %+v, %v", p, err)
	}
	var gap *GapError
	if _, err := env.svc.Receive(ctx, u.ID, u.Token, Chunk{Start: 10, End: 19, Total: int64(len(data)), Body: bytes.NewReader(data[10:20])}, nil); !errors.As(err, &gap) {
		t.Fatalf("a chunk leaving a gap: %v, want a gap error", err)
	}
	if _, err := os.Stat(env.svc.partPath(u.ID)); !os.IsNotExist(err) {
		t.Fatalf("a status query and a refused chunk made a part file: %v", err)
	}
	open := func() bool {
		env.svc.sinks.mu.Lock()
		defer env.svc.sinks.mu.Unlock()
		return env.svc.sinks.m[u.ID] != nil
	}
	send(0, 999_999)
	if !open() {
		t.Fatal("the part file was not kept open after a chunk")
	}
	send(1_000_000, 1_999_999)
	if _, err := env.svc.SweepUploads(ctx); err != nil || !open() {
		t.Fatalf("a sweep within the idle timeout closed the part file (%v)", err)
	}
	clock.Advance(2 * time.Minute)
	if _, err := env.svc.SweepUploads(ctx); err != nil || open() {
		t.Fatalf("the sweep after a long pause left the part file open (%v)", err)
	}
	p := send(2_000_000, len(data)-1)
	if !p.Complete() {
		t.Fatalf("after the last chunk: %+v", p)
	}
	if open() {
		t.Error("the finished upload's part file is still open")
	}
	a, err := env.archive.Get(ctx, p.Upload.AssetID)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := os.ReadFile(a.Input)
	if sum := sha256.Sum256(kept); !bytes.Equal(kept, data) || a.InputSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("input hash %s over %d bytes; the file's is %x", a.InputSHA256, len(kept), sum)
	}

	v, err := env.svc.CreateUpload(ctx, UploadParams{Timeout: 3600})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.Receive(ctx, v.ID, v.Token, Chunk{Start: 0, End: 9, Total: 20, Body: bytes.NewReader(data[:10])}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CancelUpload(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(env.svc.partPath(v.ID)); !os.IsNotExist(err) {
		t.Errorf("the cancelled upload's bytes are still there: %v", err)
	}
	_, err = env.svc.Receive(ctx, v.ID, v.Token, Chunk{Start: 10, End: 19, Total: 20, Body: bytes.NewReader(data[10:20])}, nil)
	var nw *NotWaitingError
	if !errors.As(err, &nw) {
		t.Errorf("a chunk after the cancel: %v, want not waiting", err)
	}
	if _, err := os.Stat(env.svc.partPath(v.ID)); !os.IsNotExist(err) {
		t.Errorf("a chunk after the cancel recreated the part file: %v", err)
	}
}
