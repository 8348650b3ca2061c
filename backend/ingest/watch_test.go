package ingest

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/archive"
)

// A clip written slowly (ten seconds, in slices with pauses shorter than the
// settle delay) becomes one asset, only after the writer is done, and its
// master holds the whole clip.
func TestWatchSlowWriterIngestedOnlyWhenDone(t *testing.T) {
	src := clip(t, "slow-source.ts", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=6",
		"-f", "lavfi", "-i", "sine=frequency=330:sample_rate=16000:duration=6",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "400k", "-c:a", "aac", "-b:a", "32k",
		"-f", "mpegts")
	data := readFile(t, src)
	wantDuration := probeDuration(t, src)

	env := newEnv(t, "", func(c *Config) { c.SettleDelay = 2 * time.Second })
	dir := t.TempDir()
	env.addFolder(dir, FolderParams{})
	env.run(true)

	// MPEG-TS is readable at any length: a half-written file would probe as a
	// shorter, valid video, which is exactly what must never be ingested.
	dst := filepath.Join(dir, "take1.ts")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	const slices = 20
	step := (len(data) + slices - 1) / slices
	for off := 0; off < len(data); off += step {
		if _, err := f.Write(data[off:min(off+step, len(data))]); err != nil {
			t.Fatal(err)
		}
		if n := len(env.assets()); n != 0 {
			t.Fatalf("an asset was created after %d of %d bytes: the file was taken while still being written", off+step, len(data))
		}
		time.Sleep(500 * time.Millisecond) // a slow writer on purpose: it pauses, but less than the settle delay
	}
	f.Close()
	writerDone := time.Now()

	var a archive.Asset
	waitUntil(t, 30*time.Second, func() bool {
		all := env.assets()
		if len(all) > 0 {
			a = all[0]
		}
		return len(all) > 0
	}, func() string { return "no asset for the finished file" })
	if a.CreatedAt.Before(writerDone) {
		t.Errorf("asset created at %s, before the writer finished at %s", a.CreatedAt, writerDone)
	}
	if a.Source != archive.SourceWatch || a.Input != dst {
		t.Errorf("asset source %q input %q, want watch and %s", a.Source, a.Input, dst)
	}
	waitUntil(t, 90*time.Second, func() bool {
		cur, err := env.archive.Get(env.ctx(), a.ID)
		a = cur
		return err == nil && cur.Status != archive.StatusPreparing
	}, func() string { return "master not built" })
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s (%s)", a.ID, a.Status, a.ErrorMessage)
	}
	got := probeDuration(t, filepath.Join(env.dataDir, a.MasterFile))
	if math.Abs(got-wantDuration) > 0.2 {
		t.Errorf("master lasts %.2f s, the clip %.2f s: not the whole file", got, wantDuration)
	}
	if n := len(env.assets()); n != 1 {
		t.Errorf("%d assets for one file", n)
	}
}

// 100 files dropped at once (half of them in a subfolder made after the
// watch started) become exactly 100 assets; a restart, a rescan or a touch
// ingests nothing again; new content at a known path is a new asset.
func TestWatchHundredFilesOnceAcrossRestarts(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	dataDir := t.TempDir()
	dir := t.TempDir()
	env := newEnv(t, dataDir)
	folder := env.addFolder(dir, FolderParams{})
	env.run(false)
	waitUntil(t, 10*time.Second, func() bool { return env.folderView(folder).State == StateWatching },
		func() string { return "not watching: " + env.folderView(folder).Message })

	var paths []string
	for i := 0; i < 100; i++ {
		// Identical bytes on purpose: different paths are different files.
		p := filepath.Join(dir, fmt.Sprintf("clip-%03d.mp4", i))
		if i >= 50 {
			p = filepath.Join(dir, "day2", "cam-b", fmt.Sprintf("clip-%03d.mp4", i))
		}
		writeFile(t, p, tiny)
		paths = append(paths, p)
	}
	waitForCount(t, 100, 30*time.Second, func() int { return len(env.assets()) }, "assets for 100 dropped files")
	env.quiet(folder, time.Now())
	checkOneAssetPerPath(t, env.assets(), paths)

	// Restart over the same database.
	env.stop()
	env2 := newEnv(t, dataDir)
	env2.run(false)
	restarted := time.Now()
	env2.quiet(folder, restarted)
	if n := len(env2.assets()); n != 100 {
		t.Fatalf("after a restart: %d assets, want still 100", n)
	}

	// A touch changes the mtime, not the content.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(paths[3], later, later); err != nil {
		t.Fatal(err)
	}
	// Other content at a known path is another file.
	other := readFile(t, clip(t, "tiny-other.mp4", "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=0.7",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"))
	writeFile(t, paths[7], other)
	waitUntil(t, 30*time.Second, func() bool { return len(env2.assets()) >= 101 },
		func() string { return "the replaced file did not become a new asset" })
	env2.quiet(folder, time.Now())
	all := env2.assets()
	if len(all) != 101 {
		t.Fatalf("%d assets, want 101 (100 + the replaced content; the touched file not again)", len(all))
	}
	perPath := map[string]int{}
	for _, a := range all {
		perPath[a.Input]++
	}
	if perPath[paths[7]] != 2 || perPath[paths[3]] != 1 {
		t.Errorf("assets for the replaced file: %d (want 2); for the touched file: %d (want 1)", perPath[paths[7]], perPath[paths[3]])
	}
}

func checkOneAssetPerPath(t *testing.T, assets []archive.Asset, paths []string) {
	t.Helper()
	count := map[string]int{}
	for _, a := range assets {
		count[a.Input]++
		if a.Source != archive.SourceWatch {
			t.Errorf("asset %s source %q, want watch", a.ID, a.Source)
		}
	}
	for _, p := range paths {
		if count[p] != 1 {
			t.Errorf("%s: %d assets, want 1", p, count[p])
		}
	}
	if len(assets) != len(paths) {
		t.Errorf("%d assets for %d files", len(assets), len(paths))
	}
}

// Temporary and hidden files are ignored; non-video files are skipped with
// a note in the folder's recent files, not turned into errored assets.
func TestWatchSkipsWhatIsNotAVideo(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	audioOnly := readFile(t, clip(t, "audio-only.mp4", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=0.5",
		"-c:a", "aac", "-b:a", "16k"))
	dir := t.TempDir()
	env := newEnv(t, "")
	folder := env.addFolder(dir, FolderParams{})
	env.run(false)

	writeFile(t, filepath.Join(dir, "good.mov"), tiny)
	for _, name := range []string{".hidden.mp4", "movie.mp4.part", "download.mp4.crdownload", "~$lock.mp4", ".DS_Store", "x.tmp"} {
		writeFile(t, filepath.Join(dir, name), tiny)
	}
	writeFile(t, filepath.Join(dir, ".cache", "inside-hidden.mp4"), tiny)
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("shot list"))
	writeFile(t, filepath.Join(dir, "broken.mp4"), []byte(strings.Repeat("not really a video ", 100)))
	writeFile(t, filepath.Join(dir, "song.mp4"), audioOnly)

	waitUntil(t, 30*time.Second, func() bool { return len(env.folderView(folder).RecentFiles) >= 4 },
		func() string { return fmt.Sprintf("recent files: %+v", env.folderView(folder).RecentFiles) })
	env.quiet(folder, time.Now())

	all := env.assets()
	if len(all) != 1 || filepath.Base(all[0].Input) != "good.mov" {
		t.Fatalf("assets %v, want only good.mov", inputsOf(all))
	}
	notes := map[string]FileState{}
	for _, f := range env.folderView(folder).RecentFiles {
		notes[filepath.Base(f.Path)] = f
	}
	for name, want := range map[string]string{"notes.txt": "not a video file", "broken.mp4": "not a playable video",
		"song.mp4": "no video stream"} {
		f, ok := notes[name]
		if !ok || f.Outcome != "skipped" || !strings.Contains(f.Note, want) {
			t.Errorf("%s: outcome %q note %q, want skipped with %q", name, f.Outcome, f.Note, want)
		}
	}
	if f := notes["good.mov"]; f.Outcome != "ingested" || f.AssetID != all[0].ID {
		t.Errorf("good.mov: %+v, want ingested as %s", f, all[0].ID)
	}
	if len(notes) != 4 {
		t.Errorf("recent files %v: hidden and temporary files must not be listed", notes)
	}
}

func inputsOf(assets []archive.Asset) []string {
	var out []string
	for _, a := range assets {
		out = append(out, a.Input)
	}
	return out
}

// A folder on a file system that sends no events is polled, says so, and
// still ingests.
func TestWatchPollsNetworkFolders(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	env := newEnv(t, "", func(c *Config) { c.NetworkFS = func(string) (bool, string) { return true, "nfs4" } })
	dir := t.TempDir()
	folder := env.addFolder(dir, FolderParams{})
	env.run(false)
	waitUntil(t, 10*time.Second, func() bool { return env.folderView(folder).State == StatePolling },
		func() string { return "state " + env.folderView(folder).State })
	if msg := env.folderView(folder).Message; !strings.Contains(msg, "nfs4") || !strings.Contains(msg, "checked every") {
		t.Errorf("message %q should name the file system and the polling", msg)
	}
	writeFile(t, filepath.Join(dir, "remote.mp4"), tiny)
	waitUntil(t, 30*time.Second, func() bool { return len(env.assets()) == 1 },
		func() string { return "the polled folder's file was not ingested" })
}

// With after=move the file goes to done/ (keeping its subfolder) once its
// master is ready; the done folder itself is not watched.
func TestWatchMovesFinishedFilesToDone(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	env := newEnv(t, "")
	dir := t.TempDir()
	move := AfterMove
	folder := env.addFolder(dir, FolderParams{After: &move})
	env.run(true)
	src := filepath.Join(dir, "cards", "a001.mp4")
	writeFile(t, src, tiny)

	done := filepath.Join(dir, "done", "cards", "a001.mp4")
	waitUntil(t, 60*time.Second, func() bool { _, err := os.Stat(done); return err == nil },
		func() string { return fmt.Sprintf("not moved; recent files %+v", env.folderView(folder).RecentFiles) })
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Errorf("the original is still there (%v): a move, not a copy", err)
	}
	all := env.assets()
	if len(all) != 1 || all[0].Status != archive.StatusReady {
		t.Fatalf("assets %+v, want one ready", inputsOf(all))
	}
	env.quiet(folder, time.Now())
	if n := len(env.assets()); n != 1 {
		t.Errorf("%d assets: the done folder was ingested again", n)
	}
	var moved FileState
	for _, f := range env.folderView(folder).RecentFiles {
		if f.Path == src {
			moved = f
		}
	}
	if moved.Outcome != "moved" || moved.MovedTo != done {
		t.Errorf("recent file %+v, want moved to %s", moved, done)
	}
}

// A --watch folder that does not exist yet shows an error, then is watched
// once it appears.
func TestWatchFolderAppearsLater(t *testing.T) {
	tiny := readFile(t, tinyClip(t))
	env := newEnv(t, "")
	dir := filepath.Join(t.TempDir(), "not-yet")
	if err := env.svc.EnsureFolders(env.ctx(), []string{dir, dir}); err != nil {
		t.Fatalf("EnsureFolders: %v", err)
	}
	folders, err := env.svc.ListFolders(env.ctx())
	if err != nil || len(folders) != 1 || !folders[0].FromCommandLine {
		t.Fatalf("folders %+v (%v), want the one --watch folder", folders, err)
	}
	env.run(false)
	waitUntil(t, 10*time.Second, func() bool { return env.folderView(folders[0]).State == StateError },
		func() string { return "state " + env.folderView(folders[0]).State })
	if msg := env.folderView(folders[0]).Message; !strings.Contains(msg, "does not exist") {
		t.Errorf("message %q should say the folder does not exist", msg)
	}
	writeFile(t, filepath.Join(dir, "late.mp4"), tiny)
	waitUntil(t, 30*time.Second, func() bool { return len(env.assets()) == 1 },
		func() string { return "state " + env.folderView(folders[0]).State })
	if s := env.folderView(folders[0]).State; s != StateWatching {
		t.Errorf("state %q, want watching", s)
	}
}
