package archive

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// slowClip is an MPEG-2 720p clip: cheap to make, but it must be transcoded,
// which takes a few seconds at premium quality, long enough to interrupt.
func slowClip(t *testing.T) string {
	return clip(t, "slow.mpg", testmedia.Join(testmedia.LavfiVideo("1280x720", "25", "8"), []string{"-c:v", "mpeg2video", "-q:v", "5"})...)
}

// A ready asset without master access, and the snapshot each of its events
// carries (the wire package renders it; see its golden test).
func TestReadyAssetAndItsEvents(t *testing.T) {
	env := newEnv(t)
	a := env.readyAsset(AccessNone)
	if a.MasterAccess != AccessNone || a.LinkActive(env.clock.Now()) {
		t.Errorf("master access %q with a link out, want none", a.MasterAccess)
	}
	if a.ErrorType != "" || a.MasterError != "" || !a.LinkExpiresAt.IsZero() {
		t.Errorf("ready asset without access has error %q, master error %q, link expiry %v", a.ErrorType, a.MasterError, a.LinkExpiresAt)
	}
	if a.Status != "ready" || a.MaxResolutionTier != "1080p" || a.VideoQuality != "plus" ||
		a.IngestType != "on_demand_url" || a.Title() != "small" {
		t.Errorf("asset %+v", a)
	}
	if a.ProgressState != "completed" || a.Progress != 100 {
		t.Errorf("progress %s %v, want completed 100", a.ProgressState, a.Progress)
	}
	for _, ev := range env.events(a.ID) {
		var data map[string]any
		if err := json.Unmarshal(ev.Data, &data); err != nil {
			t.Fatal(err)
		}
		if n, ok := data["created_at"].(float64); !ok || int64(n) != a.CreatedAt.Unix() {
			t.Errorf("%s data created_at %#v, want the integer %d", ev.Type, data["created_at"], a.CreatedAt.Unix())
		}
		if data["id"] != a.ID {
			t.Errorf("%s data id %v", ev.Type, data["id"])
		}
	}
	ready := env.events(a.ID)[1]
	var data map[string]any
	json.Unmarshal(ready.Data, &data)
	if ready.Type != "video.asset.ready" || data["status"] != "ready" || data["master_sha256"] != a.MasterSHA256 {
		t.Errorf("%s event data %v: want the ready asset as it was", ready.Type, data)
	}
}

func TestUpdate(t *testing.T) {
	env := openEnv(t, t.TempDir())
	a := env.create(CreateParams{Input: "/videos/a.mp4"})
	long := strings.Repeat("x", 513)
	if _, err := env.svc.Update(env.ctx(), a.ID, UpdateParams{Meta: &Meta{Title: long}}); !isValidation(err, "meta.title") {
		t.Errorf("title of 513 chars: %v, want a ValidationError on meta.title", err)
	}
	tooLongPass := strings.Repeat("p", 256)
	if _, err := env.svc.Update(env.ctx(), a.ID, UpdateParams{Passthrough: &tooLongPass}); !isValidation(err, "passthrough") {
		t.Errorf("passthrough of 256 chars: %v, want a ValidationError on passthrough", err)
	}
	// Limits count characters, not bytes.
	title := strings.Repeat("é", 512)
	pass := "ref-42"
	got, err := env.svc.Update(env.ctx(), a.ID, UpdateParams{Meta: &Meta{Title: title, ExternalID: "ext"}, Passthrough: &pass})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	a = env.get(a.ID)
	if a.Meta.Title != title || a.Meta.ExternalID != "ext" || a.Passthrough != pass || got.Meta != a.Meta {
		t.Errorf("after update: meta %+v passthrough %q", a.Meta, a.Passthrough)
	}
	if got := a.Title(); got != title {
		t.Errorf("title %q, want meta.title", got)
	}
	if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.updated" || len(types) != 2 {
		t.Errorf("events %v, want created then one updated (refused updates send none)", types)
	}
	if _, err := env.svc.Update(env.ctx(), "nosuch", UpdateParams{Passthrough: &pass}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of an unknown id: %v", err)
	}
}

func TestDeleteRemovesFiles(t *testing.T) {
	env := newEnv(t)
	input := copyFile(t, smallClip(t), "keep.mp4")
	a := env.create(CreateParams{Input: input, AssetSettings: AssetSettings{MasterAccess: AccessTemporary}})
	a = env.waitFor(a.ID, "ready with a thumbnail", time.Minute, func(a Asset) bool {
		return a.MasterStatus == MasterReady && a.ThumbnailFile != ""
	})
	master, thumb := filepath.Join(env.dataDir, a.MasterFile), filepath.Join(env.dataDir, a.ThumbnailFile)
	for _, f := range []string{master, thumb} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("before delete: %v", err)
		}
	}
	if err := env.svc.Delete(env.ctx(), a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, f := range []string{master, thumb} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after delete (%v)", filepath.Base(f), err)
		}
	}
	if _, err := os.Stat(input); err != nil {
		t.Errorf("the input file was touched by delete: %v", err)
	}
	if _, err := env.svc.Get(env.ctx(), a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if _, err := env.svc.ResolveMaster(env.ctx(), a.ID, a.LinkGeneration); err == nil {
		t.Errorf("the link still resolves after delete")
	}
	types := env.eventTypes(a.ID)
	if got := types[len(types)-2:]; !reflect.DeepEqual(got, []string{"video.asset.master.deleted", "video.asset.deleted"}) {
		t.Errorf("events %v, want master.deleted then deleted last", types)
	}
	if err := env.svc.Delete(env.ctx(), a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}

// Deleting an asset whose master is being transcoded stops ffmpeg and
// leaves no file behind, and the build job does not come back.
func TestDeleteDuringTranscode(t *testing.T) {
	input := slowClip(t)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input, AssetSettings: AssetSettings{VideoQuality: "premium"}})
	part := filepath.Join(env.dataDir, "masters", a.ID+".mp4.part")
	// ffmpeg's -progress reaches the asset while it works.
	env.waitFor(a.ID, "transcoding with progress", 30*time.Second, func(a Asset) bool {
		st, err := os.Stat(part)
		return a.ProgressState == ProgressTranscoding && a.Progress > 0 && a.Progress < 100 && err == nil && st.Size() > 0
	})
	if pids := processesMentioning(t, a.ID); len(pids) == 0 {
		t.Fatalf("no ffmpeg found working on %s", a.ID)
	}
	if err := env.svc.Delete(env.ctx(), a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	var pids, left []string
	var jobs int
	if !testtime.Poll(5*time.Second, func() bool {
		pids = processesMentioning(t, a.ID)
		left = dirNames(t, filepath.Join(env.dataDir, "masters"))
		env.db.QueryRowContext(context.Background(), `SELECT count(*) FROM jobs`).Scan(&jobs)
		return len(pids) == 0 && len(left) == 0 && jobs == 0
	}) {
		t.Fatalf("5 s after delete: ffmpeg pids %v, masters/ %v, %d jobs left", pids, left, jobs)
	}
	if types := env.eventTypes(a.ID); types[len(types)-1] != "video.asset.deleted" || indexOf(types, "video.asset.errored") >= 0 {
		t.Errorf("events %v: want deleted last and no errored", types)
	}
}

// processesMentioning lists the processes whose command line names s.
func processesMentioning(t *testing.T, s string) []string {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			out = append(out, filepath.Base(filepath.Dir(p)))
		}
	}
	return out
}

// Recover removes what a crash left half-written or orphaned and keeps every
// recorded master.
func newEnvAt(t *testing.T, dataDir string) *testEnv {
	env := openEnv(t, dataDir)
	env.start()
	return env
}

// A build interrupted mid-transcode (the process stops; a half-written
// .part is left as a kill would leave it) resumes at the next start and
// ends with a whole master, never the half file.
func TestBuildResumesAfterRestart(t *testing.T) {
	input := slowClip(t)
	dataDir := t.TempDir()
	first := newEnvAt(t, dataDir)
	a := first.create(CreateParams{Input: input, AssetSettings: AssetSettings{VideoQuality: "basic", MasterAccess: AccessTemporary}})
	part := filepath.Join(dataDir, "masters", a.ID+".mp4.part")
	first.waitFor(a.ID, "transcoding", 30*time.Second, func(Asset) bool {
		st, err := os.Stat(part)
		return err == nil && st.Size() > 0
	})
	first.stop()
	first.db.Close()
	if err := os.WriteFile(part, []byte("half a master"), 0o644); err != nil {
		t.Fatal(err)
	}

	env := openEnv(t, dataDir)
	if a := env.get(a.ID); a.Status != StatusPreparing {
		t.Fatalf("after the interruption the asset is %s", a.Status)
	}
	if err := env.svc.Recover(env.ctx()); err != nil {
		t.Fatal(err)
	}
	if err := env.queue.Recover(env.ctx()); err != nil {
		t.Fatal(err)
	}
	env.start()
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	a = env.waitMaster(a.ID, MasterReady)
	master := filepath.Join(dataDir, a.MasterFile)
	size, sum := fileSHA256(t, master)
	if size != a.MasterSize || sum != a.MasterSHA256 {
		t.Errorf("master on disk %d bytes %s, recorded %d %s", size, sum, a.MasterSize, a.MasterSHA256)
	}
	info := mustProbe(t, master)
	if info.Video == nil || info.Video.Width != 1280 || info.Duration < 7.9 {
		t.Errorf("master after restart: video %+v, %.2f s: want the whole 8 s at 720p", info.Video, info.Duration)
	}
	if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".part left after the resumed build: %v", err)
	}
	types := env.eventTypes(a.ID)
	if n := strings.Count(strings.Join(types, " "), "video.asset.ready"); n != 1 {
		t.Errorf("events %v: want exactly one video.asset.ready", types)
	}
}
