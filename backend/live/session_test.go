package live

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"

	"reelvault/backend/archive"
	"reelvault/backend/internal/diskspace"
)

// SIGKILL of the encoder: the server sees the connection drop, and what was
// recorded up to then becomes the asset.
func TestKilledEncoderKeepsWhatWasRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	e.waitFragments(e.live.partPath(st.ID, live.ActiveAssetID, 1), 3, 30*time.Second)
	p.kill()
	<-p.done
	sent := p.sent()

	a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s", a.Status, a.ErrorMessage)
	}
	// At most about a second (the fragment being gathered) is lost.
	if a.Duration < sent-2 || a.Duration > sent+0.5 {
		t.Errorf("encoder killed after sending %.1f s; asset holds %.2f s", sent, a.Duration)
	}
	if s := e.stream(st.ID); s.Status != StatusIdle || s.Connected {
		t.Errorf("after the kill: status %q connected %v", s.Status, s.Connected)
	}
}

// An encoder that stops sending without closing (frozen, or its network
// gone) is dropped after the read timeout; the server keeps serving.
func TestFrozenEncoderIsDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.ReadTimeout = 2 * time.Second })
	st := e.createStream(0, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	e.waitFragments(e.live.partPath(st.ID, live.ActiveAssetID, 1), 2, 30*time.Second)
	p.cmd.Process.Signal(syscall.SIGSTOP)
	defer p.cmd.Process.Signal(syscall.SIGCONT)

	e.waitStream(st.ID, "the frozen encoder dropped", 10*time.Second, func(s Stream) bool { return !s.Connected })
	if a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second); a.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s", a.Status, a.ErrorMessage)
	}
	// The same key works again at once: the frozen session let go of it.
	p2 := push(t, e.publishURL(st.StreamKey), videoPush(3))
	e.waitStream(st.ID, "a new recording", 15*time.Second, func(s Stream) bool {
		return s.ActiveAssetID != "" && s.ActiveAssetID != live.ActiveAssetID
	})
	if err := p2.wait(t, 30*time.Second); err != nil {
		t.Errorf("second push: %v: %s", err, p2.stderr.String())
	}
}

// An encoder back within the reconnect window continues the same asset,
// in a new part: one asset holds both sessions.
func TestReconnectWithinWindowMakesOneAsset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(3, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(4))
	first := e.waitRecording(st.ID)
	if err := p.wait(t, 30*time.Second); err != nil {
		t.Fatalf("push: %v: %s", err, p.stderr.String())
	}
	away := e.waitStream(st.ID, "disconnect", 10*time.Second, func(s Stream) bool { return !s.Connected })
	if away.Status != StatusActive || away.ActiveAssetID != first.ActiveAssetID {
		t.Fatalf("inside the window: status %q asset %q; want still active on %s", away.Status, away.ActiveAssetID, first.ActiveAssetID)
	}

	p = push(t, e.publishURL(st.StreamKey), videoPush(4))
	again := e.waitStream(st.ID, "reconnect", 15*time.Second, func(s Stream) bool { return s.Connected && s.PartCount == 2 })
	if again.ActiveAssetID != first.ActiveAssetID {
		t.Fatalf("reconnect started asset %s, want the same asset %s", again.ActiveAssetID, first.ActiveAssetID)
	}
	if err := p.wait(t, 30*time.Second); err != nil {
		t.Fatalf("second push: %v: %s", err, p.stderr.String())
	}
	// The window (3 s) runs out: the recording is finished.
	a := e.waitAssetDone(first.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s", a.Status, a.ErrorMessage)
	}
	if !near(a.Duration, 8, 1) {
		t.Errorf("asset holds %.2f s; want both pushes, about 8 s", a.Duration)
	}
	if a.MasterMode != "remux" {
		t.Errorf("master_mode %q: parts with the same settings must be joined without re-encoding", a.MasterMode)
	}
	if got := e.assetsOf(st.ID); len(got) != 1 {
		t.Errorf("the stream has %d assets, want 1", len(got))
	}
	master, _ := e.archive.MasterPath(context.Background(), a.ID)
	if msg := decodeErrors(t, master); msg != "" {
		t.Errorf("joined master does not decode cleanly: %s", msg)
	}
	types := e.eventTypes(st.ID)
	if n := count(types, "video.live_stream.connected"); n != 2 {
		t.Errorf("%d connected events, want 2: %v", n, types)
	}
	if n := count(types, "video.live_stream.idle"); n != 1 || types[len(types)-1] != "video.live_stream.idle" {
		t.Errorf("want one idle event, last: %v", types)
	}
}

// An encoder that comes back with other settings (here another picture
// size) still continues the same asset; the parts are joined by
// re-encoding, scaled to the first part's size.
func TestReconnectWithOtherSettingsIsJoined(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(30, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(3))
	first := e.waitRecording(st.ID)
	p.wait(t, 30*time.Second)
	e.waitStream(st.ID, "disconnect", 10*time.Second, func(s Stream) bool { return !s.Connected })
	o := videoPush(3)
	o.size = "256x144"
	p = push(t, e.publishURL(st.StreamKey), o)
	e.waitStream(st.ID, "reconnect", 15*time.Second, func(s Stream) bool { return s.Connected && s.PartCount == 2 })
	p.wait(t, 30*time.Second)
	e.waitStream(st.ID, "disconnect", 10*time.Second, func(s Stream) bool { return !s.Connected })
	if err := e.live.Complete(context.Background(), st.ID); err != nil {
		t.Fatal(err)
	}
	a := e.waitAssetDone(first.ActiveAssetID, 90*time.Second)
	if a.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s", a.Status, a.ErrorMessage)
	}
	if !near(a.Duration, 6, 1) {
		t.Errorf("asset holds %.2f s, want about 6", a.Duration)
	}
	if len(a.Tracks) == 0 || a.Tracks[0].MaxWidth != 320 || a.Tracks[0].MaxHeight != 180 {
		t.Errorf("tracks %+v, want the first part's 320x180", a.Tracks)
	}
}

// Unknown keys, a wrong application name and a second publisher on a key
// in use are refused at connect; the publisher already in keeps recording.
func TestPublishersRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)

	for name, url := range map[string]string{
		"unknown key": e.publishURL("not-a-key"),
		"wrong app":   "rtmp://" + e.live.Addr().String() + "/live/" + st.StreamKey,
	} {
		p := push(t, url, videoPush(5))
		if err := p.wait(t, 20*time.Second); err == nil {
			t.Errorf("%s: ffmpeg pushed successfully; want it refused", name)
		}
	}
	if got := e.assetsOf(st.ID); len(got) != 0 {
		t.Fatalf("refused publishers made %d assets", len(got))
	}

	first := push(t, e.publishURL(st.StreamKey), videoPush(8))
	live := e.waitRecording(st.ID)
	second := push(t, e.publishURL(st.StreamKey), videoPush(5))
	if err := second.wait(t, 20*time.Second); err == nil {
		t.Errorf("a second publisher on an active key was accepted")
	}
	if err := first.wait(t, 30*time.Second); err != nil {
		t.Errorf("the first publisher was disturbed: %v: %s", err, first.stderr.String())
	}
	a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady || !near(a.Duration, 8, 1) {
		t.Errorf("first publisher's asset: %s, %.2f s; want ready, about 8 s", a.Status, a.Duration)
	}
	if got := e.assetsOf(st.ID); len(got) != 1 {
		t.Errorf("%d assets, want 1", len(got))
	}
}

// Several streams record at once, each into its own asset.
func TestTwoStreamsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.createStream(0, nil)
	b := e.createStream(0, nil)
	pa := push(t, e.publishURL(a.StreamKey), videoPush(5))
	pb := push(t, e.publishURL(b.StreamKey), pushOptions{seconds: 7, video: true, size: "256x144"})
	for _, p := range []*pusher{pa, pb} {
		if err := p.wait(t, 30*time.Second); err != nil {
			t.Fatalf("push: %v: %s", err, p.stderr.String())
		}
	}
	for _, c := range []struct {
		stream Stream
		secs   float64
		width  int
	}{{a, 5, 320}, {b, 7, 256}} {
		assets := e.assetsOf(c.stream.ID)
		if len(assets) != 1 {
			t.Fatalf("stream has %d assets, want 1", len(assets))
		}
		got := e.waitAssetDone(assets[0].ID, 60*time.Second)
		if got.Status != archive.StatusReady || !near(got.Duration, c.secs, 0.8) || got.Tracks[0].MaxWidth != c.width {
			t.Errorf("asset: %s, %.2f s, tracks %+v; want ready, %.0f s, width %d", got.Status, got.Duration, got.Tracks, c.secs, c.width)
		}
	}
}

// complete while the encoder is connected: the recording ends at once (no
// waiting for the reconnect window), the encoder is dropped, and the asset
// is built.
func TestCompleteWhileConnected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(60, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	e.waitFragments(e.live.partPath(st.ID, live.ActiveAssetID, 1), 2, 30*time.Second)

	if err := e.live.Complete(context.Background(), st.ID); err != nil {
		t.Fatal(err)
	}
	now := e.stream(st.ID)
	if now.Status != StatusIdle || now.Connected || now.ActiveAssetID != "" {
		t.Errorf("after complete: status %q connected %v asset %q, want idle", now.Status, now.Connected, now.ActiveAssetID)
	}
	if err := p.wait(t, 15*time.Second); err == nil {
		t.Errorf("the encoder was not disconnected")
	}
	a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second)
	if a.Status != archive.StatusReady || a.Duration < 2 {
		t.Errorf("asset %s, %.2f s", a.Status, a.Duration)
	}
}

// disable refuses new connections until enable; disabling a live stream
// ends its recording.
func TestDisableRefusesEncoders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	st := e.createStream(60, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	if err := e.live.Disable(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if s := e.stream(st.ID); s.Status != StatusDisabled || s.Connected || s.ActiveAssetID != "" {
		t.Errorf("after disable: status %q connected %v asset %q", s.Status, s.Connected, s.ActiveAssetID)
	}
	p.wait(t, 15*time.Second)
	if a := e.waitAssetDone(live.ActiveAssetID, 60*time.Second); a.Status != archive.StatusReady {
		t.Errorf("the recording cut by disable: %s %s", a.Status, a.ErrorMessage)
	}

	refused := push(t, e.publishURL(st.StreamKey), videoPush(4))
	if err := refused.wait(t, 20*time.Second); err == nil {
		t.Errorf("a disabled stream accepted an encoder")
	}
	if n := len(e.assetsOf(st.ID)); n != 1 {
		t.Errorf("%d assets after the refused push, want 1", n)
	}

	if err := e.live.Enable(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	ok := push(t, e.publishURL(st.StreamKey), videoPush(3))
	if err := ok.wait(t, 20*time.Second); err != nil {
		t.Errorf("after enable the push failed: %v: %s", err, ok.stderr.String())
	}
	types := e.eventTypes(st.ID)
	for _, want := range []string{"video.live_stream.disabled", "video.live_stream.enabled"} {
		if !slices.Contains(types, want) {
			t.Errorf("no %s event: %v", want, types)
		}
	}
}

// Audio-only encoders and MP3 audio (ffmpeg's default for FLV) record too.
func TestAudioOnlyAndMP3(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		name  string
		opts  pushOptions
		codec string
		tier  string
	}{
		{"audio only", pushOptions{seconds: 4, audio: "aac"}, "aac", "audio-only"},
		{"mp3", pushOptions{seconds: 4, audio: "libmp3lame", video: true}, "mp3", "720p"},
	} {
		st := e.createStream(0, nil)
		p := push(t, e.publishURL(st.StreamKey), c.opts)
		if err := p.wait(t, 30*time.Second); err != nil {
			t.Fatalf("%s: push: %v: %s", c.name, err, p.stderr.String())
		}
		assets := e.assetsOf(st.ID)
		if len(assets) != 1 {
			t.Fatalf("%s: %d assets", c.name, len(assets))
		}
		a := e.waitAssetDone(assets[0].ID, 60*time.Second)
		if a.Status != archive.StatusReady || a.MasterAudioCodec != c.codec || a.ResolutionTier != c.tier || !near(a.Duration, 4, 0.7) {
			t.Errorf("%s: %s %s, audio %q, tier %q, %.2f s", c.name, a.Status, a.ErrorMessage, a.MasterAudioCodec, a.ResolutionTier, a.Duration)
		}
	}
}

// An encoder that leaves before a single fragment was written leaves an
// errored asset that says so, not one stuck preparing.
func TestNothingRecordedIsErrored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	server, client := net.Pipe()
	defer client.Close()
	sess, err := e.live.beginSession(st.StreamKey, server)
	if err != nil {
		t.Fatal(err)
	}
	tracks := []*recTrack{{codec: &mp4codecs.H264{SPS: []byte{0x67}, PPS: []byte{0x68}}, timeScale: videoTimeScale, video: true, ready: true}}
	rec, err := e.live.startRecording(sess, tracks)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.close(); err != nil {
		t.Fatal(err)
	}
	e.live.endSession(sess)

	a := e.waitAssetDone(sess.assetID, 30*time.Second)
	if a.Status != archive.StatusErrored || a.IsLive || !strings.Contains(a.ErrorMessage, "Nothing was recorded") {
		t.Errorf("asset %s, is_live %v, %q; want errored: nothing was recorded", a.Status, a.IsLive, a.ErrorMessage)
	}
	if s := e.stream(st.ID); s.Status != StatusIdle || s.ActiveAssetID != "" {
		t.Errorf("stream %q with asset %q, want idle", s.Status, s.ActiveAssetID)
	} // An errored recording is all there is of that session: never swept.
	e.live.sweepRecordings(context.Background())
	if _, err := os.Stat(rec.path); err != nil {
		t.Errorf("the errored asset's recording was swept: %v", err)
	}
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// A recording cannot wait for space: while the disk lacks room beyond the
// reserve, an encoder is refused (the log says why) and the stream stays
// idle and unconnected.
func TestPublisherRefusedOnShortDisk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) {
		// A reserve no disk has: the real statfs of the data folder is short.
		c.Space = &diskspace.Checker{Reserve: diskspace.Reserve{Bytes: 1 << 60}}
	})
	st := e.createStream(0, nil)
	server, client := net.Pipe()
	defer client.Close()
	defer server.Close()
	if _, err := e.live.beginSession(st.StreamKey, server); err == nil || !strings.Contains(err.Error(), "no room to record: waiting for") {
		t.Fatalf("beginSession on a short disk: %v, want refused for lack of room", err)
	}
	if s := e.stream(st.ID); s.Connected || s.Status != StatusIdle || s.ActiveAssetID != "" {
		t.Errorf("stream %+v after the refusal, want idle and unconnected", s)
	}
}

// Deleting the asset of a recording still coming in ends that recording: the encoder is
// dropped and the parts written for the deleted asset are removed. It went on being
// written until the encoder stopped, the stream "Live" on a recording the library no longer had.
func TestDeletingTheRecordingsAssetEndsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(60, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	part := e.live.partPath(st.ID, live.ActiveAssetID, 1)
	e.waitFragments(part, 2, 30*time.Second)

	ctx := context.Background()
	if err := e.archive.Delete(ctx, live.ActiveAssetID); err != nil {
		t.Fatal(err)
	}
	if err := e.live.AssetDeleted(ctx, live.ActiveAssetID); err != nil {
		t.Fatal(err)
	}
	now := e.stream(st.ID)
	if now.Status != StatusIdle || now.Connected || now.ActiveAssetID != "" {
		t.Errorf("after the delete: status %q connected %v asset %q, want idle with no recording", now.Status, now.Connected, now.ActiveAssetID)
	}
	if err := p.wait(t, 15*time.Second); err == nil {
		t.Errorf("the encoder was not disconnected")
	}
	if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the deleted recording's part is still there (%v)", err)
	}
	// Another asset's deletion leaves a stream alone.
	if err := e.live.AssetDeleted(ctx, "not-a-recording"); err != nil {
		t.Errorf("AssetDeleted of an asset no stream records: %v", err)
	}
}
