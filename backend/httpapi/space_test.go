package httpapi_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/testdisk"
	"reelvault/backend/internal/testmedia"
)

// An upload to a data folder on a nearly full disk (a real 64 MB tmpfs,
// database included): a chunk that would not fit answers 507, says what is
// missing and never where, and changes nothing; once space is freed the
// same chunk goes in; the asset's build then waits for space with a status
// the API shows, and resumes on its own. On a completely full disk, cancel
// still works, and frees the space.
func TestUploadOnFullDisk(t *testing.T) {
	disk := testdisk.Tmpfs(t, "64m")
	const reserve = 8 << 20
	e := newAPIEnv(t, apiOptions{dataDir: disk, ingest: true, runJobs: true,
		space: &diskspace.Checker{Reserve: diskspace.Reserve{Bytes: reserve}}})
	src := testmedia.TempClip(t, "dense.mp4", testmedia.Join(testmedia.LavfiVideo("1280x720", "25", "2"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-qp", "8", "-pix_fmt", "yuv420p"})...)
	file, err := os.ReadFile(src)
	if err != nil || len(file) < 1<<20 {
		t.Fatalf("clip of %d bytes (%v): want over 1 MB", len(file), err)
	}
	total, half := len(file), len(file)/2
	chunk1, chunk2 := fmt.Sprintf("bytes 0-%d/%d", half-1, total), fmt.Sprintf("bytes %d-%d/%d", half, total-1, total)
	noPaths := func(r reply) {
		t.Helper()
		if strings.Contains(string(r.body), disk) || strings.Contains(string(r.body), "/tmp") || strings.Contains(string(r.body), "uploads/") {
			t.Errorf("answer shows a server path: %s", r.body)
		}
	}

	u := e.newUpload(`{"new_asset_settings": {}}`)
	filler := testdisk.Fill(t, disk, "filler", reserve+int64(half))
	r := e.put(u.URL, file[:half], chunk1)
	if r.status != http.StatusInsufficientStorage || !strings.Contains(errorMessage(r), "of free space") {
		t.Fatalf("a chunk whose file cannot fit: %s, want 507 saying what is missing", r)
	}
	noPaths(r)
	part := filepath.Join(disk, "uploads", u.ID+".part")
	if st, err := os.Stat(part); err == nil && st.Size() > 0 {
		t.Errorf("the refused chunk left %d bytes", st.Size())
	}
	if got := e.getUpload(u.ID); got.Status != "waiting" {
		t.Errorf("upload %s after the 507, want still waiting", got.Status)
	}

	// Space comes back: the same chunks go in.
	os.Remove(filler)
	if r := e.put(u.URL, file[:half], chunk1); r.status != http.StatusPermanentRedirect {
		t.Fatalf("first chunk once space is back: %s", r)
	}
	// Room for the upload's rest, not for its master: the build waits.
	filler = testdisk.Fill(t, disk, "filler", reserve+int64(total-half)+256<<10)
	if r := e.put(u.URL, file[half:], chunk2); r.status != http.StatusOK {
		t.Fatalf("last chunk: %s", r)
	}
	id := e.getUpload(u.ID).AssetID
	a := e.waitAsset(id, 30*time.Second, "waiting for space", func(a assetJSON) bool { return a.Waiting != "" })
	if a.Status != "preparing" || !strings.HasPrefix(a.Waiting, "Waiting for ") || !strings.HasSuffix(a.Waiting, " of free space") {
		t.Errorf("asset %s, waiting %q; want preparing and waiting for N MB of free space", a.Status, a.Waiting)
	}
	os.Remove(filler)
	a = e.waitAsset(id, 60*time.Second, "ready", func(a assetJSON) bool { return a.Status != "preparing" })
	if a.Status != "ready" || a.Waiting != "" {
		t.Fatalf("after space came back: %s, waiting %q; want ready", a.Status, a.Waiting)
	}

	// A disk full to the last byte, with an upload's bytes on it.
	v := e.newUpload(`{}`)
	some := make([]byte, 4<<20)
	rand.Read(some)
	if r := e.put(v.URL, some, fmt.Sprintf("bytes 0-%d/*", len(some)-1)); r.status != http.StatusPermanentRedirect {
		t.Fatalf("chunk of the second upload: %s", r)
	}
	testdisk.Fill(t, disk, "filler", 0)
	r = e.put(v.URL, some, fmt.Sprintf("bytes %d-%d/*", len(some), 2*len(some)-1))
	if r.status != http.StatusInsufficientStorage {
		t.Errorf("a chunk on a full disk: %s, want 507", r)
	}
	noPaths(r)
	before := testdisk.Free(t, disk)
	r = e.request("PUT", "/video/v1/uploads/"+v.ID+"/cancel", "")
	if r.status != http.StatusOK || e.decodeUpload(r).Status != "cancelled" {
		t.Fatalf("cancel on a full disk: %s", r)
	}
	noPaths(r)
	// Less the few pages the database took to record the cancel.
	if freed := testdisk.Free(t, disk) - before; freed < int64(len(some))-(1<<20) {
		t.Errorf("cancel freed %d bytes, want about the upload's %d", freed, len(some))
	}
	if bytes.Contains([]byte(e.logs.String()), []byte("level=ERROR")) {
		t.Errorf("errors logged on the way: %s", e.logs.String())
	}
}
