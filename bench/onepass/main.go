// Command onepass measures the one-pass remux (backend/media/faststart) against the
// tools it replaces, in one run on the same files (make bench):
//   - the time to make a faststart master, fsynced and hashed, from a 152 MB and a
//     1 GB H.264/AAC MP4 whose index is at the end (as cameras write), against
//     `ffmpeg -c copy -movflags +faststart` (with and without an fsync after it) and
//     against `cp` + fsync of the same file;
//   - the bytes each one reads and writes (/proc/PID/io: rchar/wchar are what the
//     process asked the kernel for; the page cache may serve or absorb them);
//   - the peak memory of the one-pass copy;
//   - create -> master ready of the 1 GB file through `reelvault serve` (-bin), with
//     serve's CPU, bytes and peak memory.
//
// Inputs stay in the page cache between runs (every contender reads them warm); each
// measurement starts after a sync, so none pays for the writeback of another.
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"reelvault/backend/media/faststart"
	"reelvault/bench/kit"
)

func main() {
	b := kit.Setup("repetitions of each timing; the median is reported")
	big := indexAtEnd1GB(b)
	for _, in := range []string{b.Input, big} {
		measure(&b, in)
	}
	measureFaststart(&b, kit.InputFaststart(b.Work))
	b.Summary()
}

// indexAtEnd1GB loops the shared clip to about 1 GB, index at the end, once.
func indexAtEnd1GB(b kit.Bench) string {
	out := filepath.Join(b.Work, "input-1GB-index-at-end.mp4")
	if _, err := os.Stat(out); err != nil {
		log.Println("looping the clip to a ~1 GB file with its index at the end (once)...")
		kit.FFmpeg(10*time.Minute, "-stream_loop", "6", "-i", b.Input, "-c", "copy", out+".tmp.mp4")
		kit.Must(os.Rename(out+".tmp.mp4", out))
	}
	return out
}

// measureFaststart: a file whose index is already first is copied (or reflinked where
// the filesystem can) with its hash computed on the way, against cp + fsync.
func measureFaststart(b *kit.Bench, in string) {
	st, err := os.Stat(in)
	kit.Must(err)
	out := filepath.Join(b.Work, "onepass-out.mp4")
	var cp, ours []time.Duration
	var res faststart.Result
	for i := 0; i < b.Runs; i++ {
		os.Remove(out)
		settle()
		cp = append(cp, kit.Timed(func() { kit.Run(5*time.Minute, "cp", in, out); kit.SyncFile(out) }))
		os.Remove(out)
		settle()
		ours = append(ours, kit.Timed(func() {
			res, err = faststart.Write(context.Background(), in, out)
			kit.Must(err)
		}))
	}
	os.Remove(out)
	mc, mo := kit.Median(cp), kit.Median(ours)
	b.Say("%.0f MB already faststart (median of %d): cp+fsync %v, one-pass copy (fsynced, hashed, reflink: %v) %v",
		kit.MB(st.Size()), b.Runs, mc.Round(time.Millisecond), res.Cloned, mo.Round(time.Millisecond))
	b.Say("* one-pass, input already faststart: %.2fx cp+fsync (target <= 1.5x)", mo.Seconds()/mc.Seconds())
}

// settle flushes every dirty page so that no measurement pays for another's writeback.
func settle() { kit.Run(5*time.Minute, "sync") }

func measure(b *kit.Bench, in string) {
	st, err := os.Stat(in)
	kit.Must(err)
	size := st.Size()
	idx, err := faststart.Inspect(in)
	kit.Must(err)
	if idx.Faststart {
		log.Fatalf("%s already has its index at the front", in)
	}
	out := filepath.Join(b.Work, "onepass-out.mp4")
	name := fmt.Sprintf("%.0f MB", kit.MB(size))
	var cp, ff, ffSync, ours []time.Duration
	var cpIO, ffIO, hashIO, oursIO kit.IOCount
	var res faststart.Result
	for i := 0; i < b.Runs; i++ {
		os.Remove(out)
		settle()
		cp = append(cp, kit.Timed(func() { cpIO = kit.RunCounted(10*time.Minute, "cp", in, out); kit.SyncFile(out) }))
		os.Remove(out)
		settle()
		ffArgs := []string{"-v", "error", "-y", "-i", in, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out}
		ff = append(ff, kit.Timed(func() { ffIO = kit.RunCounted(10*time.Minute, "ffmpeg", ffArgs...) }))
		hashIO = goHash(out) // the app's own pass after ffmpeg, for the CPU line
		os.Remove(out)
		settle()
		ffSync = append(ffSync, kit.Timed(func() { kit.RunCounted(10*time.Minute, "ffmpeg", ffArgs...); kit.SyncFile(out) }))
		os.Remove(out)
		settle()
		before := kit.ReadIO(os.Getpid())
		before.CPU = kit.SelfCPU()
		ours = append(ours, kit.Timed(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			res, err = faststart.Write(ctx, in, out)
			kit.Must(err)
		}))
		after := kit.ReadIO(os.Getpid())
		after.CPU = kit.SelfCPU()
		oursIO = after.Sub(before)
	}
	if got := fileSHA256(out); got != res.SHA256 {
		log.Fatalf("the recorded hash %s is not the file's %s", res.SHA256, got)
	}
	os.Remove(out)
	mc, mf, mfs, mo := kit.Median(cp), kit.Median(ff), kit.Median(ffSync), kit.Median(ours)
	r := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	b.Say("%s, index at the end (median of %d): cp+fsync %s, ffmpeg remux+faststart %s (+fsync %s), one-pass (fsynced, hashed) %s",
		name, b.Runs, r(mc), r(mf), r(mfs), r(mo))
	per := func(c kit.IOCount) string {
		return fmt.Sprintf("read %.2fx written %.2fx", float64(c.RChar)/float64(size), float64(c.WChar)/float64(size))
	}
	b.Say("  bytes per file size (rchar/wchar): cp %s; ffmpeg %s; one-pass %s (write_bytes %.2fx)",
		per(cpIO), per(ffIO), per(oursIO), float64(oursIO.WriteBytes)/float64(size))
	// CPU time is what a loaded machine cannot blur: the work each one does.
	b.Say("* CPU time (user+system, last run) %s: cp %v, ffmpeg %v, ffmpeg + SHA-256 of its output %v, one-pass %v (SHA-256 included) = %.2fx ffmpeg + SHA-256",
		name, cpIO.CPU.Round(time.Millisecond), ffIO.CPU.Round(time.Millisecond), (ffIO.CPU + hashIO.CPU).Round(time.Millisecond),
		oursIO.CPU.Round(time.Millisecond), oursIO.CPU.Seconds()/(ffIO.CPU+hashIO.CPU).Seconds())
	b.Say("* one-pass %s: %.2fx ffmpeg remux+faststart (target <= %s), %.2fx ffmpeg+fsync, %.2fx cp+fsync; reads %.2fx, writes %.2fx the file (target <= 1.05x)",
		name, mo.Seconds()/mf.Seconds(), map[bool]string{true: "0.7x", false: "1.0x"}[size > 500e6], mo.Seconds()/mfs.Seconds(), mo.Seconds()/mc.Seconds(),
		float64(oursIO.RChar)/float64(size), float64(oursIO.WChar)/float64(size))
	b.Say("  peak RSS of the benchmark process so far: %d MB (target < 100 MB)", vmHWM("self")/1024)
	if size > 500e6 {
		measureApp(b, in, mf)
	}
}

// measureApp times create -> master ready of in through `reelvault serve` (ffprobe beside
// the copy, the database, the rename), against the ffmpeg median of the same run, with
// serve's CPU, bytes and peak memory.
func measureApp(b *kit.Bench, in string, ffmpeg time.Duration) {
	st, err := os.Stat(in)
	kit.Must(err)
	srv := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-onepass"))
	defer srv.Stop()
	var times []time.Duration
	var used kit.IOCount
	for i := 0; i < b.Runs; i++ {
		settle()
		before := kit.ReadIO(srv.Pid())
		a, took := srv.Ingest(in)
		used = kit.ReadIO(srv.Pid()).Sub(before)
		times = append(times, took)
		if a.MasterSize <= 0 {
			log.Fatalf("asset %s has no master size", a.ID)
		}
		srv.WaitThumbnail(a.ID) // not measured: it must not share the cores with the next run
		srv.Call("DELETE", "/video/v1/assets/"+a.ID, nil, nil)
	}
	m := kit.Median(times)
	b.Say("* create -> ready through serve, %.0f MB index at the end (median of %d): %v = %.2fx ffmpeg remux+faststart (target <= 0.7x); serve (ffprobe included, last run): CPU %v, read %.2fx, written %.2fx the file; peak RSS of serve %d MB (target < 100 MB)",
		kit.MB(st.Size()), b.Runs, m.Round(time.Millisecond), m.Seconds()/ffmpeg.Seconds(), used.CPU.Round(time.Millisecond),
		float64(used.RChar)/float64(st.Size()), float64(used.WChar)/float64(st.Size()), vmHWM(strconv.Itoa(srv.Pid()))/1024)
	b.Say("  runs: %v", times)
}

// goHash hashes path as the app did after ffmpeg (Go's SHA-256, 1 MiB reads) and returns
// the CPU time it took.
func goHash(path string) kit.IOCount {
	before := kit.SelfCPU()
	f, err := os.Open(path)
	kit.Must(err)
	defer f.Close()
	_, err = io.CopyBuffer(sha256.New(), f, make([]byte, 1<<20))
	kit.Must(err)
	return kit.IOCount{CPU: kit.SelfCPU() - before}
}

func fileSHA256(path string) string {
	out, err := kit.Command(5*time.Minute, "sha256sum", path).Cmd.Output()
	kit.Must(err)
	return strings.Fields(string(out))[0]
}

// vmHWM is the peak resident memory of process pid ("self": this one), in kB.
func vmHWM(pid string) int64 {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	kit.Must(err)
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
