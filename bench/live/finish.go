package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// benchFinish times disconnect -> master ready (fast pushes, and one real
// time push that also measures the app's CPU), then the plain-ffmpeg
// baseline on the same recording.
func (b *bench) benchFinish(realtime bool) {
	srv := b.startServer(filepath.Join(b.work, "data-live"))
	defer srv.stop()
	var st streamView
	srv.call("POST", "/video/v1/live-streams", map[string]any{"reconnect_window": 0,
		"new_asset_settings": map[string]any{"master_access": "temporary"}}, &st)
	url := srv.rtmp + "/" + st.Data.StreamKey
	recording := filepath.Join(b.work, "live-recording.mp4")
	defer os.Remove(recording)

	if realtime {
		idle0 := cpuTime(srv.cmd.Process.Pid)
		time.Sleep(5 * time.Second)
		idle := cpuTime(srv.cmd.Process.Pid) - idle0
		b.say("serve idle: %.2f%% of one core", pct(idle, 5*time.Second))

		c0, w0 := cpuTime(srv.cmd.Process.Pid), time.Now()
		p := startPush(b.input, url, true)
		asset := srv.waitRecording(st.Data.ID)
		linkRecording(srv, st.Data.ID, asset, recording)
		must(p.Wait())
		disconnected := time.Now()
		used, wall := cpuTime(srv.cmd.Process.Pid)-c0, time.Since(w0)
		a := srv.waitMasterReady(asset)
		took := time.Since(disconnected)
		pushCPU := p.ProcessState.UserTime() + p.ProcessState.SystemTime()
		b.say("* live CPU while recording one 1080p 20 Mb/s stream in real time: serve %.1f%% of one core (%v over %v); the encoder (ffmpeg -c copy) used %.1f%%",
			pct(used, wall), used.Round(10*time.Millisecond), wall.Round(100*time.Millisecond), pct(pushCPU, wall))
		b.say("real-time push: disconnect -> master ready %v (%.1f s recorded, master %s, %.1f MB)",
			took.Round(time.Millisecond), a.Data.Duration, a.Data.MasterMode, mb(a.Data.MasterSize))
	}

	var times []time.Duration
	for i := 0; i < b.runs; i++ {
		p := startPush(b.input, url, false)
		asset := srv.waitRecording(st.Data.ID)
		linkRecording(srv, st.Data.ID, asset, recording)
		must(p.Wait())
		disconnected := time.Now()
		a := srv.waitMasterReady(asset)
		times = append(times, time.Since(disconnected))
		if a.Data.Duration < 59 {
			log.Fatalf("the recording holds %.1f s, want 60", a.Data.Duration)
		}
	}

	var plain, synced []time.Duration
	out := filepath.Join(b.work, "live-baseline.mp4")
	for i := 0; i < b.runs; i++ {
		os.Remove(out)
		plain = append(plain, timed(func() { ffmpeg(5*time.Minute, "-i", recording, "-c", "copy", "-movflags", "+faststart", out) }))
		os.Remove(out)
		synced = append(synced, timed(func() {
			ffmpeg(5*time.Minute, "-i", recording, "-c", "copy", "-movflags", "+faststart", out)
			syncFile(out)
		}))
	}
	os.Remove(out)
	m, base, baseSync := median(times), median(plain), median(synced)
	b.say("* live finish (median of %d, 60 s 1080p recording): disconnect -> master ready %v; ffmpeg -c copy +faststart of the same recording %v, + fsync %v (%.1fx the plain remux, %.1fx with fsync)",
		b.runs, m.Round(time.Millisecond), base.Round(time.Millisecond), baseSync.Round(time.Millisecond),
		float64(m)/float64(base), float64(m)/float64(baseSync))
	b.say("  runs: %v", times)
}

// benchFFmpegReceiver measures ffmpeg's own RTMP listener recording the same
// stream to fragmented MP4 (-c copy): the CPU baseline.
func (b *bench) benchFFmpegReceiver() {
	port := freePort()
	out := filepath.Join(b.work, "live-ffmpeg-receiver.mp4")
	defer os.Remove(out)
	rx := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "flv", "-listen", "1",
		"-i", "rtmp://127.0.0.1:"+port+"/app/key", "-c", "copy", "-f", "mp4",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", out)
	var rxErr strings.Builder // it reports the encoder leaving as an I/O error
	rx.Stderr = &rxErr
	must(rx.Start())
	waitPort(port)
	start := time.Now()
	p := startPush(b.input, "rtmp://127.0.0.1:"+port+"/app/key", true)
	must(p.Wait())
	if err := rx.Wait(); err != nil {
		log.Fatalf("ffmpeg -listen: %v: %s", err, rxErr.String())
	}
	wall := time.Since(start)
	used := rx.ProcessState.UserTime() + rx.ProcessState.SystemTime()
	b.say("* baseline: ffmpeg -listen recording the same stream (-c copy, fragmented MP4): %.1f%% of one core (%v over %v)",
		pct(used, wall), used.Round(10*time.Millisecond), wall.Round(100*time.Millisecond))
}

// startPush sends the clip to url with -c copy, in real time or as fast as
// the server takes it.
func startPush(input, url string, realtime bool) *exec.Cmd {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	if realtime {
		args = append(args, "-re")
	}
	args = append(args, "-i", input, "-c", "copy", "-f", "flv", url)
	cmd := exec.Command("ffmpeg", args...)
	cmd.Stderr = os.Stderr
	must(cmd.Start())
	return cmd
}

// linkRecording hard-links the app's recording part so the baseline can
// remux the very same file after the app has swept it away.
func linkRecording(srv *server, streamID, assetID, to string) {
	part := filepath.Join(srv.dataDir, "live", streamID, assetID+"-part1.mp4")
	os.Remove(to)
	deadline := time.Now().Add(5 * time.Second)
	for os.Link(part, to) != nil {
		if time.Now().After(deadline) {
			log.Fatalf("recording %s did not appear", part)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// waitPort waits until something listens on the loopback port (read from
// /proc/net/tcp: dialing would use up ffmpeg's one -listen connection).
func waitPort(port string) {
	n, _ := strconv.Atoi(port)
	want := fmt.Sprintf(":%04X ", n)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile("/proc/net/tcp")
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) > 3 && strings.HasSuffix(f[1]+" ", want) && f[3] == "0A" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Fatal("ffmpeg -listen did not start listening")
}

func pct(used, wall time.Duration) float64 { return 100 * float64(used) / float64(wall) }

func ffmpeg(timeout time.Duration, args ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", append([]string{"-v", "error", "-y"}, args...)...)
	cmd.Stderr = os.Stderr
	must(cmd.Run())
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func syncFile(path string) {
	f, err := os.Open(path)
	must(err)
	must(f.Sync())
	f.Close()
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("not a number: %q", s))
	}
	return n
}
