package archive

import (
	"math"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// View is an asset as the API shows it: Mux's asset object, plus
// Reelvault's own fields after Progress (Mux clients ignore unknown fields).
type View struct {
	ID                string       `json:"id"`
	CreatedAt         any          `json:"created_at"` // string in the API, integer in webhooks (as Mux)
	Status            string       `json:"status"`
	Errors            *ViewErrors  `json:"errors,omitempty"`
	Duration          float64      `json:"duration,omitempty"`
	AspectRatio       string       `json:"aspect_ratio,omitempty"`
	MaxResolutionTier string       `json:"max_resolution_tier"`
	ResolutionTier    string       `json:"resolution_tier,omitempty"`
	VideoQuality      string       `json:"video_quality"`
	EncodingTier      string       `json:"encoding_tier"`
	MasterAccess      string       `json:"master_access"`
	Master            *ViewMaster  `json:"master,omitempty"`
	Tracks            []Track      `json:"tracks,omitempty"`
	Passthrough       string       `json:"passthrough,omitempty"`
	Meta              *Meta        `json:"meta,omitempty"`
	UploadID          string       `json:"upload_id,omitempty"`
	LiveStreamID      string       `json:"live_stream_id,omitempty"`
	IsLive            bool         `json:"is_live"`
	IngestType        string       `json:"ingest_type"`
	PlaybackIDs       []struct{}   `json:"playback_ids"`
	Progress          ViewProgress `json:"progress"`

	Source          string      `json:"source"`
	Input           string      `json:"input,omitempty"`
	Title           string      `json:"title"` // meta.title, or the input's file name
	MasterMode      string      `json:"master_mode,omitempty"`
	MasterReason    string      `json:"master_reason,omitempty"`
	MasterCodecs    *ViewCodecs `json:"master_codecs,omitempty"`
	MasterSize      int64       `json:"master_size,omitempty"`
	MasterSHA256    string      `json:"master_sha256,omitempty"`
	MasterExpiresAt string      `json:"master_expires_at,omitempty"`
	MasterError     string      `json:"master_error,omitempty"`
	ThumbnailURL    string      `json:"thumbnail_url,omitempty"`
	MasterDamage    string      `json:"master_damage,omitempty"`     // what the fixity audit found wrong
	MasterCheckedAt string      `json:"master_checked_at,omitempty"` // when it last re-hashed the master
}

type ViewErrors struct {
	Type     string   `json:"type"`
	Messages []string `json:"messages"`
}

type ViewMaster struct {
	Status string `json:"status"`
	URL    string `json:"url,omitempty"`
}

type ViewProgress struct {
	State    string  `json:"state"`
	Progress float64 `json:"progress"`
}

type ViewCodecs struct {
	Video string `json:"video,omitempty"`
	Audio string `json:"audio,omitempty"`
}

// View renders the asset for the API as of now.
func (s *Service) View(a Asset) View {
	v := s.view(a, s.now())
	v.CreatedAt = strconv.FormatInt(a.CreatedAt.Unix(), 10)
	return v
}

// webhookView renders the asset for an event's data: created_at an integer.
func (s *Service) webhookView(a Asset, now time.Time) View {
	v := s.view(a, now)
	v.CreatedAt = a.CreatedAt.Unix()
	return v
}

func (s *Service) view(a Asset, now time.Time) View {
	v := View{
		ID: a.ID, Status: a.Status, Duration: round3(a.Duration), AspectRatio: a.AspectRatio,
		MaxResolutionTier: a.MaxResolutionTier, ResolutionTier: a.ResolutionTier,
		VideoQuality: a.VideoQuality, EncodingTier: encodingTier(a.VideoQuality),
		MasterAccess: a.MasterAccess, Tracks: a.Tracks, Passthrough: a.Passthrough,
		UploadID: a.UploadID, LiveStreamID: a.LiveStreamID, IsLive: a.IsLive, IngestType: a.IngestType,
		PlaybackIDs: []struct{}{},
		Progress:    ViewProgress{State: a.ProgressState, Progress: round1(a.Progress)},
		Source:      a.Source, Input: a.Input, Title: displayTitle(a),
		MasterMode: a.MasterMode, MasterReason: a.MasterReason, MasterSize: a.MasterSize, MasterSHA256: a.MasterSHA256,
	}
	if a.Meta != (Meta{}) {
		m := a.Meta
		v.Meta = &m
	}
	if a.Status == StatusErrored {
		v.Errors = &ViewErrors{Type: a.ErrorType, Messages: []string{a.ErrorMessage}}
	}
	if a.MasterVideoCodec != "" || a.MasterAudioCodec != "" {
		v.MasterCodecs = &ViewCodecs{Video: a.MasterVideoCodec, Audio: a.MasterAudioCodec}
	}
	v.MasterDamage = a.MasterDamage
	if !a.MasterCheckedAt.IsZero() {
		v.MasterCheckedAt = strconv.FormatInt(a.MasterCheckedAt.Unix(), 10)
	}
	if a.ThumbnailFile != "" {
		v.ThumbnailURL = "/ui/v1/assets/" + a.ID + "/thumbnail.jpg"
	}
	switch {
	case a.MasterAccess != AccessTemporary:
		// Mux omits master entirely when access is none.
	case a.MasterStatus == MasterReady && !a.linkActive(now):
		// Expired but not yet swept: show what the sweeper is about to record.
		v.MasterAccess = AccessNone
	case a.MasterStatus == MasterReady:
		v.Master = &ViewMaster{Status: MasterReady, URL: s.signer.Load().URL(a.ID, a.LinkGeneration, a.LinkExpiresAt)}
		v.MasterExpiresAt = strconv.FormatInt(a.LinkExpiresAt.Unix(), 10)
	default:
		v.Master = &ViewMaster{Status: a.MasterStatus}
		v.MasterError = a.MasterError
	}
	return v
}

func displayTitle(a Asset) string {
	if a.Meta.Title != "" {
		return a.Meta.Title
	}
	switch a.Source {
	case SourceFile, SourceWatch:
		return trimFileExt(filepath.Base(a.Input))
	case SourceURL:
		// The URL's last path segment, decoded ("my%20clip.mp4" reads "my clip").
		if u, err := url.Parse(a.Input); err == nil {
			if name := path.Base(u.Path); name != "/" && name != "." {
				return trimFileExt(name)
			}
		}
	}
	return "Untitled " + a.CreatedAt.Format("2006-01-02 15:04")
}

// trimFileExt drops a file extension ("clip.mov" -> "clip") but keeps a
// name whose last dot is no extension ("Dr. Who", "Episode 1.5").
func trimFileExt(name string) string {
	ext := filepath.Ext(name)
	if len(ext) < 2 || len(ext) > 6 || len(ext) == len(name) {
		return name
	}
	letters := 0
	for _, r := range ext[1:] {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		case r < '0' || r > '9':
			return name
		}
	}
	if letters == 0 {
		return name
	}
	return strings.TrimSuffix(name, ext)
}

// encodingTier is Mux's deprecated name for video_quality, kept for old clients.
func encodingTier(q string) string {
	switch q {
	case "basic":
		return "baseline"
	case "premium":
		return "premium"
	}
	return "smart"
}

// math.Round, not int64(f+0.5): that truncates toward zero, and Mux's -1
// progress of an errored asset came out as -0.9.
func round1(f float64) float64 { return math.Round(f*10) / 10 }
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
