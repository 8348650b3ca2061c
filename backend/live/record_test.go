package live

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/internal/testmedia"
	"reelvault/backend/media/faststart"
)

// An encoder pushes for about 6 s and leaves (reconnect_window 0): the
// recording becomes an asset of that duration whose master is ready and
// downloadable (master_access temporary in new_asset_settings), and every
// step was announced in the outbox in Mux's order.
func TestPushBecomesAssetWithReadyMaster(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, &AssetSettings{AssetSettings: archive.AssetSettings{MasterAccess: "temporary"}})

	p := push(t, e.publishURL(st.StreamKey), videoPush(6))
	live := e.waitRecording(st.ID)
	if live.Status != StatusActive || !live.Connected {
		t.Errorf("while pushing: status %q connected %v, want active and connected", live.Status, live.Connected)
	}
	if !slices.Equal(live.RecentAssetIDs, []string{live.ActiveAssetID}) {
		t.Errorf("recent_asset_ids = %v, want [%s]", live.RecentAssetIDs, live.ActiveAssetID)
	}
	a, err := e.archive.Get(context.Background(), live.ActiveAssetID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.IsLive || a.Source != archive.SourceLive || a.IngestType != "live_rtmp" || a.LiveStreamID != st.ID {
		t.Errorf("live asset: is_live %v source %q ingest_type %q live_stream_id %q", a.IsLive, a.Source, a.IngestType, a.LiveStreamID)
	}
	if err := p.wait(t, 30*time.Second); err != nil {
		t.Fatalf("ffmpeg push failed: %v: %s", err, p.stderr.String())
	}

	done := e.waitAssetDone(a.ID, 60*time.Second)
	if done.Status != archive.StatusReady {
		t.Fatalf("asset %s: %s %s", done.Status, done.ErrorType, done.ErrorMessage)
	}
	if !near(done.Duration, 6, 0.6) {
		t.Errorf("asset duration = %.2f s, want about 6", done.Duration)
	}
	if done.IsLive || done.MasterMode != "remux" || done.MasterStatus != archive.MasterReady {
		t.Errorf("asset: is_live %v master_mode %q master.status %q; want a ready remuxed master", done.IsLive, done.MasterMode, done.MasterStatus)
	}
	master, _ := e.archive.MasterPath(context.Background(), done.ID)
	info := probe(t, master, true)
	if info.codec("video") != "h264" || info.codec("audio") != "aac" {
		t.Errorf("master codecs %q/%q, want h264/aac", info.codec("video"), info.codec("audio"))
	}
	if msg := decodeErrors(t, master); msg != "" {
		t.Errorf("master does not decode cleanly: %s", msg)
	}
	// The master is the recording made whole in one pass (media/faststart builds one
	// index of its fragments): the index first, the recorded hash the file's, and every
	// packet of the recording in it, with the same bytes and timestamps.
	if idx, err := faststart.Inspect(master); err != nil || !idx.Faststart || idx.Fragmented {
		t.Errorf("master index: %+v, %v; want an ordinary MP4 with its index first", idx, err)
	}
	if sum := testmedia.FileSHA256(t, master); done.MasterSHA256 != sum {
		t.Errorf("recorded master_sha256 %s, the file's %s", done.MasterSHA256, sum)
	}
	recording := e.live.partPath(st.ID, a.ID, 1)
	if want, got := packetList(t, recording), packetList(t, master); !slices.Equal(want, got) {
		t.Errorf("the master's packets differ from the recording's (%d vs %d)", len(want), len(got))
	}

	idle := e.stream(st.ID)
	if idle.Status != StatusIdle || idle.Connected || idle.ActiveAssetID != "" {
		t.Errorf("after the push: status %q connected %v active asset %q, want idle", idle.Status, idle.Connected, idle.ActiveAssetID)
	}
	wantStream := []string{"video.live_stream.created", "video.live_stream.connected", "video.live_stream.recording",
		"video.live_stream.active", "video.live_stream.disconnected", "video.live_stream.idle"}
	if got := e.eventTypes(st.ID); !slices.Equal(got, wantStream) {
		t.Errorf("stream events:\n got %v\nwant %v", got, wantStream)
	}
	wantAsset := []string{"video.asset.created", "video.asset.master.preparing", "video.asset.live_stream_completed",
		"video.asset.ready", "video.asset.master.ready"}
	if got := e.eventTypes(a.ID); !slices.Equal(got, wantAsset) {
		t.Errorf("asset events:\n got %v\nwant %v", got, wantAsset)
	}
}

// The recording on disk is fragmented MP4 while the encoder is still
// pushing: what is already written reads cleanly, which is what makes a
// crash lose at most about a second.
func TestRecordingIsReadableWhilePushing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	p := push(t, e.publishURL(st.StreamKey), videoPush(0))
	live := e.waitRecording(st.ID)
	part := e.live.partPath(st.ID, live.ActiveAssetID, 1)

	written := e.waitFragments(part, 3, 30*time.Second)
	snapshot := t.TempDir() + "/snapshot.mp4"
	b, err := os.ReadFile(part)
	sent := p.sent()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(snapshot, b, 0o644)
	state, err := repairPart(snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if state.Cut != 0 {
		t.Errorf("a part read while recording has a torn tail of %d bytes: fragments must be written whole", state.Cut)
	}
	// Each whole fragment on disk plays for a fragment's duration (a second:
	// what a crash may lose), and nothing is there that the encoder did not
	// send. (What the server has received but not yet written cannot be seen
	// from here; on a loaded machine seconds of it wait in socket buffers.)
	info := probe(t, snapshot, true)
	least := float64(state.Fragments)*e.live.cfg.FragmentDuration.Seconds() - 0.2
	if d := info.duration(); d < least || d > sent+0.5 {
		t.Errorf("%d whole fragments, the encoder had sent %.1f s; the file holds %.2f s", state.Fragments, sent, d)
	}
	if msg := decodeErrors(t, snapshot); msg != "" {
		t.Errorf("recording in progress does not decode cleanly: %s", msg)
	}
	if state.Fragments < written {
		t.Errorf("the file holds %d whole fragments; the recorder had written %d", state.Fragments, written)
	}
}
