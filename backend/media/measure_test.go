package media

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMeasureAgainstPlainFFmpeg prints, for each fidelity source, what each stream became
// and how long Reelvault took (probe + build, memory-bounded, with progress) against plain
// ffmpeg run with the very same arguments. It measures rather than checks, so it runs
// only on request: REELVAULT_MEASURE=1 go test -run TestMeasure -v ./backend/media/
func TestMeasureAgainstPlainFFmpeg(t *testing.T) {
	if os.Getenv("REELVAULT_MEASURE") == "" {
		t.Skip("set REELVAULT_MEASURE=1 to measure")
	}
	requireFFmpeg(t)
	const runs = 3
	var report strings.Builder
	fmt.Fprintf(&report, "| source | stream | master | probe | build | plain ffmpeg, same args |\n|---|---|---|---|---|---|\n")
	for _, src := range fidelitySources {
		in := src.make(t)
		var probes, builds, plain []time.Duration
		var plan Plan
		var info *Info
		out := filepath.Join(t.TempDir(), "m.mp4")
		for range runs {
			started := time.Now()
			var err error
			info, err = Probe(testContext(t), in)
			if err != nil {
				t.Fatal(err)
			}
			if plan, err = PlanMaster(info, Tier1080p, QualityBasic); err != nil {
				t.Fatal(err)
			}
			probes = append(probes, time.Since(started))
			started = time.Now()
			if err := BuildMaster(testContext(t), in, out, info, plan, func(Progress) {}); err != nil {
				t.Fatal(err)
			}
			builds = append(builds, time.Since(started))

			started = time.Now()
			if b, err := exec.Command(FFmpegPath, plan.Args(in, out)...).CombinedOutput(); err != nil {
				t.Fatalf("plain ffmpeg: %v\n%s", err, b)
			}
			plain = append(plain, time.Since(started))
		}
		master := mustProbe(t, out)
		rows := streamRows(info, plan, master)
		for i, r := range rows {
			name, times := "", ""
			if i == 0 {
				name, times = src.name, fmt.Sprintf("%v | %v | %v", median(probes), median(builds), median(plain))
			} else {
				times = " |  | "
			}
			fmt.Fprintf(&report, "| %s | %s | %s | %s |\n", name, r[0], r[1], times)
		}
	}
	t.Logf("medians of %d runs each:\n%s", runs, report.String())
}

// streamRows pairs each source stream with what the master holds for it.
func streamRows(info *Info, plan Plan, master *Info) [][2]string {
	var rows [][2]string
	n := 0
	byIndex := map[int]Stream{}
	for _, s := range info.Streams {
		byIndex[s.Index] = s
	}
	for _, sp := range plan.Streams {
		s := byIndex[sp.Index]
		to := sp.Action
		if sp.output() && n < len(master.Streams) {
			to = fmt.Sprintf("%s (%s)", describeStream(master.Streams[n]), sp.Action)
			n++
		}
		rows = append(rows, [2]string{describeStream(s), to})
	}
	return rows
}

func describeStream(s Stream) string {
	switch s.Type {
	case "video":
		d := fmt.Sprintf("%s %dx%d %s", s.Codec, s.Width, s.Height, s.PixFmt)
		if s.Interlaced() {
			d += " " + s.FieldOrder
		}
		if s.MasteringDisplay != nil {
			d += " HDR10"
		}
		return d
	case "audio":
		return fmt.Sprintf("%s %dch %d-bit %s", s.Codec, s.Channels, s.BitsPerSample, s.Language)
	case "data":
		return fmt.Sprintf("data %s %s", s.CodecTag, s.Timecode)
	}
	return fmt.Sprintf("%s %s %s", s.Type, s.Codec, s.Language)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}
