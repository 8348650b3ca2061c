package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressIsMonotonicAndReaches100(t *testing.T) {
	requireFFmpeg(t)
	// MPEG-2 forces a transcode, long enough to report more than once.
	in := makeClip(t, "tape.mpg", join(lavfiVideo("640x360", "25", "8"), []string{"-c:v", "mpeg2video", "-q:v", "4"})...)
	info := mustProbe(t, in)
	plan, err := PlanMaster(info, Tier1080p, QualityBasic)
	if err != nil || plan.Mode != ModeTranscode {
		t.Fatalf("plan %+v, %v: want a transcode", plan, err)
	}
	var mu sync.Mutex
	var got []float64
	var reports []Progress
	var at []time.Time
	started := time.Now()
	err = BuildMaster(testContext(t), in, filepath.Join(t.TempDir(), "m.mp4.part"), info, plan, func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		got, reports, at = append(got, p.Percent), append(reports, p), append(at, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[len(got)-1] != 100 {
		t.Fatalf("progress %v, want it to end at 100", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] || got[i] < 0 || got[i] > 100 {
			t.Errorf("progress %v is not increasing within 0..100", got)
		}
		// The final 100 is sent at once; running reports are throttled.
		if i < len(got)-1 && at[i].Sub(at[i-1]) < progressInterval-10*time.Millisecond {
			t.Errorf("reports %d and %d only %v apart, want throttling", i-1, i, at[i].Sub(at[i-1]))
		}
	}
	t.Logf("progress reports: %v", got)

	// The running reports carry ffmpeg's speed: positive, and what the media made over the
	// wall time says (ffmpeg counts from its own start, a little after ours, so it may be
	// higher, never lower).
	running := reports[:len(reports)-1]
	if len(running) == 0 {
		t.Fatal("no report while ffmpeg ran: the clip is too short to see its speed")
	}
	last, lastAt := running[len(running)-1], at[len(running)-1]
	made := last.Percent / 100 * info.Duration
	ours := made / lastAt.Sub(started).Seconds()
	if last.Speed <= 0 || last.Speed < ours*0.9 || last.Speed > ours*4 {
		t.Errorf("ffmpeg's speed %.2f× real time; %.2f s of media in %v says %.2f×", last.Speed, made, lastAt.Sub(started), ours)
	}
	if last.Bytes <= 0 {
		t.Errorf("the running report says %d bytes written", last.Bytes)
	}
	t.Logf("speed %.2f× real time (measured %.2f×), %d bytes written", last.Speed, ours, last.Bytes)
}

// A -progress block is reported once it ends, with ffmpeg's speed and size; a speed
// ffmpeg does not know yet ("N/A", or before half a second of media) or that is not
// believable is left out.
func TestProgressReaderReadsSpeed(t *testing.T) {
	var got []Progress
	p := newProgressReader(10, func(pr Progress) { got = append(got, pr) })
	p.Write([]byte("frame=1\ntotal_size=48\nout_time_us=N/A\nspeed=N/A\nprogress=continue\n"))
	p.Write([]byte("frame=2\ntotal_size=48\nout_time_us=40000\nspeed=0.000148x\nprogress=continue\n")) // the encoder's first frame
	p.lastSent = time.Time{}
	p.Write([]byte("total_size=101477\nout_time_us=4000000\nout_time_ms=4000000\nspe"))
	p.Write([]byte("ed=2.4x\nprogress=continue\n"))
	p.lastSent = time.Time{} // past the throttle
	p.Write([]byte("total_size=200000\nout_time_us=6000000\nspeed=inf\nprogress=continue\n"))
	want := []Progress{{Percent: 0.4, Bytes: 48}, {Percent: 40, Speed: 2.4, Bytes: 101477}, {Percent: 60, Bytes: 200000}}
	if !slices.Equal(got, want) {
		t.Errorf("reports %+v, want %+v", got, want)
	}
}

func TestCancelKillsFFmpegPromptly(t *testing.T) {
	requireFFmpeg(t)
	in := makeClip(t, "long.mpg", join(lavfiVideo("640x360", "25", "30"), []string{"-c:v", "mpeg2video", "-q:v", "6"})...)
	info := mustProbe(t, in)
	plan, err := PlanMaster(info, Tier1080p, QualityPremium)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "cancelled.mp4.part")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- BuildMaster(ctx, in, out, info, plan, func(Progress) { once.Do(func() { close(started) }) })
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("build finished before it could be cancelled: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("no progress within a minute")
	}
	if !ffmpegRunningFor(out) {
		t.Fatal("cannot see the ffmpeg process writing the master; the kill check would prove nothing")
	}
	cancelled := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("BuildMaster after cancel = %v, want an error wrapping context.Canceled", err)
		}
		t.Logf("returned %v after cancel", time.Since(cancelled).Round(time.Millisecond))
	case <-time.After(3 * time.Second):
		t.Fatal("BuildMaster still running 3 s after cancel")
	}
	if ffmpegRunningFor(out) {
		t.Error("an ffmpeg process writing the master is still alive after cancel")
	}
}

// ffmpegRunningFor reports whether a live process has output in its command line.
func ffmpegRunningFor(output string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), output) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(filepath.Dir(p), "stat"))
		// A zombie (state Z) has exited; only its parent has not reaped it yet.
		if err == nil && !strings.Contains(string(stat), ") Z ") {
			return true
		}
	}
	return false
}

func TestOwnTimeoutStopsTheToolWithTimeoutError(t *testing.T) {
	requireFFmpeg(t)
	started := time.Now()
	// An endless synthetic source: only the timeout can end it.
	res := run(context.Background(), toolRun{bin: FFmpegPath, timeout: 300 * time.Millisecond,
		args: []string{"-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2", "-f", "null", "-"}})
	if elapsed := time.Since(started); elapsed > 3*time.Second {
		t.Errorf("run took %v with a 300ms timeout", elapsed)
	}
	err := res.failure("ffmpeg", 300*time.Millisecond, func(string) *Error { return &Error{Kind: KindFFmpegFailed} })
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindTimeout {
		t.Fatalf("failure = %v, want a %s *Error", err, KindTimeout)
	}
}

func TestBuildTimeoutGrowsWithDuration(t *testing.T) {
	if got := buildTimeout(0); got != 10*time.Minute {
		t.Errorf("buildTimeout(0) = %v", got)
	}
	if got := buildTimeout(3600); got != 10*time.Minute+20*time.Hour {
		t.Errorf("buildTimeout(1h) = %v, want 10m + 20h", got)
	}
}

func TestBuildMasterRefusesAnEmptyPlan(t *testing.T) {
	err := BuildMaster(context.Background(), "in.mp4", "out.mp4", &Info{}, Plan{}, nil)
	var me *Error
	if !errors.As(err, &me) || me.Kind != KindUnsupported {
		t.Fatalf("BuildMaster(zero plan) = %v", err)
	}
}
