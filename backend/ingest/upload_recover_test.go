package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"reelvault/backend/quarantine"
)

// A crash between moving the finished file into place and committing its
// asset leaves the upload waiting with every byte received: the next start
// puts the bytes back, and the uploader's retry of the last chunk (or a
// status query) completes it. Leftovers of finished uploads and half-received
// bytes of unknown ones go; a finished file no upload owns is quarantined.
func TestUploadRecoversACrashWhileCompleting(t *testing.T) {
	dataDir := t.TempDir()
	env := newEnv(t, dataDir)
	ctx := context.Background()
	u, err := env.svc.CreateUpload(ctx, UploadParams{})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789"), 100)
	p, err := env.svc.Receive(ctx, u.ID, u.Token, Chunk{Start: 0, End: 499, Total: 1000, Body: bytes.NewReader(data[:500])}, nil)
	if err != nil || p.Received != 500 || p.Complete() {
		t.Fatalf("first half: %+v, %v", p, err)
	}
	// The crash: the rest arrived and the file was renamed, nothing committed.
	f, _ := os.OpenFile(env.svc.partPath(u.ID), os.O_WRONLY|os.O_APPEND, 0)
	f.Write(data[500:])
	f.Close()
	final := filepath.Join(dataDir, "uploads", u.ID+".bin")
	if err := os.Rename(env.svc.partPath(u.ID), final); err != nil {
		t.Fatal(err)
	}
	cancelled, _ := env.svc.CreateUpload(ctx, UploadParams{})
	env.svc.CancelUpload(ctx, cancelled.ID)
	stray := []string{filepath.Join(dataDir, "uploads", cancelled.ID+".part"), filepath.Join(dataDir, "uploads", "unknown.part")}
	for _, s := range stray {
		writeFile(t, s, []byte("left over"))
	}
	// A finished upload a restored (older) database has no row for.
	unknownFinished := filepath.Join(dataDir, "uploads", "from-a-newer-database.mov")
	writeFile(t, unknownFinished, data)
	env.close()

	env2 := newEnv(t, dataDir)
	if err := env2.svc.Recover(ctx); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	for _, s := range stray {
		if _, err := os.Stat(s); !os.IsNotExist(err) {
			t.Errorf("%s was not removed", s)
		}
	}
	if _, err := os.Stat(unknownFinished); !os.IsNotExist(err) {
		t.Errorf("the unknown finished upload is still in uploads/ (%v)", err)
	}
	items, err := quarantine.List(dataDir)
	if err != nil || len(items) != 1 || items[0].From != "uploads/from-a-newer-database.mov" {
		t.Fatalf("quarantine holds %+v (%v), want the unknown finished upload", items, err)
	}
	if got, _ := os.ReadFile(items[0].Path(dataDir)); !bytes.Equal(got, data) {
		t.Errorf("the quarantined upload holds %d bytes, want the original %d", len(got), len(data))
	}
	p, err = env2.svc.Receive(ctx, u.ID, u.Token, Chunk{Start: 0, End: -1, Total: 1000}, nil)
	if err != nil || !p.Complete() {
		t.Fatalf("status query after the restart: %+v, %v; want the upload completed", p, err)
	}
	a, err := env2.archive.Get(ctx, p.Upload.AssetID)
	if err != nil {
		t.Fatalf("asset: %v", err)
	}
	if got, _ := os.ReadFile(a.Input); !bytes.Equal(got, data) {
		t.Errorf("the asset's input holds %d bytes, not the upload", len(got))
	}
	// The running hash did not survive the restart: the file was hashed again.
	if sum := sha256.Sum256(data); a.InputSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("input hash %q after the restart, want %x", a.InputSHA256, sum)
	}
}

// The running SHA-256 follows every way bytes reach the part file: chunks
// across a restart (the hash is rebuilt from the file), a resent chunk
// (compared, not hashed twice) and a body longer than its range (cut back).
func TestUploadHashFollowsTheBytes(t *testing.T) {
	dataDir := t.TempDir()
	env := newEnv(t, dataDir)
	ctx := context.Background()
	u, err := env.svc.CreateUpload(ctx, UploadParams{})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("abcdefghij"), 300) // 3000 bytes
	send := func(svc *Service, start, end int, body []byte) Progress {
		t.Helper()
		p, err := svc.Receive(ctx, u.ID, u.Token, Chunk{Start: int64(start), End: int64(end), Total: 3000, Body: bytes.NewReader(body)}, nil)
		if err != nil {
			var re *RangeError
			if !errors.As(err, &re) {
				t.Fatalf("chunk %d-%d: %v", start, end, err)
			}
		}
		return p
	}
	send(env.svc, 0, 999, data[:1000])
	env.close()

	env2 := newEnv(t, dataDir)
	if err := env2.svc.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	send(env2.svc, 1000, 1199, data[1000:1200])
	send(env2.svc, 0, 1199, data[:1200]) // resent
	long := append(append([]byte{}, data[1200:1500]...), "excess"...)
	send(env2.svc, 1200, 1499, long) // refused as too long; keeps 1200-1499
	p := send(env2.svc, 1500, 2999, data[1500:])
	if !p.Complete() {
		t.Fatalf("after the last chunk: %+v", p)
	}
	a, err := env2.archive.Get(ctx, p.Upload.AssetID)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); a.InputSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("input hash %q, want %x", a.InputSHA256, sum)
	}
}
