package httpapi

import (
	"context"
	"net/http"
)

// Settings is what the settings page reads and changes. The main package
// implements it: moving the share listener is wiring, not API.
type Settings interface {
	Settings(ctx context.Context) (SettingsView, error)
	UpdateSettings(ctx context.Context, p SettingsPatch) (SettingsView, error)
	AccessToken() (id, secret string)
}

// SettingsView is the settings page's data.
type SettingsView struct {
	DataDir         string          `json:"data_dir"`
	LinkTTLSeconds  int64           `json:"link_ttl_seconds"`
	ShareListen     string          `json:"share_listen"`   // host:port the share listener is bound to
	ShareBaseURL    string          `json:"share_base_url"` // what links start with
	PublicURLFixed  bool            `json:"public_url_fixed"`
	ShareOptions    []ShareOption   `json:"share_options"`
	APIURL          string          `json:"api_url"`
	RTMPURL         string          `json:"rtmp_url,omitempty"`
	RTMPListen      string          `json:"rtmp_listen,omitempty"` // host:port encoders connect to ("" when live ingest is off)
	TokenID         string          `json:"token_id"`
	FromCommandLine map[string]bool `json:"from_command_line,omitempty"` // settings the command line fixes
	FFmpegPath      string          `json:"ffmpeg_path"`                 // the folder (or ffmpeg file) set here, "" for none
	FFmpegInUse     string          `json:"ffmpeg_in_use"`               // the ffmpeg that runs
	FFmpegProblem   string          `json:"ffmpeg_problem,omitempty"`    // what is wrong with ffmpeg, for the user
	// Desktop notifications: whether they are on, and whether this process can show any
	// (only the desktop window does).
	Notifications          bool `json:"notifications"`
	NotificationsAvailable bool `json:"notifications_available"`
	// What links on a network are built on: "address" (the LAN address) or "name" (ShareName,
	// this computer's name.local, announced with mDNS; "" when it has none).
	ShareBase string `json:"share_base"`
	ShareName string `json:"share_name"`
}

// ShareOption is an address links can be shared on.
type ShareOption struct {
	Host  string `json:"host"`
	Label string `json:"label"`
}

// SettingsPatch changes settings; nil fields stay as they are.
type SettingsPatch struct {
	LinkTTLSeconds *int64  `json:"link_ttl_seconds"`
	ShareHost      *string `json:"share_host"`
	FFmpegPath     *string `json:"ffmpeg_path"` // "" clears it
	Notifications  *bool   `json:"notifications"`
	ShareBase      *string `json:"share_base"` // "address" or "name"
	RTMPHost       *string `json:"rtmp_host"`  // where encoders connect: one of share_options' hosts
}

func (s *Server) routeSettings(mux *http.ServeMux) {
	if s.Settings == nil {
		return
	}
	mux.HandleFunc("GET /ui/v1/settings", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Settings.Settings(r.Context())
		if err != nil {
			s.answerError(w, err)
			return
		}
		writeData(w, http.StatusOK, v)
	})
	mux.HandleFunc("PATCH /ui/v1/settings", func(w http.ResponseWriter, r *http.Request) {
		var p SettingsPatch
		if err := decodeJSON(w, r, &p); err != nil {
			s.answerError(w, err)
			return
		}
		v, err := s.Settings.UpdateSettings(r.Context(), p)
		if err != nil {
			s.answerError(w, err)
			return
		}
		writeData(w, http.StatusOK, v)
	})
	// The secret only on demand, so it is not on screen by default.
	mux.HandleFunc("GET /ui/v1/settings/access-token", func(w http.ResponseWriter, r *http.Request) {
		id, secret := s.Settings.AccessToken()
		w.Header().Set("Cache-Control", "no-store")
		writeData(w, http.StatusOK, map[string]string{"id": id, "secret": secret})
	})
}
