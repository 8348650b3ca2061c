package archive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/media"
)

// A build takes the description started ahead for its input (ProbeAhead, as
// an upload's completion does) instead of running ffprobe again, but only for
// the file as it was described: a file that changed since is probed anew.
// ffprobe is taken away once the early probes are done, so a build that ran
// it again would wait for it instead of becoming ready.
func TestBuildUsesTheProbeStartedAhead(t *testing.T) {
	saved := media.FFprobePath
	t.Cleanup(func() { media.FFprobePath = saved }) // after the queue stops (cleanups run last first)
	e := openEnv(t, t.TempDir())
	small := smallClip(t) // 320x240, 1 s
	described := copyFile(t, small, "described.mp4")
	changed := copyFile(t, clip(t, "tiny.mp4", testmedia.Join(testmedia.LavfiVideo("160x120", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())...), "changed.mp4")

	e.svc.ProbeAhead(described)
	e.svc.ProbeAhead(changed)
	for _, ep := range e.svc.ahead.list {
		<-ep.done
		if ep.err != nil {
			t.Fatalf("probe ahead of %s: %v", ep.path, ep.err)
		}
	}
	// The second file is replaced after its description: another size.
	b, err := os.ReadFile(small)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(changed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	media.FFprobePath = filepath.Join(t.TempDir(), "no-such-ffprobe") // nothing runs it now: the queue has not started
	e.start()

	a := e.waitStatus(e.create(CreateParams{Input: described}).ID, StatusReady, time.Minute)
	if len(a.Tracks) == 0 || a.Tracks[0].MaxWidth != 320 || a.Duration < 0.9 || a.Duration > 1.1 {
		t.Errorf("asset from the early description: tracks %+v, duration %v; want 320 wide, 1 s", a.Tracks, a.Duration)
	}
	c := e.waitFor(e.create(CreateParams{Input: changed}).ID, "waiting for ffprobe", time.Minute,
		func(a Asset) bool { return a.Waiting != "" || a.Status != StatusPreparing })
	if c.Status != StatusPreparing || !strings.HasPrefix(c.Waiting, "Waiting for ffmpeg") {
		t.Errorf("the changed file's build: %s, waiting %q; want it to run ffprobe again (and wait for it)", c.Status, c.Waiting)
	}
	if len(e.svc.ahead.list) != 0 {
		t.Errorf("%d early descriptions left after their builds took them", len(e.svc.ahead.list))
	}
}
