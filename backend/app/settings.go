package app

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/fail"
	"reelvault/backend/httpapi"
	"reelvault/backend/internal/lan"
	"reelvault/backend/links"
	"reelvault/backend/live"
	"reelvault/backend/media"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

// Keys of the settings the window saves in the database.
const (
	settingLinkTTL   = "ui.link_ttl_seconds"
	settingShareHost = "ui.share_host"
	settingRTMPHost  = "ui.rtmp_host"
	// "on" or "off"; unset is on.
	settingNotifications = "ui.notifications"
	// "address" or "name": what links on a network are built on.
	settingShareBase = "ui.share_base"
)

// applySavedSettings puts what the settings page saved into cfg, except
// where a flag or environment variable gave the setting.
func applySavedSettings(ctx context.Context, db *store.DB, cfg *Config) error {
	if !cfg.From.LinkTTL.Fixed() {
		v, ok, err := db.Setting(ctx, settingLinkTTL)
		if err != nil {
			return err
		}
		if secs, perr := strconv.ParseInt(v, 10, 64); ok && perr == nil && secs > 0 {
			cfg.LinkTTL, cfg.From.LinkTTL = time.Duration(secs)*time.Second, Saved
		}
	}
	if !cfg.From.Notifications.Fixed() {
		v, ok, err := db.Setting(ctx, settingNotifications)
		if err != nil {
			return err
		}
		if ok && (v == "on" || v == "off") {
			cfg.Notifications, cfg.From.Notifications = v == "on", Saved
		}
	}
	if !cfg.From.ShareBase.Fixed() {
		v, ok, err := db.Setting(ctx, settingShareBase)
		if err != nil {
			return err
		}
		if ok && (v == "address" || v == "name") {
			cfg.ShareByName, cfg.From.ShareBase = v == "name", Saved
		}
	}
	for _, l := range []struct {
		key    string
		listen *string
		from   *Origin
	}{{settingShareHost, &cfg.ShareListen, &cfg.From.ShareListen}, {settingRTMPHost, &cfg.RTMPListen, &cfg.From.RTMPListen}} {
		if l.from.Fixed() {
			continue
		}
		host, ok, err := db.Setting(ctx, l.key)
		if err != nil {
			return err
		}
		if _, port, serr := net.SplitHostPort(*l.listen); ok && serr == nil && host != "" {
			*l.listen, *l.from = net.JoinHostPort(host, port), Saved
		}
	}
	return nil
}

// settingsPage is the settings page's view of the running app: it reads
// and changes the link lifetime (the archive's) and the share address (the
// share server's), and keeps what it changes in the database.
type settingsPage struct {
	db      *store.DB
	archive *archive.Service
	assets  *wire.Assets
	share   *shareServer
	token   accessToken
	cfg     Config // as the app started: data folder, --public-url and where values came from
	tools   *ffmpegLookout
	apiURL  string
	live    *live.Service
	notices *notices // nil where nothing notifies (serve)
}

func (s *settingsPage) AccessToken() (string, string) { return s.token.ID, s.token.Secret }

func (s *settingsPage) Settings(ctx context.Context) (httpapi.SettingsView, error) {
	ffmpegPath, _, err := s.db.Setting(ctx, settingFFmpegPath)
	if err != nil {
		return httpapi.SettingsView{}, err
	}
	inUse, _ := media.ToolsPaths()
	return httpapi.SettingsView{
		FFmpegPath:     ffmpegPath,
		FFmpegInUse:    inUse,
		FFmpegProblem:  media.ToolsProblem(),
		DataDir:        s.cfg.DataDir,
		LinkTTLSeconds: int64(s.archive.LinkTTL().Seconds()),
		ShareListen:    s.share.Addr(),
		ShareBaseURL:   s.share.Signer().Base(),
		PublicURLFixed: s.cfg.PublicURL != "",
		ShareOptions:   shareOptions(),
		APIURL:         s.apiURL,
		RTMPURL:        s.rtmpURL(),
		RTMPListen:     s.rtmpListen(),
		TokenID:        s.token.ID,
		// Only the desktop window notifies; elsewhere the switch is shown off and cannot move.
		ShareBase:              map[bool]string{true: "name", false: "address"}[s.share.ByName()],
		ShareName:              s.share.LocalName(),
		NotificationsAvailable: s.notices != nil,
		Notifications:          s.notices != nil && s.notices.enabled.Load(),
		FromCommandLine: map[string]bool{
			"link_ttl_seconds": s.cfg.From.LinkTTL.Fixed(),
			"share_host":       s.cfg.From.ShareListen.Fixed(),
			"notifications":    s.cfg.From.Notifications.Fixed(),
			"share_base":       s.cfg.From.ShareBase.Fixed(),
			"rtmp_host":        s.cfg.From.RTMPListen.Fixed(),
		},
	}, nil
}

// maxLinkTTL is a year: links are meant to expire.
const maxLinkTTL = 365 * 24 * time.Hour

// UpdateSettings checks the patch, saves it, then applies it to the running
// app: a restart always comes back to what the page last showed. A share
// address that cannot be bound puts the saved one back.
// checkSettingsPatch checks every value of a patch before anything is saved.
func checkSettingsPatch(p httpapi.SettingsPatch) error {
	if p.LinkTTLSeconds != nil {
		// Compared in seconds: multiplied first, a huge number wraps around
		// into the range (18446744134 s became 60 s).
		if n := *p.LinkTTLSeconds; n < int64(time.Minute/time.Second) || n > int64(maxLinkTTL/time.Second) {
			return fail.Invalid("link_ttl_seconds", "must be between 60 seconds and a year")
		}
	}
	if p.ShareBase != nil && *p.ShareBase != "address" && *p.ShareBase != "name" {
		return fail.Invalid("share_base", "must be address or name")
	}
	if p.ShareHost != nil && !validShareHost(*p.ShareHost) {
		return fail.Invalid("share_host", "%q is not an address of this computer", *p.ShareHost)
	}
	if p.RTMPHost != nil && !validShareHost(*p.RTMPHost) {
		return fail.Invalid("rtmp_host", "%q is not an address of this computer", *p.RTMPHost)
	}
	if p.FFmpegPath != nil {
		return checkToolsPath(*p.FFmpegPath)
	}
	return nil
}

// checkAgainstStart refuses a patch of a setting the command line fixed, or of one this
// process has no use for.
func (s *settingsPage) checkAgainstStart(p httpapi.SettingsPatch) error {
	if p.Notifications != nil {
		if s.notices == nil {
			return fail.Invalid("notifications", "only the desktop window shows notifications")
		}
		if s.cfg.From.Notifications.Fixed() {
			return fail.Invalid("notifications", "set when Reelvault was started (--notifications or REELVAULT_NOTIFICATIONS)")
		}
	}
	if p.RTMPHost != nil && s.live == nil {
		return fail.Invalid("rtmp_host", "live ingest is not part of this process")
	}
	if p.RTMPHost != nil && s.cfg.From.RTMPListen.Fixed() {
		return fail.Invalid("rtmp_host", "set when Reelvault was started (--rtmp-listen or REELVAULT_RTMP_LISTEN)")
	}
	if p.ShareBase != nil {
		if s.cfg.From.ShareBase.Fixed() {
			return fail.Invalid("share_base", "set when Reelvault was started (--share-base or REELVAULT_SHARE_BASE)")
		}
		if *p.ShareBase == "name" && s.share.LocalName() == "" {
			return fail.Invalid("share_base", "this computer has no name that can be announced on the network")
		}
	}
	return nil
}

func (s *settingsPage) UpdateSettings(ctx context.Context, p httpapi.SettingsPatch) (httpapi.SettingsView, error) {
	if err := checkSettingsPatch(p); err != nil {
		return httpapi.SettingsView{}, err
	}
	if err := s.checkAgainstStart(p); err != nil {
		return httpapi.SettingsView{}, err
	}
	if p.ShareHost != nil {
		var signer *links.Signer
		if err := s.saveThenApply(ctx, settingShareHost, "share_host", *p.ShareHost, func() (err error) {
			signer, err = s.share.Move(*p.ShareHost)
			return err
		}); err != nil {
			return httpapi.SettingsView{}, err
		}
		s.assets.SetSigner(signer)
	}
	if p.RTMPHost != nil {
		if err := s.saveThenApply(ctx, settingRTMPHost, "rtmp_host", *p.RTMPHost, func() error {
			_, err := s.live.Move(*p.RTMPHost)
			return err
		}); err != nil {
			return httpapi.SettingsView{}, err
		}
	}
	if p.ShareBase != nil {
		if err := s.db.SetSetting(ctx, settingShareBase, *p.ShareBase); err != nil {
			return httpapi.SettingsView{}, err
		}
		signer, err := s.share.SetByName(*p.ShareBase == "name")
		if err != nil {
			return httpapi.SettingsView{}, err
		}
		s.assets.SetSigner(signer)
	}
	if p.LinkTTLSeconds != nil {
		if err := s.db.SetSetting(ctx, settingLinkTTL, strconv.FormatInt(*p.LinkTTLSeconds, 10)); err != nil {
			return httpapi.SettingsView{}, err
		}
		s.archive.SetLinkTTL(time.Duration(*p.LinkTTLSeconds) * time.Second)
	}
	if p.Notifications != nil {
		v := map[bool]string{true: "on", false: "off"}[*p.Notifications]
		if err := s.db.SetSetting(ctx, settingNotifications, v); err != nil {
			return httpapi.SettingsView{}, err
		}
		s.notices.enabled.Store(*p.Notifications)
	}
	if p.FFmpegPath != nil {
		save := func() error { return s.db.SetSetting(ctx, settingFFmpegPath, *p.FFmpegPath) }
		if *p.FFmpegPath == "" {
			save = func() error { return s.db.DeleteSetting(ctx, settingFFmpegPath) }
		}
		if err := save(); err != nil {
			return httpapi.SettingsView{}, err
		}
		s.tools.locate(ctx) // builds waiting for ffmpeg go on if it is there now
	}
	return s.Settings(ctx)
}

// saveThenApply saves key (a listener's host) first, so a restart comes back to what the page
// shows, then applies it; if applying fails it was not applied, so it is not kept: the value
// saved before is put back, and the error names field.
func (s *settingsPage) saveThenApply(ctx context.Context, key, field, value string, apply func() error) error {
	saved, had, err := s.db.Setting(ctx, key)
	if err != nil {
		return err
	}
	if err := s.db.SetSetting(ctx, key, value); err != nil {
		return err
	}
	if err := apply(); err != nil {
		restore := func() error { return s.db.DeleteSetting(ctx, key) }
		if had {
			restore = func() error { return s.db.SetSetting(ctx, key, saved) }
		}
		if rerr := restore(); rerr != nil {
			return fmt.Errorf("%v; and restoring the saved %s: %w", err, field, rerr)
		}
		return fail.Invalid(field, "%s", err)
	}
	return nil
}

// rtmpURL and rtmpListen are where encoders connect ("" without live ingest).
func (s *settingsPage) rtmpURL() string {
	if s.live == nil {
		return ""
	}
	return s.live.RTMPURL()
}

func (s *settingsPage) rtmpListen() string {
	if s.live == nil || s.live.Addr() == nil {
		return ""
	}
	return s.live.Addr().String()
}

// checkToolsPath accepts "" (none) or an absolute path to an existing folder or file; whether
// ffmpeg is there is what the page then shows (ffmpeg_problem).
func checkToolsPath(p string) error {
	if p == "" {
		return nil
	}
	if len(p) > 4096 || strings.ContainsRune(p, 0) || !filepath.IsAbs(p) {
		return fail.Invalid("ffmpeg_path", "give the absolute path of the folder that holds ffmpeg and ffprobe")
	}
	if _, err := os.Stat(p); err != nil {
		return fail.Invalid("ffmpeg_path", "%s does not exist", p)
	}
	return nil
}

// shareOptions are the addresses links can be shared on: this computer
// only, each network interface, or all of them.
func shareOptions() []httpapi.ShareOption {
	opts := []httpapi.ShareOption{{Host: "127.0.0.1", Label: "This computer only"}}
	for _, a := range lan.Addresses() {
		opts = append(opts, httpapi.ShareOption{Host: a.IP.String(), Label: fmt.Sprintf("Local network (%s, %s)", a.Interface, a.IP)})
	}
	return append(opts, httpapi.ShareOption{Host: "0.0.0.0", Label: "Every network of this computer"})
}

func validShareHost(host string) bool {
	for _, o := range shareOptions() {
		if o.Host == host {
			return true
		}
	}
	return false
}
