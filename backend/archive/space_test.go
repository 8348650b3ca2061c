package archive

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/testdisk"
	"reelvault/backend/internal/testmedia"
)

// A build on a data folder whose disk is short waits, says what for, and
// resumes on its own when the space comes back; one that fills the disk
// mid-way (ENOSPC from ffmpeg) waits too instead of erroring for good.
// The data folder is a real 64 MB tmpfs, database included.
func TestBuildWaitsForDiskSpace(t *testing.T) {
	disk := testdisk.Tmpfs(t, "64m")
	// About 4 MB: more than the room the second case leaves.
	input := clip(t, "dense.mp4", testmedia.Join(testmedia.LavfiVideo("1280x720", "25", "3"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-qp", "8", "-pix_fmt", "yuv420p"})...)
	st, err := os.Stat(input)
	if err != nil || st.Size() < 2<<20 {
		t.Fatalf("input %v %v: want over 2 MB", st, err)
	}
	// lie makes the check report plenty of room, as when another program
	// fills the disk after the check: the build then meets the real ENOSPC.
	var lie atomic.Bool
	const reserve = 8 << 20
	env := openEnv(t, disk, func(c *Config) {
		c.SpaceRecheck = 100 * time.Millisecond
		c.Space = &diskspace.Checker{Reserve: diskspace.Reserve{Bytes: reserve}, Free: func(p string) (int64, int64, error) {
			if lie.Load() {
				return 1 << 40, 1 << 41, nil
			}
			return diskspace.Available(p)
		}}
	})
	env.start()

	filler := testdisk.Fill(t, disk, "filler", reserve)
	a := env.create(CreateParams{Input: input})
	a = env.waitFor(a.ID, "waiting for space", 30*time.Second, func(a Asset) bool { return a.Waiting != "" })
	if want := "Waiting for " + diskspace.Human(st.Size()); !strings.HasPrefix(a.Waiting, want) || !strings.HasSuffix(a.Waiting, " of free space") ||
		a.Status != StatusPreparing {
		t.Errorf("asset %s, waiting %q; want preparing and %q… of free space", a.Status, a.Waiting, want)
	}
	if names := dirNames(t, filepath.Join(disk, "masters")); len(names) != 0 {
		t.Errorf("masters/ holds %v while the build waits", names)
	}
	os.Remove(filler)
	a = env.waitStatus(a.ID, StatusReady, 60*time.Second)
	if a.Waiting != "" {
		t.Errorf("ready asset still says %q", a.Waiting)
	}

	// The check passes, the disk fills during the build.
	lie.Store(true)
	filler = testdisk.Fill(t, disk, "filler", 1<<20)
	b := env.create(CreateParams{Input: input})
	b = env.waitFor(b.ID, "waiting after ENOSPC", 60*time.Second, func(a Asset) bool { return a.Waiting != "" })
	if b.Status != StatusPreparing || !strings.Contains(b.Waiting, "the disk filled up") {
		t.Errorf("after ENOSPC: %s, waiting %q; want preparing, waiting for free space", b.Status, b.Waiting)
	}
	if part := filepath.Join(disk, "masters", b.ID+".mp4.part"); fileExists(part) {
		t.Errorf("the half-written master is left on the full disk")
	}
	lie.Store(false)
	os.Remove(filler)
	b = env.waitStatus(b.ID, StatusReady, 60*time.Second)
	var attempts int
	env.db.QueryRowContext(env.ctx(), `SELECT count(*) FROM jobs WHERE ref = ? AND state = 'failed'`, b.ID).Scan(&attempts)
	if attempts != 0 || b.ErrorMessage != "" {
		t.Errorf("the wait left %d failed jobs and error %q", attempts, b.ErrorMessage)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
