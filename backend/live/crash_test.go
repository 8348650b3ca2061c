package live

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/quarantine"
)

// A part whose last fragment was torn (the app killed mid-write, a power
// cut) is cut back to its last whole fragment, and then reads cleanly.
func TestTornFragmentIsCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(4))
	live := e.waitRecording(st.ID)
	p.wait(t, 30*time.Second)
	e.waitStream(st.ID, "idle", 15*time.Second, func(s Stream) bool { return s.Status == StatusIdle })
	e.waitAssetDone(live.ActiveAssetID, 60*time.Second)

	whole, err := os.ReadFile(e.live.partPath(st.ID, live.ActiveAssetID, 1))
	if err != nil {
		t.Fatal(err)
	}
	complete := t.TempDir() + "/complete.mp4"
	os.WriteFile(complete, whole, 0o644)
	full, err := repairPart(complete)
	if err != nil || full.Cut != 0 || full.Size != int64(len(whole)) {
		t.Fatalf("an intact part was changed: %+v, %v", full, err)
	}

	torn := t.TempDir() + "/torn.mp4"
	os.WriteFile(torn, whole[:len(whole)-1000], 0o644)
	got, err := repairPart(torn)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cut == 0 || got.Fragments != full.Fragments-1 {
		t.Errorf("torn part: %+v; want the last of %d fragments cut", got, full.Fragments)
	}
	if msg := decodeErrors(t, torn); msg != "" {
		t.Errorf("repaired part does not decode cleanly: %s", msg)
	}
	if d := probe(t, torn, true).duration(); d < 1 {
		t.Errorf("repaired part holds %.2f s", d)
	}
}

// The app stopped while an encoder was pushing: the next start finishes
// the recording from its parts, without waiting for an encoder that cannot
// come back to this process. (The SIGKILL case is live_e2e_test.go.)
func TestRecordingFinishedAtNextStart(t *testing.T) {
	t.Parallel()
	testmedia.RequireFFmpeg(t)
	dir := t.TempDir()
	first := openEnv(t, dir)
	first.start()
	st := first.createStream(60, nil)
	p := push(t, first.publishURL(st.StreamKey), videoPush(0))
	live := first.waitStream(st.ID, "recording", 15*time.Second, func(s Stream) bool { return s.ActiveAssetID != "" })
	first.waitFragments(first.live.partPath(st.ID, live.ActiveAssetID, 1), 3, 30*time.Second)
	first.stop()
	p.kill()

	second := openEnv(t, dir)
	second.start()
	a := second.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady || a.Duration < 3 {
		t.Fatalf("after restart: asset %s %s, %.2f s", a.Status, a.ErrorMessage, a.Duration)
	}
	if s := second.stream(st.ID); s.Status != StatusIdle || s.Connected || s.ActiveAssetID != "" {
		t.Errorf("after restart: status %q connected %v asset %q", s.Status, s.Connected, s.ActiveAssetID)
	}
}

// Recordings whose master is built, or whose asset was deleted, are swept
// from the live folder (the master holds the same bits). Errored assets
// keep theirs: see TestNothingRecordedIsErrored. A recording of an asset the
// database never heard of (a restored, older database) is quarantined.
func TestSweepRemovesRecordingsOfBuiltMasters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(3))
	live := e.waitRecording(st.ID)
	p.wait(t, 30*time.Second)
	a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s", a.Status)
	}
	part := e.live.partPath(st.ID, live.ActiveAssetID, 1)
	// The same recording's bytes under the name of an asset the user deleted.
	ctx := context.Background()
	other, err := e.archive.Create(ctx, archive.CreateParams{Input: part})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.archive.Delete(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	deletedPart := e.live.partPath(st.ID, other.ID, 1)
	copyBytes(t, part, deletedPart)
	unknown := e.live.partPath(st.ID, "unknownasset", 1)
	copyBytes(t, part, unknown)
	e.live.sweepRecordings(context.Background())
	for _, f := range []string{part, deletedPart, unknown} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s still there after the sweep (%v)", f, err)
		}
	}
	items, err := quarantine.List(e.dataDir)
	if err != nil || len(items) != 1 || items[0].Name != filepath.Base(unknown) {
		t.Fatalf("quarantine holds %+v (%v), want only the unknown asset's recording", items, err)
	}
}

func copyBytes(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// max_continuous_duration ends a recording that runs too long: the encoder
// is dropped and the recording becomes an asset.
func TestMaxContinuousDurationEndsRecording(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(60, nil)
	// The API allows 60 s at least; the test shortens it in the database.
	if _, err := e.db.ExecContext(context.Background(), `UPDATE live_streams SET max_continuous_duration = 3 WHERE id = ?`, st.ID); err != nil {
		t.Fatal(err)
	}
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	if err := p.wait(t, 20*time.Second); err == nil {
		t.Errorf("the encoder was not dropped")
	}
	a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s %s", a.Status, a.ErrorMessage)
	}
	if s := e.stream(st.ID); s.Status != StatusIdle || s.ActiveAssetID != "" {
		t.Errorf("stream %q asset %q, want idle without waiting for the reconnect window", s.Status, s.ActiveAssetID)
	}
}
