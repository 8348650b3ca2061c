package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// An upload lands where it will stay: a faststart MP4 sent in chunks over real
// HTTP becomes its master as a hard link of the kept upload (one file, no copy),
// with the SHA-256 computed from the chunks as they arrived; an upload whose
// index is at the end is relocated into a master of its own. Either way the
// recorded hash is the master file's.
func TestUploadBecomesMasterWithoutACopy(t *testing.T) {
	av := testmedia.Join(testmedia.LavfiVideo("160x90", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())
	for _, tc := range []struct {
		name      string
		movflags  []string
		wantSame  bool
		chunkSize int
	}{
		{"faststart", []string{"-movflags", "+faststart"}, true, 16 << 10},
		{"index at the end", nil, false, 256 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := testmedia.TempClip(t, "clip.mp4", append(append([]string{}, av...), tc.movflags...)...)
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			e := newAPIEnv(t, apiOptions{ingest: true, runJobs: true})
			u := e.newUpload(`{"new_asset_settings": {"master_access": "temporary"}}`)
			for off := 0; off < len(data); off += tc.chunkSize {
				end := min(off+tc.chunkSize, len(data))
				r := e.put(u.URL, data[off:end], fmt.Sprintf("bytes %d-%d/%d", off, end-1, len(data)))
				if want := map[bool]int{true: http.StatusOK, false: http.StatusPermanentRedirect}[end == len(data)]; r.status != want {
					t.Fatalf("chunk at %d: %s, want %d", off, r, want)
				}
			}
			done := e.getUpload(u.ID)
			e.waitAsset(done.AssetID, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
			a, err := e.archive.Get(context.Background(), done.AssetID)
			if err != nil || a.Status != "ready" {
				t.Fatalf("asset %+v (%v): want ready", a, err)
			}
			master := filepath.Join(e.dataDir, a.MasterFile)
			got, err := os.ReadFile(master)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(got)
			if a.MasterSHA256 != hex.EncodeToString(sum[:]) || a.MasterSize != int64(len(got)) {
				t.Errorf("recorded master hash %s (%d bytes), the file's is %x (%d bytes)", a.MasterSHA256, a.MasterSize, sum, len(got))
			}
			upSum := sha256.Sum256(data)
			if a.InputSHA256 != hex.EncodeToString(upSum[:]) {
				t.Errorf("recorded input hash %s, the upload's is %x", a.InputSHA256, upSum)
			}
			mi, err1 := os.Stat(master)
			ii, err2 := os.Stat(a.Input)
			if err1 != nil || err2 != nil {
				t.Fatalf("stat master %v, input %v", err1, err2)
			}
			if same := os.SameFile(mi, ii); same != tc.wantSame {
				t.Errorf("master and kept upload are one file: %v, want %v", same, tc.wantSame)
			}
			kept, _ := os.ReadFile(a.Input)
			if string(kept) != string(data) {
				t.Errorf("the kept upload differs from what was sent")
			}
			if tc.wantSame && string(got) != string(data) {
				t.Errorf("the linked master's bytes differ from the upload's")
			}
			if !tc.wantSame && string(got[4:8]) != "ftyp" {
				t.Errorf("master does not start with its file type box")
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-xerror", "-i", master, "-f", "null", "-").CombinedOutput(); err != nil {
				t.Errorf("the master does not decode: %v\n%s", err, out)
			}
		})
	}
}
