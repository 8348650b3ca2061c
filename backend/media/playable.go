package media

// PlaybackCopyShortSide bounds the picture of a playback copy: enough to watch in the
// window, small enough to make quickly in the background.
const PlaybackCopyShortSide = 720

// browserVideo and browserAudio are what Chromium (and the Wails webview) decode in an
// MP4 everywhere: H.264 at 8 bits 4:2:0, and AAC, MP3 or Opus.
var (
	browserPixFmts = map[string]bool{"yuv420p": true, "yuvj420p": true}
	browserAudio   = map[string]bool{"aac": true, "mp3": true, "opus": true}
)

// BrowserPlays reports whether a browser plays the file as it is: its picture H.264
// 8-bit 4:2:0 (or none) and every audio track AAC, MP3 or Opus (or none).
func BrowserPlays(info *Info) bool {
	for _, s := range info.Streams {
		switch {
		case s.Type == "video" && !s.AttachedPic && (s.Codec != "h264" || !browserPixFmts[s.PixFmt]):
			return false
		case s.Type == "audio" && !browserAudio[s.Codec]:
			return false
		}
	}
	return true
}

// CodecsMayPlay is BrowserPlays from codec names alone (what an asset records of its
// master): false when a browser surely cannot play them, true when it may.
func CodecsMayPlay(video, audio string) bool {
	return (video == "" || video == "h264") && (audio == "" || browserAudio[audio])
}

// PlanPlaybackCopy plans a copy of the master a browser plays: the proxy builder's H.264
// and AAC (timecode and duration kept) at the master's size up to 720p, or an AAC M4A of
// an audio-only master. skip says why none can be made.
func PlanPlaybackCopy(info *Info) (p Proxy, skip string) {
	if info.Video == nil { // cover art is no picture to play
		return PlanProxy(info, ProxyAudioOnly, 0)
	}
	return PlanProxy(info, ProxyHighest, PlaybackCopyShortSide)
}
