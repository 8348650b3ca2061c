package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/fixity"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/links"
	"reelvault/backend/media"
)

// bigClip is a 2048x1152 H.264/AAC second at 5 fps: above the 1080p tier (so 1080p
// scales it down) and inside 1440p (so 1440p and 2160p keep it as it is), small enough
// to encode in a moment.
func bigClip(t *testing.T) string { return h264Clip(t, "2048x1152") }

// h264Clip is an H.264/AAC second at 5 fps of size WxH, encoded fast and small.
func h264Clip(t *testing.T, size string) string {
	return clip(t, "h264_"+size+".mp4", testmedia.Join(testmedia.LavfiVideo(size, "5", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
}

// readyAt archives input at tier and waits for its master and its input's hash.
func (e *testEnv) readyAt(input, tier string) Asset {
	e.t.Helper()
	a := e.create(CreateParams{Input: input, AssetSettings: AssetSettings{MaxResolutionTier: tier, VideoQuality: "basic"}})
	e.waitStatus(a.ID, StatusReady, 2*time.Minute)
	return e.waitFor(a.ID, "input hashed", 30*time.Second, func(a Asset) bool { return a.InputSHA256 != "" })
}

// rebuild asks for tier and waits until no rebuild is pending; it returns the asset.
func (e *testEnv) rebuild(id, tier string) Asset {
	e.t.Helper()
	a, queued, err := e.svc.Rebuild(e.ctx(), id, tier)
	if err != nil {
		e.t.Fatalf("Rebuild(%s, %s): %v", id, tier, err)
	}
	if !queued || a.Rebuild == nil || a.Rebuild.MaxResolutionTier != tier || a.Status != StatusReady {
		e.t.Fatalf("Rebuild(%s): queued %v, rebuild %+v, status %s; want queued to %s and still ready", tier, queued, a.Rebuild, a.Status, tier)
	}
	return e.waitFor(id, "rebuilt at "+tier, 2*time.Minute, func(a Asset) bool { return a.Rebuild == nil || a.Rebuild.State == RebuildFailed })
}

// checkMaster checks that the asset describes its master file: size, hash, picture.
func (e *testEnv) checkMaster(a Asset, w, h int) {
	e.t.Helper()
	path := filepath.Join(e.dataDir, a.MasterFile)
	size, sum := fileSHA256(e.t, path)
	if size != a.MasterSize || sum != a.MasterSHA256 {
		e.t.Errorf("master file %d bytes %s; asset says %d bytes %s", size, sum, a.MasterSize, a.MasterSHA256)
	}
	info := mustProbe(e.t, path)
	if info.Video == nil || info.Video.Width != w || info.Video.Height != h {
		e.t.Fatalf("master video %+v, want %dx%d", info.Video, w, h)
	}
	if info.Audio == nil || info.Audio.Codec != "aac" {
		e.t.Errorf("master audio %+v, want the AAC kept", info.Audio)
	}
	if v := a.Tracks[0]; v.Type != "video" || v.MaxWidth != w || v.MaxHeight != h {
		e.t.Errorf("video track %+v, want %dx%d", v, w, h)
	}
	if len(a.Tracks) != 2 || a.Tracks[1].Type != "audio" {
		e.t.Errorf("tracks %+v, want video and audio", a.Tracks)
	}
}

// mastersOf lists the files in masters/ named after the asset.
func (e *testEnv) mastersOf(id string) []string {
	e.t.Helper()
	var out []string
	for _, n := range dirNames(e.t, filepath.Join(e.dataDir, "masters")) {
		if strings.HasPrefix(n, id) {
			out = append(out, n)
		}
	}
	return out
}

// Down to 1080p and back up to 2160p: each master is made from the source (back up,
// the picture is the source's own packets again, which a master made from the 1080p
// one could not be), describes itself, and the old file goes once the new one is in.
func TestRebuildDownAndUp(t *testing.T) {
	input := bigClip(t)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input, AssetSettings: AssetSettings{MaxResolutionTier: "2160p", VideoQuality: "basic",
		StaticRenditions: []RenditionRequest{{Resolution: "270p"}}}})
	env.waitStatus(a.ID, StatusReady, 2*time.Minute)
	a = env.waitFor(a.ID, "its proxy made and input hashed", time.Minute, func(a Asset) bool {
		return a.InputSHA256 != "" && len(a.Renditions) == 1 && a.Renditions[0].Status == RenditionReady
	})
	proxy := a.Renditions[0]
	if a.MasterMode != "remux" {
		t.Fatalf("first master %s, want a remux", a.MasterMode)
	}
	env.checkMaster(a, 2048, 1152)
	first := a.MasterFile
	srcVideo := streamMD5(t, input, "0:v:0")

	down := env.rebuild(a.ID, "1080p")
	if down.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", down.Rebuild.Error)
	}
	if down.MaxResolutionTier != "1080p" || down.ResolutionTier != "1080p" || down.MasterMode != "transcode" ||
		down.MasterReason == "" || len(down.MasterChanges) == 0 {
		t.Errorf("after the rebuild down: tier %s/%s mode %s reason %q changes %q", down.MaxResolutionTier, down.ResolutionTier,
			down.MasterMode, down.MasterReason, down.MasterChanges)
	}
	env.checkMaster(down, 1920, 1080)
	if down.MasterFile == first || down.MasterSHA256 == a.MasterSHA256 {
		t.Errorf("master file %s sha %s: not a new file", down.MasterFile, down.MasterSHA256)
	}
	if _, err := os.Stat(filepath.Join(env.dataDir, first)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the replaced master %s is still there (%v)", first, err)
	}

	up := env.rebuild(a.ID, "2160p")
	if up.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", up.Rebuild.Error)
	}
	if up.MaxResolutionTier != "2160p" || up.ResolutionTier != "1440p" || up.MasterMode != "remux" || len(up.MasterChanges) != 0 {
		t.Errorf("after the rebuild up: tier %s/%s mode %s changes %q", up.MaxResolutionTier, up.ResolutionTier, up.MasterMode, up.MasterChanges)
	}
	env.checkMaster(up, 2048, 1152)
	if got := streamMD5(t, filepath.Join(env.dataDir, up.MasterFile), "0:v:0"); got != srcVideo {
		t.Errorf("the rebuilt master's picture is not the source's packets: built from something else")
	}
	if files := env.mastersOf(a.ID); !slices.Equal(files, []string{filepath.Base(up.MasterFile)}) {
		t.Errorf("masters/ holds %q, want only %s", files, filepath.Base(up.MasterFile))
	}
	if n := count(env.eventTypes(a.ID), "video.asset.updated"); n != 2 {
		t.Errorf("%d video.asset.updated events, want one per rebuild (2)", n)
	}
	// The proxy, made from the same source's picture, is kept as it was.
	if rs := up.Renditions; len(rs) != 1 || rs[0].Status != RenditionReady || rs[0].SHA256 != proxy.SHA256 || rs[0].File != proxy.File {
		t.Errorf("renditions after the rebuilds %+v, want the proxy %+v kept", rs, proxy)
	} else if _, sum := fileSHA256(t, filepath.Join(env.dataDir, rs[0].File)); sum != proxy.SHA256 {
		t.Errorf("the proxy file changed")
	}
	var retired int
	env.db.QueryRowContext(env.ctx(), `SELECT count(*) FROM retired_files`).Scan(&retired)
	if retired != 0 {
		t.Errorf("%d retired files left recorded", retired)
	}
}

// A rebuild that would make the same master (a 320x240 clip asked for 2160p) builds
// nothing: the tier is recorded, the master stays, no job is queued.
func TestRebuildToTheSameMasterOnlyRecordsTheTier(t *testing.T) {
	env := newEnv(t)
	a := env.readyAt(smallClip(t), "1080p")
	got, queued, err := env.svc.Rebuild(env.ctx(), a.ID, "2160p")
	if err != nil || queued {
		t.Fatalf("Rebuild: queued %v, %v; want nothing queued", queued, err)
	}
	if got.MaxResolutionTier != "2160p" || got.MasterFile != a.MasterFile || got.MasterSHA256 != a.MasterSHA256 || got.Rebuild != nil {
		t.Errorf("asset tier %s file %s rebuild %+v; want 2160p recorded on the same master", got.MaxResolutionTier, got.MasterFile, got.Rebuild)
	}
	var jobs int
	env.db.QueryRowContext(env.ctx(), `SELECT count(*) FROM jobs WHERE ref = ? AND kind IN (?, ?)`, a.ID, jobBuildMaster, jobTranscodeMaster).Scan(&jobs)
	if jobs != 0 {
		t.Errorf("%d build jobs queued for a no-op", jobs)
	}
	// Asked again: nothing to do, and nothing sent.
	if _, queued, err := env.svc.Rebuild(env.ctx(), a.ID, "2160p"); err != nil || queued {
		t.Errorf("the same tier again: queued %v, %v", queued, err)
	}
	if n := count(env.eventTypes(a.ID), "video.asset.updated"); n != 1 {
		t.Errorf("%d video.asset.updated events, want 1", n)
	}
}

// What cannot be rebuilt is refused with the reason, and the master is left as it is:
// a bad tier, an asset not ready, a source gone, a source changed, a web input not kept,
// a live recording whose parts are gone.
func TestRebuildRefusals(t *testing.T) {
	env := newEnv(t)
	input := copyFile(t, bigClip(t), "kept.mp4")
	a := env.readyAt(input, "1080p")

	var inv *fail.InvalidError
	if _, _, err := env.svc.Rebuild(env.ctx(), a.ID, "4k"); !errors.As(err, &inv) || inv.Field != "max_resolution_tier" {
		t.Errorf("tier 4k: %v, want invalid max_resolution_tier", err)
	}
	precondition := func(what, id, tier, want string) {
		t.Helper()
		_, _, err := env.svc.Rebuild(env.ctx(), id, tier)
		var pe *fail.PreconditionError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, want) {
			t.Errorf("%s: %v, want a precondition saying %q", what, err, want)
		}
	}

	// Another clip of another length at the same path.
	other := clip(t, "h264_2048x1152_2s.mp4", testmedia.Join(testmedia.LavfiVideo("2048x1152", "5", "2"), testmedia.LavfiAudio("2"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...)
	original, _ := os.ReadFile(input)
	replacement, _ := os.ReadFile(other)
	os.WriteFile(input, replacement, 0o644)
	precondition("changed source", a.ID, "2160p", "changed since it was archived; the master is left as it is")
	os.Remove(input)
	precondition("source gone", a.ID, "2160p", "does not exist. The master cannot be made again from its source")
	os.WriteFile(input, original, 0o644)

	// Rows as other sources leave them: a web input and a finished live recording.
	for _, c := range []struct{ source, input, want string }{
		{SourceURL, "https://example.com/clip.mp4", "fetched from a web address"},
		{SourceLive, filepath.Join(t.TempDir(), "gone-part0.mp4"), "live recording's parts are no longer kept"},
	} {
		row := env.get(a.ID)
		row.ID, row.Source, row.Input, row.PlaybackIDs, row.Renditions, row.Rebuild = "x"+c.source, c.source, c.input, nil, nil, nil
		if err := saveAsset(env.ctx(), env.db, &row); err != nil {
			t.Fatal(err)
		}
		precondition(c.source, row.ID, "2160p", c.want)
	}

	after := env.get(a.ID)
	if after.MasterFile != a.MasterFile || after.MasterSHA256 != a.MasterSHA256 || after.MaxResolutionTier != "1080p" || after.Rebuild != nil {
		t.Errorf("after the refusals: file %s sha %s tier %s rebuild %+v; want the master as it was", after.MasterFile,
			after.MasterSHA256, after.MaxResolutionTier, after.Rebuild)
	}
	env.checkMaster(after, 1920, 1080)
}

// An asset that failed has no master to change: Retry is the way.
func TestRebuildRefusesAnErroredAsset(t *testing.T) {
	env := newEnv(t)
	junk := filepath.Join(t.TempDir(), "junk.mp4")
	os.WriteFile(junk, []byte("not a video at all"), 0o644)
	a := env.create(CreateParams{Input: junk})
	env.waitStatus(a.ID, StatusErrored, time.Minute)
	_, _, err := env.svc.Rebuild(env.ctx(), a.ID, "2160p")
	var pe *fail.PreconditionError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, "Retry") {
		t.Errorf("errored asset: %v, want a precondition pointing at Retry", err)
	}
}

// Bytes changed behind an unchanged description (one bit flipped in the picture data:
// same size, length and codecs) are found by the hash before anything is swapped: the
// rebuild fails with the reason and stays visible until the next request or a cancel;
// the master is left as it is.
func TestRebuildFailsWhenTheSourceBytesChanged(t *testing.T) {
	env := newEnv(t)
	input := copyFile(t, bigClip(t), "kept.mp4")
	a := env.readyAt(input, "1080p")
	b, _ := os.ReadFile(input)
	b[len(b)*2/3] ^= 0x01 // bit rot, past the header
	os.WriteFile(input, b, 0o644)

	got := env.rebuild(a.ID, "2160p")
	if got.Rebuild == nil || got.Rebuild.State != RebuildFailed || !strings.Contains(got.Rebuild.Error, "changed since it was archived") {
		t.Fatalf("rebuild %+v, want failed saying the file changed", got.Rebuild)
	}
	if got.MasterFile != a.MasterFile || got.MasterSHA256 != a.MasterSHA256 || got.MaxResolutionTier != "1080p" {
		t.Errorf("master %s %s tier %s, want it left as it was", got.MasterFile, got.MasterSHA256, got.MaxResolutionTier)
	}
	env.checkMaster(got, 1920, 1080)
	if files := env.mastersOf(a.ID); len(files) != 1 {
		t.Errorf("masters/ holds %q, want the one master", files)
	}
	if err := env.svc.CancelRebuild(env.ctx(), a.ID); err != nil {
		t.Fatalf("cancel a failed rebuild: %v", err)
	}
	if got := env.get(a.ID); got.Rebuild != nil {
		t.Errorf("rebuild %+v after the cancel", got.Rebuild)
	}
	if err := env.svc.CancelRebuild(env.ctx(), a.ID); !errors.Is(err, ErrNoRebuild) {
		t.Errorf("cancel with none: %v, want ErrNoRebuild", err)
	}
}

// stopAt makes the service's rebuilds stop at point: reached is closed there, and the
// rebuild then waits until its context ends (a shutdown, a cancel, a delete).
func (e *testEnv) stopAt(point string) (reached chan struct{}) {
	reached = make(chan struct{})
	var once atomic.Bool
	e.svc.hooks.rebuild = func(ctx context.Context, p, _ string) error {
		if p != point || !once.CompareAndSwap(false, true) {
			return nil
		}
		close(reached)
		<-ctx.Done()
		return ctx.Err()
	}
	return reached
}

func waitClosed(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(2 * time.Minute):
		t.Fatalf("not %s after 2 minutes", what)
	}
}

// A crash between the new file's finish and the commit that points the asset at it: the
// old master stays the asset's, whole; at the next start the unreferenced new file is
// removed before anything can take it for a master, and the rebuild runs again.
func TestRebuildCrashBeforeTheSwapRunsAgain(t *testing.T) {
	input := bigClip(t)
	dir := t.TempDir()
	env := openEnv(t, dir)
	env.start()
	a := env.readyAt(input, "1080p")
	reached := env.stopAt(hookBeforeSwap)
	if _, queued, err := env.svc.Rebuild(env.ctx(), a.ID, "2160p"); err != nil || !queued {
		t.Fatalf("Rebuild: %v %v", queued, err)
	}
	waitClosed(t, reached, "at the swap")
	pending := env.get(a.ID)
	if pending.Rebuild == nil || pending.Rebuild.State != RebuildBuilding {
		t.Fatalf("rebuild %+v, want building", pending.Rebuild)
	}
	leftover := filepath.Join(dir, rebuildPath(a.ID, pending.Rebuild.ID))
	if _, err := os.Stat(leftover); err != nil {
		t.Fatalf("the finished new master is not there: %v", err)
	}
	env.stop() // the crash: the job is left running
	env.db.Close()

	env2 := openEnv(t, dir)
	if err := env2.queue.Recover(env2.ctx()); err != nil {
		t.Fatal(err)
	}
	if err := env2.svc.Recover(env2.ctx()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the unreferenced new file is still there after start-up (%v)", err)
	}
	old := env2.get(a.ID)
	if old.Rebuild == nil || old.Rebuild.State != RebuildQueued || old.Rebuild.Progress != 0 {
		t.Errorf("after the restart the rebuild is %+v, want queued again at 0%%", old.Rebuild)
	}
	if old.MasterFile != a.MasterFile || old.MaxResolutionTier != "1080p" {
		t.Fatalf("after the crash the asset points at %s tier %s, want the old master", old.MasterFile, old.MaxResolutionTier)
	}
	env2.checkMaster(old, 1920, 1080)

	env2.start()
	done := env2.waitFor(a.ID, "rebuilt after the restart", 2*time.Minute, func(a Asset) bool { return a.Rebuild == nil })
	if done.MaxResolutionTier != "2160p" {
		t.Fatalf("tier %s after the restart", done.MaxResolutionTier)
	}
	env2.checkMaster(done, 2048, 1152)
	if files := env2.mastersOf(a.ID); !slices.Equal(files, []string{filepath.Base(done.MasterFile)}) {
		t.Errorf("masters/ holds %q, want only %s", files, filepath.Base(done.MasterFile))
	}
}

// A crash after the commit, before the old file's removal: the asset has the new master
// and the next start removes the old file (recorded as retired in the commit).
func TestRebuildCrashAfterTheSwapRemovesTheOldFileAtStart(t *testing.T) {
	dir := t.TempDir()
	env := openEnv(t, dir)
	env.start()
	a := env.readyAt(bigClip(t), "1080p")
	reached := env.stopAt(hookAfterSwap)
	env.svc.Rebuild(env.ctx(), a.ID, "2160p")
	waitClosed(t, reached, "after the swap")
	env.stop()
	env.db.Close()
	if _, err := os.Stat(filepath.Join(dir, a.MasterFile)); err != nil {
		t.Fatalf("the old master is already gone: the test stopped too late (%v)", err)
	}

	env2 := openEnv(t, dir)
	if err := env2.svc.Recover(env2.ctx()); err != nil {
		t.Fatal(err)
	}
	now := env2.get(a.ID)
	if now.MasterFile == a.MasterFile || now.Rebuild != nil {
		t.Fatalf("asset at %s rebuild %+v, want the new master", now.MasterFile, now.Rebuild)
	}
	env2.checkMaster(now, 2048, 1152)
	if files := env2.mastersOf(a.ID); !slices.Equal(files, []string{filepath.Base(now.MasterFile)}) {
		t.Errorf("masters/ holds %q after start-up, want only %s", files, filepath.Base(now.MasterFile))
	}
}

// Deleting the asset, or cancelling the rebuild, while the new file waits for its swap
// stops the rebuild and leaves no file of it; a cancel leaves the master as it was.
func TestRebuildCancelAndDeleteLeaveNoFile(t *testing.T) {
	env := newEnv(t)
	input := bigClip(t)
	a := env.readyAt(input, "1080p")
	reached := env.stopAt(hookBeforeSwap)
	env.svc.Rebuild(env.ctx(), a.ID, "2160p")
	waitClosed(t, reached, "at the swap")
	if err := env.svc.CancelRebuild(env.ctx(), a.ID); err != nil {
		t.Fatal(err)
	}
	env.waitFor(a.ID, "only its master in masters/", 30*time.Second, func(Asset) bool { return len(env.mastersOf(a.ID)) == 1 })
	got := env.get(a.ID)
	if got.Rebuild != nil || got.MasterFile != a.MasterFile || got.MaxResolutionTier != "1080p" {
		t.Errorf("after the cancel: rebuild %+v file %s tier %s", got.Rebuild, got.MasterFile, got.MaxResolutionTier)
	}
	env.checkMaster(got, 1920, 1080)

	b := env.readyAt(copyFile(t, input, "b.mp4"), "1080p")
	reached = env.stopAt(hookBeforeSwap)
	env.svc.Rebuild(env.ctx(), b.ID, "2160p")
	waitClosed(t, reached, "at the swap")
	if err := env.svc.Delete(env.ctx(), b.ID); err != nil {
		t.Fatal(err)
	}
	if !testtime.Poll(30*time.Second, func() bool { return len(env.mastersOf(b.ID)) == 0 && env.svc.Working() == 0 }) {
		t.Errorf("after the delete masters/ holds %q", env.mastersOf(b.ID))
	}
}

// hasher counts and hashes what a download reads.
type hasher struct {
	h hash.Hash
	n int64
}

func newHasher() *hasher { return &hasher{h: sha256.New()} }

func (h *hasher) Write(p []byte) (int, error) { h.n += int64(len(p)); return h.h.Write(p) }

func (h *hasher) sum() (int64, string) { return h.n, hex.EncodeToString(h.h.Sum(nil)) }

// A download of the master that started before the swap reads the old file to its end
// (it holds the file open; the swap only removes the name), and its bytes are the old
// master's; a download started after gets the new one. The fixity audit whose list was
// read before the swap checks the new file and finds nothing wrong.
func TestRebuildKeepsOpenDownloadsAndTheAuditWhole(t *testing.T) {
	env := newEnv(t)
	a := env.readyAt(bigClip(t), "1080p")
	masters, err := env.svc.FixityMasters(env.ctx())
	if err != nil || len(masters) != 1 {
		t.Fatalf("fixity list %v %v", masters, err)
	}

	f, _, err := links.OpenFile(filepath.Join(env.dataDir, a.MasterFile), a.MasterSize)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := newHasher()
	if _, err := io.CopyN(h, f, a.MasterSize/2); err != nil {
		t.Fatal(err)
	}
	done := env.rebuild(a.ID, "2160p")
	if done.Rebuild != nil || done.MasterFile == a.MasterFile {
		t.Fatalf("not rebuilt: %+v", done.Rebuild)
	}
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if n, sum := h.sum(); n != a.MasterSize || sum != a.MasterSHA256 {
		t.Errorf("the download begun before the swap got %d bytes %s, want the old master's %d bytes %s", n, sum, a.MasterSize, a.MasterSHA256)
	}
	g, _, err := links.OpenFile(filepath.Join(env.dataDir, done.MasterFile), done.MasterSize)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	h2 := newHasher()
	io.Copy(h2, g)
	if _, sum := h2.sum(); sum != done.MasterSHA256 {
		t.Errorf("a download after the swap got %s, want the new master %s", sum, done.MasterSHA256)
	}

	// The audit with the list read before the swap (old path, old hash).
	var last time.Time
	aud := fixity.NewAuditor(fixity.AuditConfig{
		Masters: func(context.Context) ([]fixity.Master, error) { return masters, nil },
		Record:  env.svc.RecordFixity, Current: env.svc.FixityMaster,
		LastRun:  func(context.Context) (time.Time, error) { return last, nil },
		SaveRun:  func(_ context.Context, at time.Time) error { last = at; return nil },
		Throttle: fixity.Throttle{Share: 1}, Log: env.svc.log,
	})
	checked, damaged, err := aud.AuditNow(env.ctx())
	if err != nil || checked != 1 || len(damaged) != 0 {
		t.Errorf("audit around the swap: %d checked, damaged %+v, %v; want 1 checked, none damaged", checked, damaged, err)
	}
	got := env.get(a.ID)
	if got.MasterDamage != "" || got.MasterCheckedAt.IsZero() || count(env.eventTypes(a.ID), EventMasterDamaged) != 0 {
		t.Errorf("after the audit: damage %q checked %v events %q", got.MasterDamage, got.MasterCheckedAt, env.eventTypes(a.ID))
	}
	// Work that looked up the old master before the swap and failed opening it after (a
	// thumbnail, a proxy, previews) is tried again on the new one, not recorded as failed.
	gone := errors.New("no such file")
	if err := env.svc.masterFault(env.ctx(), a, gone); !errors.Is(err, errMasterReplaced) {
		t.Errorf("a failure on the replaced master: %v, want a retry", err)
	}
	if err := env.svc.masterFault(env.ctx(), done, gone); errors.Is(err, errMasterReplaced) || !errors.Is(err, gone) {
		t.Errorf("a failure on the current master: %v, want it kept as the master's", err)
	}
	// A result for the old file recorded late (an audit that read it just before) changes nothing.
	env.svc.RecordFixity(env.ctx(), fixity.Result{Master: masters[0], Problem: "the master file is missing"})
	if got := env.get(a.ID); got.MasterDamage != "" {
		t.Errorf("a stale finding marked the new master damaged: %q", got.MasterDamage)
	}
}

// A disk without room makes the rebuild wait, saying so; the master is untouched, and
// the rebuild goes on by itself once there is room. The free space is a stand-in
// (Config.Space's Free) so the test need not fill a real disk.
func TestRebuildWaitsForRoom(t *testing.T) {
	var full atomic.Bool
	env := newEnv(t, func(c *Config) {
		c.SpaceRecheck = 50 * time.Millisecond
		c.Space = &diskspace.Checker{Free: func(p string) (int64, int64, error) {
			if full.Load() {
				return 1 << 10, 1 << 40, nil
			}
			return 1 << 40, 1 << 41, nil
		}}
	})
	a := env.readyAt(bigClip(t), "1080p")
	full.Store(true)
	if _, queued, err := env.svc.Rebuild(env.ctx(), a.ID, "2160p"); err != nil || !queued {
		t.Fatalf("Rebuild: %v %v", queued, err)
	}
	w := env.waitFor(a.ID, "waiting for room", time.Minute, func(a Asset) bool { return a.Waiting != "" })
	if w.Rebuild == nil || w.Rebuild.State == RebuildFailed || w.MasterFile != a.MasterFile || !strings.Contains(w.Waiting, "free space") {
		t.Fatalf("while the disk is full: rebuild %+v master %s waiting %q", w.Rebuild, w.MasterFile, w.Waiting)
	}
	full.Store(false)
	done := env.waitFor(a.ID, "rebuilt", time.Minute, func(a Asset) bool { return a.Rebuild == nil })
	env.checkMaster(done, 2048, 1152)
	if done.Waiting != "" {
		t.Errorf("still waiting %q", done.Waiting)
	}
}

// A rebuild that re-encodes waits in the transcode lane, one that copies the streams in
// the build lane: neither holds up new ingests' remuxes behind a transcode. Asking for the
// tier the master has drops the pending rebuild. The queue is stopped so the jobs stay
// where they were put.
func TestRebuildLanes(t *testing.T) {
	env := newEnv(t)
	input := bigClip(t)
	remuxed := env.readyAt(input, "2160p")
	scaled := env.readyAt(copyFile(t, input, "b.mp4"), "1080p")
	env.stop()
	kindOf := func(id string) []string {
		t.Helper()
		rows, err := env.db.QueryContext(env.ctx(), `SELECT kind FROM jobs WHERE ref = ? AND state = 'queued' AND kind IN (?, ?)`,
			id, jobBuildMaster, jobTranscodeMaster)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var kinds []string
		for rows.Next() {
			var k string
			rows.Scan(&k)
			kinds = append(kinds, k)
		}
		return kinds
	}
	for _, c := range []struct {
		a    Asset
		tier string
		want string
	}{{remuxed, "1080p", jobTranscodeMaster}, {scaled, "1440p", jobBuildMaster}} {
		got, queued, err := env.svc.Rebuild(env.ctx(), c.a.ID, c.tier)
		if err != nil || !queued || got.Rebuild.State != RebuildQueued || got.Rebuild.QueueAhead == nil {
			t.Fatalf("Rebuild to %s: %v %v %+v", c.tier, queued, err, got.Rebuild)
		}
		if k := kindOf(c.a.ID); !slices.Equal(k, []string{c.want}) {
			t.Errorf("rebuild to %s queued %q, want %s", c.tier, k, c.want)
		}
	}
	// A change of mind: back to the tier it has.
	got, queued, err := env.svc.Rebuild(env.ctx(), remuxed.ID, "2160p")
	if err != nil || queued || got.Rebuild != nil || got.MaxResolutionTier != "2160p" {
		t.Errorf("back to its own tier: queued %v, %v, rebuild %+v tier %s", queued, err, got.Rebuild, got.MaxResolutionTier)
	}
}

// ffmpeg failing on the source fails the rebuild with its reason at once: the job is
// not retried, the master is left as it is, and no file of the rebuild stays. The ffmpeg
// the archive runs is swapped for a script that fails as ffmpeg does on a bad file.
func TestRebuildMediaErrorFailsWithoutRetry(t *testing.T) {
	env := newEnv(t)
	a := env.readyAt(bigClip(t), "2160p")
	env.waitFor(a.ID, "its background jobs done", time.Minute, func(Asset) bool { return env.svc.Working() == 0 && env.queued() == 0 })
	fake := filepath.Join(t.TempDir(), "ffmpeg")
	os.WriteFile(fake, []byte("#!/bin/sh\necho 'Invalid data found when processing input' >&2\nexit 1\n"), 0o755)
	saved := media.FFmpegPath
	media.FFmpegPath = fake
	t.Cleanup(func() { media.FFmpegPath = saved })

	got := env.rebuild(a.ID, "1080p") // a transcode: ffmpeg runs
	if got.Rebuild == nil || got.Rebuild.State != RebuildFailed || !strings.Contains(got.Rebuild.Error, "could not be made at 1080p") {
		t.Fatalf("rebuild %+v, want failed with ffmpeg's reason", got.Rebuild)
	}
	if got.MasterFile != a.MasterFile || got.MasterSHA256 != a.MasterSHA256 || got.MaxResolutionTier != "2160p" {
		t.Errorf("master %s tier %s, want it left as it was", got.MasterFile, got.MaxResolutionTier)
	}
	if n := env.queued(); n != 0 {
		t.Errorf("%d jobs left queued: the failed rebuild is retried", n)
	}
	if files := env.mastersOf(a.ID); len(files) != 1 {
		t.Errorf("masters/ holds %q", files)
	}
}

// queued is how many jobs wait or run.
func (e *testEnv) queued() int {
	var n int
	e.db.QueryRowContext(e.ctx(), `SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')`).Scan(&n)
	return n
}
