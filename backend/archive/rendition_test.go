package archive

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/media"
)

// cameraClip is what a camera gives an editor: 1280x720 H.264 at 25 fps,
// 2 s, a mono and a stereo PCM track, and a start timecode of 10:00:00:00.
func cameraClip(t *testing.T) string {
	return clip(t, "camera.mov", testmedia.Join(testmedia.LavfiVideo("1280x720", "25", "2"), testmedia.LavfiAudio("2"), testmedia.LavfiAudio("2"),
		[]string{"-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
			"-c:a", "pcm_s24le", "-ac:a:0", "1", "-ac:a:1", "2", "-timecode", "10:00:00:00"})...)
}

// waitRenditions waits until none of the asset's renditions is preparing.
func (e *testEnv) waitRenditions(id string, timeout time.Duration) Asset {
	e.t.Helper()
	return e.waitFor(id, "with its renditions made", timeout, func(a Asset) bool {
		return a.Status != StatusPreparing && !slices.ContainsFunc(a.Renditions, func(r Rendition) bool { return r.Status == RenditionPreparing })
	})
}

func renditionAt(t *testing.T, a Asset, resolution string) Rendition {
	t.Helper()
	for _, r := range a.Renditions {
		if r.Resolution == resolution {
			return r
		}
	}
	t.Fatalf("asset %s has no %s rendition: %+v", a.ID, resolution, a.Renditions)
	return Rendition{}
}

func timecodeTrack(info *media.Info) string {
	for _, s := range info.Streams {
		if s.CodecTag == "tmcd" {
			return s.Timecode
		}
	}
	return ""
}

func audioChannels(info *media.Info) []int {
	var out []int
	for _, s := range info.Streams {
		if s.Type == "audio" {
			out = append(out, s.Channels)
		}
	}
	return out
}

// A proxy is checked the way an editor's relink checks it: same frame rate,
// same duration within a frame, same start timecode, the same audio tracks
// with the same channels, and a smaller, easily decoded picture.
func TestProxyRelinksToItsMaster(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	env := newEnv(t)
	a := env.create(CreateParams{Input: cameraClip(t), AssetSettings: AssetSettings{StaticRenditions: []RenditionRequest{
		{Resolution: "270p", Passthrough: "for the edit"}, {Resolution: "audio-only"}, {Resolution: "1080p"}}}})
	if len(a.Renditions) != 3 || a.Renditions[0].Status != RenditionPreparing {
		t.Fatalf("a new asset's renditions = %+v, want 3 preparing", a.Renditions)
	}
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	a = env.waitRenditions(a.ID, 2*time.Minute)

	master := mustProbe(t, env.svc.abs(a.MasterFile))
	proxyRow := renditionAt(t, a, "270p")
	if proxyRow.Status != RenditionReady || proxyRow.Name != "270p.mp4" || proxyRow.Passthrough != "for the edit" {
		t.Fatalf("270p rendition = %+v, want ready 270p.mp4 with its passthrough", proxyRow)
	}
	path := env.svc.RenditionFile(proxyRow)
	proxy := mustProbe(t, path)
	if proxy.Video == nil || proxy.Video.Codec != "h264" || proxy.Video.PixFmt != "yuv420p" || proxy.Video.BitDepth > 8 {
		t.Fatalf("proxy video = %+v, want 8-bit 4:2:0 H.264", proxy.Video)
	}
	if proxy.Video.Width != 480 || proxy.Video.Height != 270 || proxyRow.Width != 480 || proxyRow.Height != 270 {
		t.Errorf("proxy picture %dx%d (recorded %dx%d), want 480x270", proxy.Video.Width, proxy.Video.Height, proxyRow.Width, proxyRow.Height)
	}
	if proxy.Video.FrameRate != master.Video.FrameRate {
		t.Errorf("proxy frame rate %g, master's %g", proxy.Video.FrameRate, master.Video.FrameRate)
	}
	if d := math.Abs(proxy.Duration - master.Duration); d > 1/master.Video.FrameRate {
		t.Errorf("proxy lasts %.3f s, master %.3f s: more than a frame apart", proxy.Duration, master.Duration)
	}
	if tc := timecodeTrack(proxy); tc != "10:00:00:00" || tc != timecodeTrack(master) {
		t.Errorf("proxy timecode %q, master %q; want both 10:00:00:00", tc, timecodeTrack(master))
	}
	if got, want := audioChannels(proxy), audioChannels(master); !slices.Equal(got, want) || !slices.Equal(want, []int{1, 2}) {
		t.Errorf("proxy audio channels %v, master %v; want [1 2] in both", got, want)
	}
	for _, s := range proxy.Streams {
		if s.Type == "audio" && s.Codec != "aac" {
			t.Errorf("proxy audio track %d is %s, want aac", s.Index, s.Codec)
		}
	}
	if proxyRow.FileSize >= a.MasterSize {
		t.Errorf("proxy is %d bytes, not smaller than the %d-byte master", proxyRow.FileSize, a.MasterSize)
	}
	if boxes := topLevelBoxes(t, path); indexOf(boxes, "moov") > indexOf(boxes, "mdat") {
		t.Errorf("proxy boxes %v: the index is not first (faststart)", boxes)
	}
	if n, sum := fileSHA256(t, path); n != proxyRow.FileSize || sum != proxyRow.SHA256 {
		t.Errorf("proxy file is %d bytes %s, recorded %d %s", n, sum, proxyRow.FileSize, proxyRow.SHA256)
	}

	audio := renditionAt(t, a, "audio-only")
	m4a := mustProbe(t, env.svc.RenditionFile(audio))
	if audio.Status != RenditionReady || audio.Name != "audio.m4a" || m4a.Video != nil || !slices.Equal(audioChannels(m4a), []int{1, 2}) {
		t.Errorf("audio-only rendition %+v: video %v, channels %v; want ready audio.m4a with [1 2] and no picture", audio, m4a.Video, audioChannels(m4a))
	}
	above := renditionAt(t, a, "1080p")
	if above.Status != RenditionSkipped || !strings.Contains(above.Error, "above") || above.File != "" {
		t.Errorf("1080p rendition of a 720p master = %+v, want skipped as above the master", above)
	}

	var seq []string
	for _, ev := range env.events(a.ID) {
		if strings.HasPrefix(ev.Type, "video.asset.static_rendition.") {
			var data map[string]any
			json.Unmarshal(ev.Data, &data)
			seq = append(seq, strings.TrimPrefix(ev.Type, "video.asset.static_rendition.")+" "+data["resolution"].(string))
		}
	}
	created := []string{"created 270p", "created audio-only", "created 1080p"}
	if len(seq) != 6 || !slices.Equal(seq[:3], created) || !slices.Contains(seq, "ready 270p") ||
		!slices.Contains(seq, "ready audio-only") || !slices.Contains(seq, "skipped 1080p") {
		t.Errorf("static rendition events %v, want %v then ready 270p, ready audio-only and skipped 1080p", seq, created)
	}
}

// Deleting a rendition removes its file and nothing else; deleting the asset
// removes the rest.
func TestDeletingRenditionsRemovesTheirFiles(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	env := newEnv(t)
	a := env.create(CreateParams{Input: smallClip(t), AssetSettings: AssetSettings{StaticRenditions: []RenditionRequest{{Resolution: "highest"}}}})
	env.waitStatus(a.ID, StatusReady, time.Minute)
	r, err := env.svc.CreateRendition(env.ctx(), a.ID, RenditionRequest{Resolution: "audio-only"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CreateRendition(env.ctx(), a.ID, RenditionRequest{Resolution: "audio-only"}); err == nil {
		t.Error("a second audio-only rendition was accepted")
	}
	if _, err := env.svc.CreateRendition(env.ctx(), a.ID, RenditionRequest{Resolution: "4k"}); err == nil || !strings.Contains(err.Error(), "resolution") {
		t.Errorf("resolution 4k: %v, want an error naming resolution", err)
	}
	a = env.waitRenditions(a.ID, time.Minute)
	highest, audio := renditionAt(t, a, "highest"), renditionAt(t, a, "audio-only")
	if highest.Status != RenditionReady || audio.Status != RenditionReady || audio.ID != r.ID {
		t.Fatalf("renditions %+v, want both ready", a.Renditions)
	}
	if err := env.svc.DeleteRendition(env.ctx(), a.ID, audio.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(env.svc.RenditionFile(audio)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("deleted rendition's file: %v, want it gone", err)
	}
	if _, err := os.Stat(env.svc.RenditionFile(highest)); err != nil {
		t.Errorf("the other rendition's file: %v", err)
	}
	if _, err := os.Stat(env.svc.abs(a.MasterFile)); err != nil {
		t.Errorf("master after deleting a rendition: %v", err)
	}
	if err := env.svc.DeleteRendition(env.ctx(), a.ID, audio.ID); !errors.Is(err, ErrRenditionNotFound) {
		t.Errorf("deleting it again: %v, want not found", err)
	}
	if types := env.eventTypes(a.ID); !slices.Contains(types, "video.asset.static_rendition.deleted") {
		t.Errorf("events %v lack static_rendition.deleted", types)
	}
	if err := env.svc.Delete(env.ctx(), a.ID); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, filepath.Join(env.dataDir, "renditions")); len(names) != 0 {
		t.Errorf("renditions/ after deleting the asset: %v, want empty", names)
	}
}

// A rendition asked of an asset whose master cannot be made errors with it.
func TestRenditionsOfAnErroredAssetError(t *testing.T) {
	env := newEnv(t)
	bad := filepath.Join(t.TempDir(), "notes.mp4")
	os.WriteFile(bad, []byte("not a video at all"), 0o644)
	a := env.create(CreateParams{Input: bad, AssetSettings: AssetSettings{StaticRenditions: []RenditionRequest{{Resolution: "720p"}}}})
	env.waitStatus(a.ID, StatusErrored, time.Minute)
	a = env.get(a.ID)
	if r := renditionAt(t, a, "720p"); r.Status != RenditionErrored || r.Error == "" {
		t.Errorf("rendition of an errored asset = %+v, want errored with a reason", r)
	}
}

// mp4_support maps onto renditions as Mux documents it, and "none" removes them.
func TestMP4SupportMakesMuxsFiles(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	env := newEnv(t)
	a := env.create(CreateParams{Input: smallClip(t), AssetSettings: AssetSettings{MP4Support: MP4Both}})
	a = env.waitStatus(a.ID, StatusReady, time.Minute)
	a = env.waitRenditions(a.ID, time.Minute)
	var names []string
	for _, r := range a.Renditions {
		if r.Status != RenditionReady || !r.Legacy {
			t.Errorf("mp4_support file %+v, want ready", r)
		}
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"audio.m4a", "capped-1080p.mp4"}) || MP4SupportOf(a.Renditions) != MP4Both {
		t.Errorf("mp4_support %s made %v", MP4SupportOf(a.Renditions), names)
	}
	a, err := env.svc.SetMP4Support(env.ctx(), a.ID, MP4None)
	if err != nil || len(a.Renditions) != 0 {
		t.Fatalf("mp4_support none: %v, renditions %+v", err, a.Renditions)
	}
	ok := testtime.Poll(10*time.Second, func() bool { return len(dirNames(t, filepath.Join(env.dataDir, "renditions"))) == 0 })
	if !ok {
		t.Errorf("renditions/ after mp4_support none: %v", dirNames(t, filepath.Join(env.dataDir, "renditions")))
	}
	if _, err := env.svc.SetMP4Support(context.Background(), a.ID, "bogus"); err == nil {
		t.Error("mp4_support bogus accepted")
	}
}

// A proxy build stopped mid-way (the app killed or shut down) leaves only a
// .part file, which the next start removes; the rendition is still
// preparing and is made again.
func TestStoppedProxyBuildLeavesOnlyAPartAndIsMadeAgain(t *testing.T) {
	testmedia.RequireFFmpeg(t)
	dataDir := t.TempDir()
	first := openEnv(t, dataDir)
	first.start()
	a := first.create(CreateParams{Input: slowClip(t), AssetSettings: AssetSettings{StaticRenditions: []RenditionRequest{{Resolution: "highest"}}}})
	first.waitStatus(a.ID, StatusReady, 2*time.Minute)
	dir := filepath.Join(dataDir, "renditions")
	if !testtime.Poll(time.Minute, func() bool {
		names := dirNames(t, dir)
		if len(names) != 1 || !strings.HasSuffix(names[0], ".part") {
			return false
		}
		st, err := os.Stat(filepath.Join(dir, names[0]))
		return err == nil && st.Size() > 0
	}) {
		t.Fatalf("no proxy being written: renditions/ = %v", dirNames(t, dir))
	}
	first.stop() // as a shutdown: the job's context ends, ffmpeg is killed
	for _, name := range dirNames(t, dir) {
		if !strings.HasSuffix(name, ".part") {
			t.Errorf("a stopped build left %s, which looks finished", name)
		}
	}
	if r := renditionAt(t, first.get(a.ID), "highest"); r.Status != RenditionPreparing {
		t.Errorf("stopped rendition is %s, want still preparing", r.Status)
	}
	first.db.Close()

	second := openEnv(t, dataDir)
	if err := second.svc.Recover(second.ctx()); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("after Recover renditions/ = %v, want the .part gone", names)
	}
	second.start()
	got := second.waitRenditions(a.ID, 2*time.Minute)
	r := renditionAt(t, got, "highest")
	if n, sum := fileSHA256(t, second.svc.RenditionFile(r)); r.Status != RenditionReady || n != r.FileSize || sum != r.SHA256 {
		t.Errorf("remade rendition %+v: file %d bytes %s", r, n, sum)
	}
}
