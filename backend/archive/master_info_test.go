package archive

import (
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/media"
)

// A camera's ProRes 422 HQ 10-bit clip with a reel name and a camera: the asset keeps a
// description of the master as written (10-bit 4:2:2 HEVC, progressive, its bitrate),
// beside the source's, which names the reel and the camera. A rebuild at a smaller tier
// describes its new master.
func TestMasterIsDescribedAfterBuildAndRebuild(t *testing.T) {
	input := clip(t, "A001_prores_hq.mov", testmedia.Join(testmedia.LavfiVideo("2048x1152", "5", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le", "-c:a", "pcm_s24le", "-shortest",
			"-timecode", "01:00:00:00", "-metadata:s:v:0", "reel_name=A001",
			"-metadata", "com.apple.quicktime.make=Blackmagic Design", "-metadata", "com.apple.quicktime.model=Pocket Cinema Camera 6K",
			"-movflags", "use_metadata_tags"})...)
	env := newEnv(t)
	a := env.create(CreateParams{Input: input, AssetSettings: AssetSettings{MaxResolutionTier: "2160p", VideoQuality: "basic"}})
	a = env.waitStatus(a.ID, StatusReady, 2*time.Minute)

	src := a.InputInfo
	if src == nil || src.Reel != "A001" || src.CameraMake != "Blackmagic Design" || src.CameraModel != "Pocket Cinema Camera 6K" {
		t.Fatalf("source description %+v, want reel A001 and the Blackmagic camera", src)
	}
	if v := src.Tracks[0]; v.Encoding != "prores" || v.Profile != "HQ" || v.BitDepth != 10 || v.PixelFormat != "yuv422p10le" {
		t.Errorf("source video %+v, want ProRes HQ 10-bit 4:2:2", v)
	}
	checkMasterInfo(t, env, a, 2048, 1152)
	// The master copies the container's metadata and writes the timecode track again.
	if m := a.MasterInfo; m.Reel != "A001" || m.CameraMake != "Blackmagic Design" || m.CameraModel != "Pocket Cinema Camera 6K" {
		t.Errorf("master description: reel %q, camera %q %q; want the source's A001, Blackmagic Design Pocket Cinema Camera 6K", m.Reel, m.CameraMake, m.CameraModel)
	}

	down := env.rebuild(a.ID, "1080p")
	if down.Rebuild != nil {
		t.Fatalf("rebuild failed: %s", down.Rebuild.Error)
	}
	checkMasterInfo(t, env, down, 1920, 1080)
	if down.MasterInfo.Size == a.MasterInfo.Size {
		t.Errorf("master description size %d after the rebuild, the same as before: not the new file's", down.MasterInfo.Size)
	}
}

// checkMasterInfo checks that the asset's master description is its master file's: 10-bit
// 4:2:2 HEVC at w×h, progressive, with a bitrate, the lossless audio and the file's size.
func checkMasterInfo(t *testing.T, env *testEnv, a Asset, w, h int) {
	t.Helper()
	m := a.MasterInfo
	if m == nil {
		t.Fatalf("asset %s has no master description", a.ID)
	}
	if m.Size != a.MasterSize {
		t.Errorf("master description size %d, want the master's %d bytes", m.Size, a.MasterSize)
	}
	var v, au *media.InputTrack
	for i := range m.Tracks {
		switch tr := &m.Tracks[i]; {
		case tr.Type == "video" && v == nil:
			v = tr
		case tr.Type == "audio" && au == nil:
			au = tr
		}
	}
	if v == nil || v.Encoding != "hevc" || v.BitDepth != 10 || v.PixelFormat != "yuv422p10le" || v.Width != w || v.Height != h ||
		v.FieldOrder != "progressive" || v.BitRate <= 0 || v.FrameRate != 5 {
		t.Errorf("master video %+v, want 10-bit 4:2:2 HEVC %dx%d at 5 fps, progressive, with a bitrate", v, w, h)
	}
	if au == nil || au.Encoding != "alac" || au.SampleSize != 24 {
		t.Errorf("master audio %+v, want 24-bit ALAC", au)
	}
	// The description is of the file on disk, not of the plan.
	if info := mustProbe(t, filepath.Join(env.dataDir, a.MasterFile)); info.Size != m.Size {
		t.Errorf("master file %d bytes, description says %d", info.Size, m.Size)
	}
}
