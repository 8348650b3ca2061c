package wire

import (
	"math"
	"sync/atomic"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/links"
	"reelvault/backend/media"
)

// Asset is Mux's asset object, plus Reelvault's own fields after Progress
// (Mux clients ignore unknown fields).
type Asset struct {
	ID                string            `json:"id"`
	CreatedAt         any               `json:"created_at"` // a string in the API, an integer in events (as Mux)
	Status            string            `json:"status"`
	Errors            *AssetErrors      `json:"errors,omitempty"`
	Duration          float64           `json:"duration,omitempty"`
	AspectRatio       string            `json:"aspect_ratio,omitempty"`
	MaxResolutionTier string            `json:"max_resolution_tier"`
	ResolutionTier    string            `json:"resolution_tier,omitempty"`
	VideoQuality      string            `json:"video_quality"`
	EncodingTier      string            `json:"encoding_tier"`
	MasterAccess      string            `json:"master_access"`
	Master            *Master           `json:"master,omitempty"`
	Tracks            []Track           `json:"tracks,omitempty"`
	Passthrough       string            `json:"passthrough,omitempty"`
	Meta              *Meta             `json:"meta,omitempty"`
	UploadID          string            `json:"upload_id,omitempty"`
	LiveStreamID      string            `json:"live_stream_id,omitempty"`
	IsLive            bool              `json:"is_live"`
	RecordingTimes    []RecordingTime   `json:"recording_times,omitempty"`
	IngestType        string            `json:"ingest_type"`
	MP4Support        string            `json:"mp4_support,omitempty"` // absent when none (nothing asked)
	StaticRenditions  *StaticRenditions `json:"static_renditions,omitempty"`
	PlaybackIDs       []PlaybackID      `json:"playback_ids"`
	Progress          Progress          `json:"progress"`

	Source          string        `json:"source"`
	Input           string        `json:"input,omitempty"`
	Title           string        `json:"title"` // meta.title, or the input's file name
	MasterMode      string        `json:"master_mode,omitempty"`
	MasterReason    string        `json:"master_reason,omitempty"`
	MasterChanges   *[]string     `json:"master_changes,omitempty"` // [] for a pure remux; absent before the master is built
	MasterCodecs    *MasterCodecs `json:"master_codecs,omitempty"`
	MasterSize      int64         `json:"master_size,omitempty"`
	MasterSHA256    string        `json:"master_sha256,omitempty"`
	MasterExpiresAt string        `json:"master_expires_at,omitempty"`
	MasterError     string        `json:"master_error,omitempty"`
	ThumbnailURL    string        `json:"thumbnail_url,omitempty"`
	ThumbnailTime   *float64      `json:"thumbnail_time,omitempty"`    // as set by PATCH
	MasterDamage    string        `json:"master_damage,omitempty"`     // what the fixity audit found wrong
	MasterCheckedAt string        `json:"master_checked_at,omitempty"` // when it last re-hashed the master
	Waiting         string        `json:"waiting,omitempty"`           // what a preparing asset's work waits for (free space)
	// QueueAhead is how many builds come before this one's in its lane, while
	// its work waits in the queue (absent once it runs, and when not preparing).
	QueueAhead *int `json:"queue_ahead,omitempty"`
	// Speed is how fast the running download or build goes; absent when nothing runs.
	Speed *Speed `json:"speed,omitempty"`
	// PlaybackURL is the master on the share listener by the first public
	// playback ID (Mux's {id}/highest.mp4), once the asset is ready.
	PlaybackURL string `json:"playback_url,omitempty"`
	// Duplicates are the other assets made from the same input bytes (same SHA-256), oldest first.
	Duplicates []string `json:"duplicates,omitempty"`
	// SourcePicture is the original's largest picture, so a list can say "4K → 1080p"
	// without fetching each asset's input-info; absent before probing and for audio.
	SourcePicture *Picture `json:"source_picture,omitempty"`
	// CapturedAt is when the original was recorded, as its container says (Unix seconds,
	// as created_at); absent when it does not say.
	CapturedAt string `json:"captured_at,omitempty"`
	// Rebuild is the master being made again at another max_resolution_tier (POST
	// /reelvault/v1/assets/{id}/rebuild), or the one that failed; absent when none.
	Rebuild *Rebuild `json:"rebuild,omitempty"`
}

// Rebuild is a change of an asset's master size underway (or failed): the current
// master keeps serving until the new one is swapped in.
type Rebuild struct {
	MaxResolutionTier string  `json:"max_resolution_tier"`
	State             string  `json:"state"`    // queued | building | failed
	Progress          float64 `json:"progress"` // 0-100
	// QueueAhead is how many jobs of its lane come before it, while queued.
	QueueAhead *int   `json:"queue_ahead,omitempty"`
	Error      string `json:"error,omitempty"`   // why it failed, in words
	Waiting    string `json:"waiting,omitempty"` // what it waits for (free space)
	Speed      *Speed `json:"speed,omitempty"`   // how fast it goes, while building
}

// NewRebuild renders an asset's rebuild; nil when it has none.
func NewRebuild(a archive.Asset) *Rebuild {
	r := a.Rebuild
	if r == nil {
		return nil
	}
	v := &Rebuild{MaxResolutionTier: r.MaxResolutionTier, State: r.State, Progress: round1(r.Progress), Error: r.Error}
	if r.State == archive.RebuildQueued {
		v.QueueAhead = r.QueueAhead
	}
	if r.State != archive.RebuildFailed {
		v.Waiting = a.Waiting
	}
	if r.State == archive.RebuildBuilding {
		v.Speed = speedOf(a)
	}
	return v
}

// Picture is a frame size in pixels.
type Picture struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// sourcePicture is the widest video track of the probed original (nil: none known).
func sourcePicture(f *media.InputFile) *Picture {
	if f == nil {
		return nil
	}
	var best *Picture
	for _, t := range f.Tracks {
		if t.Type == "video" && t.Width > 0 && t.Height > 0 && (best == nil || t.Width*t.Height > best.Width*best.Height) {
			best = &Picture{Width: t.Width, Height: t.Height}
		}
	}
	return best
}

// RecordingTime is one span of a live recording, as Mux's recording_times.
// Reelvault gives one span per recording: a reconnect within the window
// continues it rather than starting a new span.
type RecordingTime struct {
	StartedAt string  `json:"started_at"` // ISO 8601
	Duration  float64 `json:"duration"`   // seconds
	Type      string  `json:"type"`       // "content" (Reelvault has no slates)
}

// AssetErrors is Mux's errors object of an errored asset.
type AssetErrors struct {
	Type     string   `json:"type"`
	Messages []string `json:"messages"`
}

// Master is Mux's master object: its status, and the link once ready.
type Master struct {
	Status string `json:"status"`
	URL    string `json:"url,omitempty"`
}

// Progress is Mux's progress object.
type Progress struct {
	State    string  `json:"state"`
	Progress float64 `json:"progress"`
}

// Speed is how fast an asset's running work goes (Reelvault's own): a transcode
// in multiples of real time ({"realtime": 2.4}), a download or a copy in bytes
// per second ({"bytes_per_second": 89000000}).
type Speed struct {
	Realtime       float64 `json:"realtime,omitempty"`
	BytesPerSecond int64   `json:"bytes_per_second,omitempty"`
}

// NewSpeed is the speed of a preparing asset's running work; nil when none is known.
func NewSpeed(a archive.Asset) *Speed {
	if a.Status != archive.StatusPreparing {
		return nil // a ready asset's rebuild says its own (Rebuild.Speed)
	}
	return speedOf(a)
}

func speedOf(a archive.Asset) *Speed {
	if a.Speed == nil {
		return nil
	}
	sp := &Speed{Realtime: math.Round(a.Speed.Realtime*100) / 100, BytesPerSecond: int64(math.Round(a.Speed.BytesPerSecond))}
	if *sp == (Speed{}) {
		return nil
	}
	return sp
}

// MasterCodecs names the master's codecs.
type MasterCodecs struct {
	Video string `json:"video,omitempty"`
	Audio string `json:"audio,omitempty"`
}

// Track is a video or audio track of the master, as Mux describes it.
type Track struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Duration     float64 `json:"duration,omitempty"`
	MaxWidth     int     `json:"max_width,omitempty"`
	MaxHeight    int     `json:"max_height,omitempty"`
	MaxFrameRate float64 `json:"max_frame_rate,omitempty"`
	MaxChannels  int     `json:"max_channels,omitempty"`
	Primary      bool    `json:"primary"`
	Status       string  `json:"status"`
	TextType     string  `json:"text_type,omitempty"`
	LanguageCode string  `json:"language_code,omitempty"`
	Name         string  `json:"name,omitempty"`
}

// ThumbnailURL is where the UI fetches an asset's thumbnail.
func ThumbnailURL(assetID string) string { return "/ui/v1/assets/" + assetID + "/thumbnail.jpg" }

// MasterPlayURL is where the UI's player reads an asset's master (Range
// requests, so it can seek without downloading the whole file).
func MasterPlayURL(assetID string) string { return "/ui/v1/assets/" + assetID + "/master.mp4" }

// Assets renders assets; master links are signed with the share listener's
// signer, which changes when the listener moves.
type Assets struct {
	signer atomic.Pointer[links.Signer]
}

// NewAssets makes the asset renderer.
func NewAssets(signer *links.Signer) *Assets {
	r := &Assets{}
	r.signer.Store(signer)
	return r
}

// SetSigner changes the base that master links are built on (the share
// listener moved); links are signed with the same key.
func (r *Assets) SetSigner(sg *links.Signer) { r.signer.Store(sg) }

// Asset renders a for the API as of now: created_at a string.
func (r *Assets) Asset(a archive.Asset, now time.Time) Asset {
	v := r.render(a, now)
	v.CreatedAt = unixString(a.CreatedAt)
	return v
}

// Event renders a for an event's data: created_at an integer. It is
// archive's Config.AssetEvent.
func (r *Assets) Event(a archive.Asset, now time.Time) any {
	v := r.render(a, now)
	v.CreatedAt = a.CreatedAt.Unix()
	return v
}

func (r *Assets) render(a archive.Asset, now time.Time) Asset {
	v := Asset{
		ID: a.ID, Status: a.Status, Duration: round3(a.Duration), AspectRatio: a.AspectRatio,
		MaxResolutionTier: a.MaxResolutionTier, ResolutionTier: a.ResolutionTier,
		VideoQuality: a.VideoQuality, EncodingTier: EncodingTier(a.VideoQuality),
		MasterAccess: a.MasterAccess, Passthrough: a.Passthrough, Meta: newMeta(a.Meta),
		UploadID: a.UploadID, LiveStreamID: a.LiveStreamID, IsLive: a.IsLive, IngestType: a.IngestType,
		PlaybackIDs: NewPlaybackIDs(a.PlaybackIDs), Progress: NewProgress(a),
		Source: a.Source, Input: a.Input, Title: a.Title(),
		MasterMode: a.MasterMode, MasterReason: a.MasterReason, MasterSize: a.MasterSize, MasterSHA256: a.MasterSHA256,
	}
	for _, t := range a.Tracks {
		v.Tracks = append(v.Tracks, Track{ID: t.ID, Type: t.Type, Duration: t.Duration, MaxWidth: t.MaxWidth,
			MaxHeight: t.MaxHeight, MaxFrameRate: t.MaxFrameRate, MaxChannels: t.MaxChannels, Primary: t.Primary, Status: t.Status,
			TextType: t.TextType, LanguageCode: t.LanguageCode, Name: t.Name})
	}
	if a.MasterChanges != nil {
		changes := a.MasterChanges
		v.MasterChanges = &changes
	}
	if a.Status == archive.StatusErrored {
		v.Errors = &AssetErrors{Type: a.ErrorType, Messages: []string{a.ErrorMessage}}
	}
	if a.MasterVideoCodec != "" || a.MasterAudioCodec != "" {
		v.MasterCodecs = &MasterCodecs{Video: a.MasterVideoCodec, Audio: a.MasterAudioCodec}
	}
	v.MasterDamage = a.MasterDamage
	v.Duplicates = a.Duplicates
	v.StaticRenditions = r.staticRenditions(a, now)
	if m := archive.MP4SupportOf(a.Renditions); m != archive.MP4None {
		v.MP4Support = m
	}
	v.SourcePicture = sourcePicture(a.InputInfo)
	if a.InputInfo != nil && a.InputInfo.CapturedAt != "" {
		if t, err := time.Parse(time.RFC3339, a.InputInfo.CapturedAt); err == nil {
			v.CapturedAt = unixString(t)
		}
	}
	if a.Status == archive.StatusPreparing {
		v.Waiting, v.QueueAhead, v.Speed = a.Waiting, a.QueueAhead, NewSpeed(a)
	}
	if !a.MasterCheckedAt.IsZero() {
		v.MasterCheckedAt = unixString(a.MasterCheckedAt)
	}
	v.ThumbnailTime = a.ThumbnailTime
	v.Rebuild = NewRebuild(a)
	if a.LiveStreamID != "" && a.Duration > 0 {
		v.RecordingTimes = []RecordingTime{{StartedAt: a.CreatedAt.UTC().Format(time.RFC3339Nano),
			Duration: round3(a.Duration), Type: "content"}}
	}
	if a.ThumbnailFile != "" {
		v.ThumbnailURL = ThumbnailURL(a.ID)
	}
	if a.Status == archive.StatusReady {
		v.PlaybackURL = r.publicPlaybackURL(a.PlaybackIDs)
	}
	switch {
	case a.MasterAccess != archive.AccessTemporary:
		// Mux omits master entirely when access is none.
	case a.MasterStatus == archive.MasterReady && !a.LinkActive(now):
		// Expired but not yet swept: show what the sweeper is about to record.
		v.MasterAccess = archive.AccessNone
	case a.MasterStatus == archive.MasterReady:
		v.Master = &Master{Status: archive.MasterReady, URL: r.signer.Load().URL(a.ID, a.LinkGeneration, a.LinkExpiresAt)}
		v.MasterExpiresAt = unixString(a.LinkExpiresAt)
	default:
		v.Master = &Master{Status: a.MasterStatus}
		v.MasterError = a.MasterError
	}
	return v
}

// NewProgress is an asset's progress as Mux shows it.
func NewProgress(a archive.Asset) Progress {
	return Progress{State: a.ProgressState, Progress: round1(a.Progress)}
}

// EncodingTier is Mux's deprecated name for a video quality, shown to old
// clients.
func EncodingTier(videoQuality string) string {
	switch videoQuality {
	case "basic":
		return "baseline"
	case "premium":
		return "premium"
	}
	return "smart"
}

// VideoQualityOf maps Mux's deprecated encoding_tier in a request to the
// video quality it names; other values are passed on to be refused.
func VideoQualityOf(encodingTier string) string {
	switch encodingTier {
	case "baseline":
		return "basic"
	case "smart":
		return "plus"
	}
	return encodingTier
}

// math.Round, not int64(f+0.5): that truncates toward zero, and Mux's -1
// progress of an errored asset came out as -0.9.
func round1(f float64) float64 { return math.Round(f*10) / 10 }
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
