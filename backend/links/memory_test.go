package links

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLargeDownloadKeepsMemoryFlat downloads a 64 MB master and checks the
// process allocated far less than the file size: the bytes must go from
// disk to socket without being buffered in the Go heap.
func TestLargeDownloadKeepsMemoryFlat(t *testing.T) {
	const fileSize = 64 << 20
	const allowedGrowth = 8 << 20
	env := newTestEnv(t, fileSize)
	link := env.link()
	env.data = nil // the test's own copy of the file must not count

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	writesBefore, haveIOStats := writeSyscalls()

	start := time.Now()
	resp, err := env.server.Client().Get(link)
	if err != nil {
		t.Fatal(err)
	}
	hash := sha256.New()
	n, err := io.Copy(hash, resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)

	runtime.ReadMemStats(&after)
	writesAfter, _ := writeSyscalls()
	if resp.StatusCode != http.StatusOK || n != fileSize || hex.EncodeToString(hash.Sum(nil)) != env.master.SHA256 {
		t.Fatalf("download: status %d, %d bytes, checksum mismatch or short", resp.StatusCode, n)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	heapGrowth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("64 MB in %v (%.0f MB/s); allocated %d KB in total, heap grew %d KB",
		elapsed, float64(fileSize)/elapsed.Seconds()/(1<<20), allocated>>10, heapGrowth>>10)
	if allocated > allowedGrowth {
		t.Errorf("allocated %d bytes while serving a %d-byte file; want < %d", allocated, fileSize, allowedGrowth)
	}
	if heapGrowth > allowedGrowth {
		t.Errorf("heap grew by %d bytes; want < %d", heapGrowth, allowedGrowth)
	}

	// A copy through user space writes the socket every 32 KB (2048 write
	// calls for 64 MB); sendfile moves megabytes per call. Linux counts
	// both in /proc/self/io, so this catches a wrapper hiding ReadFrom.
	if !haveIOStats {
		t.Log("no /proc/self/io: cannot check that sendfile was used")
		return
	}
	writes := writesAfter - writesBefore
	t.Logf("write system calls (sendfile included) during the download: %d", writes)
	if writes > 1024 {
		t.Errorf("%d write system calls for 64 MB: the file went through user space instead of sendfile", writes)
	}
}

// writeSyscalls returns this process's count of write-like system calls
// (syscw in /proc/self/io, which counts sendfile too).
func writeSyscalls() (int64, bool) {
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "syscw: "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
