package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"reelvault/backend/httpapi"
	"reelvault/backend/store"
)

// Keys of the settings the window saves in the database.
const (
	settingLinkTTL   = "ui.link_ttl_seconds"
	settingShareHost = "ui.share_host"
)

// applySavedSettings puts what the settings page saved into cfg, except
// where a flag or environment variable gave the setting explicitly.
func applySavedSettings(ctx context.Context, db *store.DB, cfg *Config) error {
	if !cfg.Explicit["link-ttl"] {
		v, ok, err := db.Setting(ctx, settingLinkTTL)
		if err != nil {
			return err
		}
		if secs, perr := strconv.ParseInt(v, 10, 64); ok && perr == nil && secs > 0 {
			cfg.LinkTTL = time.Duration(secs) * time.Second
		}
	}
	if !cfg.Explicit["share-listen"] {
		host, ok, err := db.Setting(ctx, settingShareHost)
		if err != nil {
			return err
		}
		if _, port, serr := net.SplitHostPort(cfg.ShareListen); ok && serr == nil && host != "" {
			cfg.ShareListen = net.JoinHostPort(host, port)
		}
	}
	return nil
}

// appSettings is the settings page's view of the running backend.
type appSettings struct {
	b     *Backend
	token accessToken
}

func (s *appSettings) AccessToken() (string, string) { return s.token.ID, s.token.Secret }

func (s *appSettings) Settings(ctx context.Context) (httpapi.SettingsView, error) {
	b := s.b
	v := httpapi.SettingsView{
		DataDir:        b.cfg.DataDir,
		LinkTTLSeconds: int64(b.archive.LinkTTL().Seconds()),
		ShareListen:    b.share.Addr(),
		ShareBaseURL:   b.share.Signer().Base(),
		PublicURLFixed: b.cfg.PublicURL != "",
		ShareOptions:   shareOptions(),
		APIURL:         b.api.Info.APIURL,
		RTMPURL:        b.api.Info.RTMPURL,
		TokenID:        s.token.ID,
		FromCommandLine: map[string]bool{
			"link_ttl_seconds": b.cfg.Explicit["link-ttl"],
			"share_host":       b.cfg.Explicit["share-listen"],
		},
	}
	return v, nil
}

// maxLinkTTL is a year: links are meant to expire.
const maxLinkTTL = 365 * 24 * time.Hour

func (s *appSettings) UpdateSettings(ctx context.Context, p httpapi.SettingsPatch) (httpapi.SettingsView, error) {
	b := s.b
	if p.LinkTTLSeconds != nil {
		d := time.Duration(*p.LinkTTLSeconds) * time.Second
		if d < time.Minute || d > maxLinkTTL {
			return httpapi.SettingsView{}, &httpapi.SettingsError{Field: "link_ttl_seconds", Message: "must be between 60 seconds and a year"}
		}
	}
	if p.ShareHost != nil && !validShareHost(*p.ShareHost) {
		return httpapi.SettingsView{}, &httpapi.SettingsError{Field: "share_host",
			Message: fmt.Sprintf("%q is not an address of this computer", *p.ShareHost)}
	}
	if p.ShareHost != nil {
		signer, err := b.share.Move(*p.ShareHost)
		if err != nil {
			return httpapi.SettingsView{}, &httpapi.SettingsError{Field: "share_host", Message: err.Error()}
		}
		b.archive.SetSigner(signer)
		if err := b.db.SetSetting(ctx, settingShareHost, *p.ShareHost); err != nil {
			return httpapi.SettingsView{}, err
		}
	}
	if p.LinkTTLSeconds != nil {
		b.archive.SetLinkTTL(time.Duration(*p.LinkTTLSeconds) * time.Second)
		if err := b.db.SetSetting(ctx, settingLinkTTL, strconv.FormatInt(*p.LinkTTLSeconds, 10)); err != nil {
			return httpapi.SettingsView{}, err
		}
	}
	return s.Settings(ctx)
}

// shareOptions are the addresses links can be shared on: this computer
// only, each network interface, or all of them.
func shareOptions() []httpapi.ShareOption {
	opts := []httpapi.ShareOption{{Host: "127.0.0.1", Label: "This computer only"}}
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				opts = append(opts, httpapi.ShareOption{Host: ipn.IP.String(), Label: fmt.Sprintf("Local network (%s, %s)", ifc.Name, ipn.IP)})
			}
		}
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
