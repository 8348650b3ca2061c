package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"reelvault/bench/kit"
)

// The pushes and ffmpeg's own listener last a 60 s clip in real time at most.
const pushTimeout, receiverTimeout = 10 * time.Minute, 10 * time.Minute

// benchFinish times disconnect -> master ready (fast pushes, and one real
// time push that also measures the app's CPU), then the plain-ffmpeg
// baseline on the same recording.
func (b *bench) benchFinish(realtime bool) {
	srv := kit.StartServer(b.Bin, filepath.Join(b.Work, "data-live"))
	defer srv.Stop()
	if srv.RTMPURL == "" {
		log.Fatal("serve did not print its RTMP address")
	}
	var st streamView
	srv.Call("POST", "/video/v1/live-streams", map[string]any{"reconnect_window": 0,
		"new_asset_settings": map[string]any{"master_access": "temporary"}}, &st)
	url := srv.RTMPURL + "/" + st.Data.StreamKey
	recording := filepath.Join(b.Work, "live-recording.mp4")
	defer os.Remove(recording)

	if realtime {
		idle0 := cpuTime(srv.Pid())
		time.Sleep(5 * time.Second)
		idle := cpuTime(srv.Pid()) - idle0
		b.Say("serve idle: %.2f%% of one core", pct(idle, 5*time.Second))

		c0, w0 := cpuTime(srv.Pid()), time.Now()
		p := startPush(b.Input, url, true)
		asset := waitRecording(srv, st.Data.ID)
		linkRecording(srv, st.Data.ID, asset, recording)
		kit.Must(p.Wait())
		disconnected := time.Now()
		used, wall := cpuTime(srv.Pid())-c0, time.Since(w0)
		a := srv.WaitMasterReady(asset)
		took := time.Since(disconnected)
		pushCPU := p.Cmd.ProcessState.UserTime() + p.Cmd.ProcessState.SystemTime()
		b.Say("* live CPU while recording one 1080p 20 Mb/s stream in real time: serve %.1f%% of one core (%v over %v); the encoder (ffmpeg -c copy) used %.1f%%",
			pct(used, wall), used.Round(10*time.Millisecond), wall.Round(100*time.Millisecond), pct(pushCPU, wall))
		b.Say("real-time push: disconnect -> master ready %v (%.1f s recorded, master %s, %.1f MB)",
			took.Round(time.Millisecond), a.Duration, a.MasterMode, kit.MB(a.MasterSize))
	}

	var times []time.Duration
	var finishIO kit.IOCount // of serve and its children (ffprobe), disconnect -> ready, last run
	for i := 0; i < b.Runs; i++ {
		p := startPush(b.Input, url, false)
		asset := waitRecording(srv, st.Data.ID)
		linkRecording(srv, st.Data.ID, asset, recording)
		kit.Must(p.Wait())
		disconnected, before := time.Now(), kit.ReadIO(srv.Pid())
		a := srv.WaitMasterReady(asset)
		times = append(times, time.Since(disconnected))
		finishIO = kit.ReadIO(srv.Pid()).Sub(before)
		if a.Duration < 59 {
			log.Fatalf("the recording holds %.1f s, want 60", a.Duration)
		}
		srv.WaitThumbnail(asset) // not measured: it must not share the cores with the next run
	}

	var plain, synced []time.Duration
	var plainIO kit.IOCount
	out := filepath.Join(b.Work, "live-baseline.mp4")
	for i := 0; i < b.Runs; i++ {
		os.Remove(out)
		plain = append(plain, kit.Timed(func() {
			plainIO = kit.RunCounted(5*time.Minute, "ffmpeg", "-v", "error", "-y", "-i", recording, "-c", "copy", "-movflags", "+faststart", out)
		}))
		os.Remove(out)
		synced = append(synced, kit.Timed(func() {
			kit.FFmpeg(5*time.Minute, "-i", recording, "-c", "copy", "-movflags", "+faststart", out)
			kit.SyncFile(out)
		}))
	}
	os.Remove(out)
	m, base, baseSync := kit.Median(times), kit.Median(plain), kit.Median(synced)
	b.Say("* live finish (median of %d, 60 s 1080p recording): disconnect -> master ready %v; ffmpeg -c copy +faststart of the same recording %v, + fsync %v (%.1fx the plain remux, %.1fx with fsync)",
		b.Runs, m.Round(time.Millisecond), base.Round(time.Millisecond), baseSync.Round(time.Millisecond),
		float64(m)/float64(base), float64(m)/float64(baseSync))
	b.Say("  runs: %v", times)
	rec, err := os.Stat(recording)
	kit.Must(err)
	per := func(c kit.IOCount) string {
		return fmt.Sprintf("CPU %v, read %.2fx, written %.2fx the recording", c.CPU.Round(time.Millisecond),
			float64(c.RChar)/float64(rec.Size()), float64(c.WChar)/float64(rec.Size()))
	}
	b.Say("* live finish, last run: serve (ffprobe included) %s; the plain remux %s", per(finishIO), per(plainIO))
}

// benchFFmpegReceiver measures ffmpeg's own RTMP listener recording the same
// stream to fragmented MP4 (-c copy): the CPU baseline.
func (b *bench) benchFFmpegReceiver() {
	port := freePort()
	out := filepath.Join(b.Work, "live-ffmpeg-receiver.mp4")
	defer os.Remove(out)
	rx := kit.Command(receiverTimeout, "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "flv", "-listen", "1",
		"-i", "rtmp://127.0.0.1:"+port+"/app/key", "-c", "copy", "-f", "mp4",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", out)
	var rxErr strings.Builder // it reports the encoder leaving as an I/O error
	rx.Cmd.Stderr = &rxErr
	rx.Start()
	waitPort(port)
	start := time.Now()
	p := startPush(b.Input, "rtmp://127.0.0.1:"+port+"/app/key", true)
	kit.Must(p.Wait())
	if err := rx.Wait(); err != nil {
		log.Fatalf("ffmpeg -listen: %v: %s", err, rxErr.String())
	}
	wall := time.Since(start)
	used := rx.Cmd.ProcessState.UserTime() + rx.Cmd.ProcessState.SystemTime()
	b.Say("* baseline: ffmpeg -listen recording the same stream (-c copy, fragmented MP4): %.1f%% of one core (%v over %v)",
		pct(used, wall), used.Round(10*time.Millisecond), wall.Round(100*time.Millisecond))
}

// startPush sends the clip to url with -c copy, in real time or as fast as
// the server takes it.
func startPush(input, url string, realtime bool) *kit.Proc {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	if realtime {
		args = append(args, "-re")
	}
	args = append(args, "-i", input, "-c", "copy", "-f", "flv", url)
	return kit.Command(pushTimeout, "ffmpeg", args...).Start()
}

// linkRecording hard-links the app's recording part so the baseline can
// remux the very same file after the app has swept it away.
func linkRecording(srv *kit.Server, streamID, assetID, to string) {
	part := filepath.Join(srv.DataDir, "live", streamID, assetID+"-part1.mp4")
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
	kit.Must(err)
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
