package httpapi_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

type inputFileJSON struct {
	ContainerFormat string `json:"container_format"`
	Container       string `json:"container"` // Reelvault's own
	Size            int64  `json:"size"`      // Reelvault's own
	ReelName        string `json:"reel_name"`
	CameraMake      string `json:"camera_make"`
	CameraModel     string `json:"camera_model"`
	Tracks          []struct {
		Type       string  `json:"type"`
		Duration   float64 `json:"duration"`
		Encoding   string  `json:"encoding"`
		Width      int     `json:"width"`
		Height     int     `json:"height"`
		FrameRate  float64 `json:"frame_rate"`
		SampleRate int     `json:"sample_rate"`
		SampleSize int     `json:"sample_size"`
		Channels   int     `json:"channels"`
		// Reelvault's own
		Profile        string `json:"profile"`
		PixelFormat    string `json:"pixel_format"`
		BitDepth       int    `json:"bit_depth"`
		ColorPrimaries string `json:"color_primaries"`
		ColorTransfer  string `json:"color_transfer"`
		FieldOrder     string `json:"field_order"`
		BitRate        int64  `json:"bit_rate"`
		Timecode       string `json:"timecode"`
		Rotation       int    `json:"rotation"`
		PixelAspect    string `json:"pixel_aspect"`
	} `json:"tracks"`
}

type inputInfoJSON struct {
	Data []struct {
		Settings struct {
			URL string `json:"url"`
		} `json:"settings"`
		File       *inputFileJSON `json:"file"`
		MasterFile *inputFileJSON `json:"master_file"` // Reelvault's own
	} `json:"data"`
}

// input-info answers in Mux's shape from the probe kept at ingest, also once the
// original is gone.
func TestInputInfoDescribesTheOriginalAfterItIsGone(t *testing.T) {
	env := newAPIEnv(t, apiOptions{runJobs: true})
	src := testmedia.TempClip(t, "take.mov", testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"), testmedia.LavfiAudio("1"),
		[]string{"-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s24le",
			"-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra", "-timecode", "10:00:00:00"})...)
	// The original lives in its own folder so it can be removed.
	orig := filepath.Join(t.TempDir(), "take.mov")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orig, b, 0o644); err != nil {
		t.Fatal(err)
	}
	a := env.create(`{"input": ` + jsonString(orig) + `}`)
	env.waitAsset(a.ID, time.Minute, "ready", func(a assetJSON) bool { return a.Status == "ready" })
	if err := os.Remove(orig); err != nil {
		t.Fatal(err)
	}

	// The asset says what changed, and lists both sound tracks with their languages.
	var got struct {
		Data struct {
			MasterChanges *[]string `json:"master_changes"`
			Tracks        []struct {
				ID           string `json:"id"`
				Type         string `json:"type"`
				Primary      bool   `json:"primary"`
				MaxChannels  int    `json:"max_channels"`
				LanguageCode string `json:"language_code"`
			} `json:"tracks"`
		} `json:"data"`
	}
	decodeStrict(t, env.request("GET", "/video/v1/assets/"+a.ID, ""), &got)
	if c := got.Data.MasterChanges; c == nil || len(*c) != 1 || (*c)[0] != "2 × PCM 24-bit kept lossless as ALAC" {
		t.Errorf("master_changes %v, want [2 × PCM 24-bit kept lossless as ALAC]", c)
	}
	if tr := got.Data.Tracks; len(tr) != 3 || tr[1].ID != "audio" || !tr[1].Primary || tr[1].LanguageCode != "eng" ||
		tr[2].ID != "audio-2" || tr[2].Primary || tr[2].LanguageCode != "fra" || tr[2].MaxChannels != 1 {
		t.Errorf("tracks %+v, want video, then mono eng (primary) and mono fra audio", tr)
	}

	r := env.request("GET", "/video/v1/assets/"+a.ID+"/input-info", "")
	if r.status != http.StatusOK {
		t.Fatalf("input-info: %s", r)
	}
	var info inputInfoJSON
	decodeStrict(t, r, &info)
	if len(info.Data) != 1 || info.Data[0].File == nil {
		t.Fatalf("input-info %s, want one entry with a file", r.body)
	}
	d := info.Data[0]
	f := d.File
	if d.Settings.URL != orig || f.ContainerFormat != "mov,mp4,m4a,3gp,3g2,mj2" || len(f.Tracks) != 4 || f.Tracks[3].Type != "data" {
		t.Fatalf("input-info %s, want the MOV's url, container and four tracks (video, two audio, timecode)", r.body)
	}
	// ffprobe's container_format is the same for an MP4: the name editors use tells them apart.
	if f.Container != "MOV" {
		t.Errorf("input-info container %q, want MOV", f.Container)
	}
	if f.Size != int64(len(b)) {
		t.Errorf("input-info size %d, want the original's %d bytes (kept though the file is gone)", f.Size, len(b))
	}
	v, au := f.Tracks[0], f.Tracks[1]
	if v.Type != "video" || v.Encoding != "h264" || v.Width != 320 || v.Height != 240 || v.FrameRate != 25 || v.Duration <= 0 {
		t.Errorf("video track %+v, want h264 320x240 at 25 fps", v)
	}
	// What the window shows next to the master: profile, chroma and bit depth, and the start timecode.
	if v.Profile == "" || v.PixelFormat != "yuv420p" || v.BitDepth != 8 || v.FieldOrder != "progressive" {
		t.Errorf("video track %+v, want its profile, yuv420p 8-bit progressive", v)
	}
	var timecode string
	for _, tr := range f.Tracks {
		if tr.Timecode != "" {
			timecode = tr.Timecode
		}
	}
	if timecode != "10:00:00:00" {
		t.Errorf("input-info %s, want the start timecode 10:00:00:00 on a track", r.body)
	}
	if au.Type != "audio" || au.Encoding != "pcm_s24le" || au.Channels != 1 || au.SampleRate != 48000 || au.SampleSize != 24 {
		t.Errorf("audio track %+v, want mono 48 kHz 24-bit PCM", au)
	}

	// The master, described as written, in the same terms: the H.264 kept, the PCM as ALAC.
	m := d.MasterFile
	if m == nil || len(m.Tracks) < 3 || m.Size <= 0 {
		t.Fatalf("input-info %s, want the master's description with its size and tracks", r.body)
	}
	if m.Container != "MP4" {
		t.Errorf("master container %q, want MP4", m.Container)
	}
	if mv, ma := m.Tracks[0], m.Tracks[1]; mv.Encoding != "h264" || mv.BitDepth != 8 || mv.PixelFormat != "yuv420p" ||
		mv.FieldOrder != "progressive" || mv.BitRate <= 0 || ma.Encoding != "alac" || ma.SampleSize != 24 {
		t.Errorf("master tracks %+v, want 8-bit 4:2:0 progressive H.264 with a bitrate and 24-bit ALAC", m.Tracks)
	}

	apiError(t, env.request("GET", "/video/v1/assets/nope/input-info", ""), http.StatusNotFound, "not_found")
}
