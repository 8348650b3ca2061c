package httpapi

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"reelvault/backend/archive"
	"reelvault/backend/media"
	"reelvault/backend/wire"
)

func (s *Server) routeUI(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/v1/info", s.info)
	mux.HandleFunc("GET "+wire.ThumbnailURL("{id}"), s.thumbnail)
	mux.HandleFunc("GET "+wire.MasterPlayURL("{id}"), s.playMaster)
	mux.HandleFunc("GET /ui/v1/assets/{id}/previews", s.previews)
	mux.HandleFunc("GET /ui/v1/assets/{id}/sprite.jpg", s.previewFile(func(p archive.Previews) string { return p.SpriteFile }))
	mux.HandleFunc("GET /ui/v1/assets/{id}/waveform.png", s.previewFile(func(p archive.Previews) string { return p.WaveformFile }))
	mux.HandleFunc("GET /ui/v1/assets/{id}/playback-copy", s.playbackCopy)
	mux.HandleFunc("GET /ui/v1/stream", s.stream)
	mux.HandleFunc("GET /ui/v1/storage", s.storage)
}

// storage is what the library takes on disk and what is left, for the window's header.
func (s *Server) storage(w http.ResponseWriter, r *http.Request) {
	st, err := s.Archive.Storage(r.Context())
	if err != nil {
		s.answerError(w, err)
		return
	}
	writeData(w, http.StatusOK, wire.Storage{
		UsedBytes: st.MastersBytes + st.OriginalsBytes, MastersBytes: st.MastersBytes, OriginalsBytes: st.OriginalsBytes,
		FreeBytes: st.FreeBytes, DiskBytes: st.DiskBytes,
	})
}

// info describes this instance; the share address and link lifetime can
// change while it runs (settings page), so they are read fresh.
func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	info := s.Info
	if s.Settings != nil {
		if v, err := s.Settings.Settings(r.Context()); err == nil {
			info.ShareBaseURL, info.LinkTTLSeconds, info.FFmpegProblem = v.ShareBaseURL, v.LinkTTLSeconds, v.FFmpegProblem
			if v.RTMPURL != "" {
				info.RTMPURL = v.RTMPURL // the RTMP listener may have moved
			}
		}
	}
	writeData(w, http.StatusOK, info)
}

func (s *Server) thumbnail(w http.ResponseWriter, r *http.Request) {
	p, err := s.Archive.ThumbnailPath(r.Context(), r.PathValue("id"))
	if errors.Is(err, archive.ErrNotFound) {
		writeError(w, http.StatusNotFound, errNotFound, "no thumbnail yet")
		return
	}
	if err != nil {
		s.answerError(w, err)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	http.ServeFile(w, r, p)
}

// previewsView is what the window needs to skim a card or draw a waveform; null parts
// were not made (yet, or cannot be: audio has no sprite, video no waveform).
type previewsView struct {
	Sprite      *spriteView `json:"sprite"`
	WaveformURL *string     `json:"waveform_url"`
	// Playback is the copy made when browsers cannot play the master; null when the
	// master plays as it is (or is not known not to).
	Playback *playbackView `json:"playback"`
}

type playbackView struct {
	State string  `json:"state"` // preparing | ready | failed
	URL   *string `json:"url"`   // once ready
}

type spriteView struct {
	URL string `json:"url"`
	media.Sprite
}

func (s *Server) previews(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := s.Archive.Previews(r.Context(), id)
	if err != nil {
		s.answerError(w, err)
		return
	}
	var v previewsView
	if p.Sprite != nil {
		v.Sprite = &spriteView{URL: "/ui/v1/assets/" + url.PathEscape(id) + "/sprite.jpg", Sprite: *p.Sprite}
	}
	if p.WaveformFile != "" {
		u := "/ui/v1/assets/" + url.PathEscape(id) + "/waveform.png"
		v.WaveformURL = &u
	}
	c, err := s.Archive.PlaybackCopy(r.Context(), id)
	if err != nil {
		s.answerError(w, err)
		return
	}
	if c.State != "" {
		v.Playback = &playbackView{State: c.State}
		if c.File != "" {
			u := "/ui/v1/assets/" + url.PathEscape(id) + "/playback-copy"
			v.Playback.URL = &u
		}
	}
	writeData(w, http.StatusOK, v)
}

// playbackCopy serves the copy of the master the window's player plays (Range
// requests to seek), 404 until it is made.
func (s *Server) playbackCopy(w http.ResponseWriter, r *http.Request) {
	c, err := s.Archive.PlaybackCopy(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	if c.File == "" {
		writeError(w, http.StatusNotFound, errNotFound, "no playback copy (yet)")
		return
	}
	kind := "video/mp4"
	if strings.HasSuffix(c.File, ".m4a") {
		kind = "audio/mp4"
	}
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Cache-Control", "private, no-cache") // a rebuilt master's copy keeps its URL
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeFile(w, r, c.File)
}

// previewFile serves one of an asset's preview pictures, 404 until it is made.
func (s *Server) previewFile(pick func(archive.Previews) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Archive.Previews(r.Context(), r.PathValue("id"))
		if err != nil {
			s.answerError(w, err)
			return
		}
		file := pick(p)
		if file == "" {
			writeError(w, http.StatusNotFound, errNotFound, "not made yet")
			return
		}
		w.Header().Set("Cache-Control", "private, max-age=300")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeFile(w, r, file)
	}
}

// playMaster serves a ready asset's master to the window's player, behind the
// UI's login like everything under /ui/v1. http.ServeContent answers Range
// requests, which a <video> element needs to seek.
func (s *Server) playMaster(w http.ResponseWriter, r *http.Request) {
	p, err := s.Archive.MasterPath(r.Context(), r.PathValue("id"))
	if err != nil {
		s.answerError(w, err)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		s.answerError(w, fmt.Errorf("opening the master to play: %w", err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.answerError(w, fmt.Errorf("reading the master's size: %w", err))
		return
	}
	w.Header().Set("Content-Type", "video/mp4")
	w.Header().Set("Cache-Control", "private, no-cache") // a rebuilt master keeps its URL
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "master.mp4", st.ModTime(), f)
}

// uiFiles serves the built frontend; unknown paths get index.html so the
// UI's own routes survive a reload.
func (s *Server) uiFiles() http.Handler {
	if s.UI == nil {
		return http.NotFoundHandler()
	}
	files := http.FileServerFS(s.UI)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, errInvalid, "method not allowed")
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		if _, err := fs.Stat(s.UI, name); err != nil {
			if strings.HasPrefix(name, "assets/") {
				// A build file that is not there (an old page asking for
				// last build's hash) must not get index.html cached as immutable.
				http.NotFound(w, r)
				return
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/"
			r = r2
		}
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // Vite hashes these names
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		files.ServeHTTP(w, r)
	})
}
