package app

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/lan"
)

// Config is the command line and environment (SPEC 5): each flag has a
// REELVAULT_* variable of the same name; a flag given wins over the variable.
type Config struct {
	DataDir     string
	Listen      string
	ShareListen string
	PublicURL   string
	RTMPListen  string
	LinkTTL     time.Duration
	Watch       []string
	TokenID     string
	TokenSecret string
	Verbose     bool

	AuditInterval time.Duration     // between fixity audits; below 0: off
	AuditShare    float64           // of the disk's time an audit may take, (0, 1]
	Retention     time.Duration     // how long delivered webhooks' records are kept; below 0: for ever
	DiskReserve   diskspace.Reserve // kept free on the data folder's disk: work waits rather than fill it
	ToolRecheck   time.Duration     // how often a missing ffmpeg is looked for again (no flag; 0: 30 s)
	Notifications bool              // the desktop window notifies (masters ready or failed, links downloaded)
	ShareByName   bool              // links use this computer's name.local (mDNS) instead of its LAN address

	// From says where each value came from: given on the command line or
	// in the environment, a value wins over what the settings page saved.
	From Origins
}

// Origin is where one setting's value came from.
type Origin uint8

const (
	Default     Origin = iota // nothing set it
	Saved                     // the settings page saved it
	Environment               // a REELVAULT_* variable
	Flag                      // a command-line flag
)

func (o Origin) String() string {
	return [...]string{"default", "saved", "environment", "flag"}[o]
}

// Fixed is true when the user gave the value when starting the app, so
// the settings page must not override it.
func (o Origin) Fixed() bool { return o == Environment || o == Flag }

// Origins records an Origin per field of Config.
type Origins struct {
	DataDir, Listen, ShareListen, PublicURL, RTMPListen, LinkTTL, Watch, Token, Verbose Origin
	AuditInterval, AuditShare, Retention, DiskReserve                                   Origin
	Notifications, ShareBase                                                            Origin
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, string(os.PathListSeparator)) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// ParseConfig reads flags (args without the subcommand) over the environment.
func ParseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	// env reads the variable of flag name (REELVAULT_ and the name in upper
	// case, '-' as '_'), records where the value came from in *origin, and
	// returns def when it is unset.
	origins := map[string]*Origin{}
	env := func(name, def string, origin *Origin) string {
		origins[name] = origin
		if v := getenv("REELVAULT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			*origin = Environment
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data", env("data", defaultDataDir(getenv), &c.From.DataDir), "folder for the database, masters and secrets (env REELVAULT_DATA)")
	fs.StringVar(&c.Listen, "listen", env("listen", "127.0.0.1:8910", &c.From.Listen), "address of the API and UI (env REELVAULT_LISTEN)")
	fs.StringVar(&c.ShareListen, "share-listen", env("share-listen", "127.0.0.1:8911", &c.From.ShareListen), "address that serves download links; 0.0.0.0:8911 shares on the LAN (env REELVAULT_SHARE_LISTEN)")
	fs.StringVar(&c.PublicURL, "public-url", env("public-url", "", &c.From.PublicURL), "base URL links are built on (default: from --share-listen) (env REELVAULT_PUBLIC_URL)")
	fs.StringVar(&c.RTMPListen, "rtmp-listen", env("rtmp-listen", "127.0.0.1:1935", &c.From.RTMPListen), "address of the RTMP ingest server (env REELVAULT_RTMP_LISTEN)")
	ttl := env("link-ttl", "24h", &c.From.LinkTTL)
	fs.Func("link-ttl", "lifetime of a download link, e.g. 24h, 30m (env REELVAULT_LINK_TTL)", func(v string) error { ttl = v; return nil })
	audit := env("audit-interval", "168h", &c.From.AuditInterval)
	fs.Func("audit-interval", "how often every master is re-hashed against its SHA-256, e.g. 168h; off turns it off (env REELVAULT_AUDIT_INTERVAL)", func(v string) error { audit = v; return nil })
	share := env("audit-share", "0.25", &c.From.AuditShare)
	fs.Func("audit-share", "the share of the disk's time an audit may take, from 0.01 to 1 (env REELVAULT_AUDIT_SHARE)", func(v string) error { share = v; return nil })
	retention := env("retention", "720h", &c.From.Retention)
	fs.Func("retention", "how long the records of delivered webhooks are kept, e.g. 720h; off keeps them (failed ones are always kept) (env REELVAULT_RETENTION)", func(v string) error { retention = v; return nil })
	reserve := env("disk-reserve", "2GB", &c.From.DiskReserve)
	fs.Func("disk-reserve", "free space kept on the data folder's disk, e.g. 2GB or 5%; downloads, uploads, builds and recordings wait (uploads answer 507) rather than use it (env REELVAULT_DISK_RESERVE)", func(v string) error { reserve = v; return nil })
	notifications := env("notifications", "on", &c.From.Notifications)
	fs.Func("notifications", "on or off: desktop notifications when a master is ready or fails and when a share link is first downloaded; only the window notifies (env REELVAULT_NOTIFICATIONS)", func(v string) error { notifications = v; return nil })
	shareBase := env("share-base", "address", &c.From.ShareBase)
	fs.Func("share-base", "address or name: links on a LAN use this computer's address, or its name.local announced with mDNS, which survives a new DHCP address (env REELVAULT_SHARE_BASE)", func(v string) error { shareBase = v; return nil })
	var watch stringList
	fs.Var(&watch, "watch", "a folder to watch for new videos; repeatable (env REELVAULT_WATCH, a path list)")
	fs.BoolVar(&c.Verbose, "verbose", env("verbose", "", &c.From.Verbose) != "", "log debug detail (env REELVAULT_VERBOSE)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	origins["watch"] = &c.From.Watch // its variable is a path list, read below
	fs.VisitAll(func(f *flag.Flag) {
		if origins[f.Name] == nil {
			panic("reelvault: flag --" + f.Name + " has no origin in Config.From") // caught by any test
		}
	})
	fs.Visit(func(f *flag.Flag) { *origins[f.Name] = Flag })
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (see %s -h)", fs.Arg(0), name)
	}
	d, err := time.ParseDuration(ttl)
	if err != nil || d <= 0 {
		return Config{}, fmt.Errorf("--link-ttl %q: give a positive duration such as 24h or 90m", ttl)
	}
	c.LinkTTL = d
	if c.AuditInterval, err = parseAuditInterval(audit); err != nil {
		return Config{}, err
	}
	if c.Retention, err = parseRetention(retention); err != nil {
		return Config{}, err
	}
	if c.DiskReserve, err = diskspace.ParseReserve(reserve); err != nil {
		return Config{}, fmt.Errorf("--disk-reserve %w", err)
	}
	if c.AuditShare, err = strconv.ParseFloat(share, 64); err != nil || !(c.AuditShare >= 0.01 && c.AuditShare <= 1) {
		return Config{}, fmt.Errorf("--audit-share %q: give a number from 0.01 to 1", share)
	}
	switch notifications {
	case "on", "off":
		c.Notifications = notifications == "on"
	default:
		return Config{}, fmt.Errorf("--notifications %q: give on or off", notifications)
	}
	switch shareBase {
	case "address", "name":
		c.ShareByName = shareBase == "name"
	default:
		return Config{}, fmt.Errorf("--share-base %q: give address or name", shareBase)
	}
	c.Watch = watch
	if len(c.Watch) == 0 && getenv("REELVAULT_WATCH") != "" {
		c.Watch = filepath.SplitList(getenv("REELVAULT_WATCH"))
		c.From.Watch = Environment
	}
	c.TokenID, c.TokenSecret = getenv("REELVAULT_TOKEN_ID"), getenv("REELVAULT_TOKEN_SECRET")
	if (c.TokenID == "") != (c.TokenSecret == "") {
		return Config{}, fmt.Errorf("set both REELVAULT_TOKEN_ID and REELVAULT_TOKEN_SECRET, or neither")
	}
	if c.TokenID != "" {
		c.From.Token = Environment
	}
	for flagName, addr := range map[string]string{"listen": c.Listen, "share-listen": c.ShareListen, "rtmp-listen": c.RTMPListen} {
		if !validListenAddr(addr) {
			return Config{}, fmt.Errorf("--%s %q: give host:port, e.g. 127.0.0.1:8910", flagName, addr)
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Config{}, fmt.Errorf("--public-url %q: give an absolute http(s) URL", c.PublicURL)
		}
	}
	if c.DataDir, err = filepath.Abs(c.DataDir); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parseAuditInterval reads --audit-interval: a duration of an hour or more, or "off".
func parseAuditInterval(v string) (time.Duration, error) {
	if v == "off" || v == "0" {
		return -1, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Hour || d > 10*365*24*time.Hour {
		return 0, fmt.Errorf("--audit-interval %q: give a duration from 1h to 87600h, such as 168h, or off", v)
	}
	return d, nil
}

// parseRetention reads --retention: a duration of a day or more, or "off".
func parseRetention(v string) (time.Duration, error) {
	if v == "off" {
		return -1, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 24*time.Hour || d > 100*365*24*time.Hour {
		return 0, fmt.Errorf("--retention %q: give a duration of 24h or more, such as 720h, or off", v)
	}
	return d, nil
}

// validListenAddr accepts host:port with a numeric port (0 picks a free one);
// net.SplitHostPort alone lets "rtmp://host" through as host "rtmp".
func validListenAddr(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

// defaultDataDir is the OS user data folder + reelvault: XDG's on Linux,
// %LOCALAPPDATA%\Reelvault on Windows, ~/Library/Application Support/Reelvault
// on macOS. It reads the same getenv as the flags, so what the caller passes
// is what is used.
func defaultDataDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		if dir := getenv("LOCALAPPDATA"); dir != "" {
			return filepath.Join(dir, "Reelvault")
		}
	case "darwin":
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, "Library", "Application Support", "Reelvault")
		}
	}
	if dir := getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "reelvault")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "reelvault")
	}
	return "reelvault-data"
}

// publicBase is the base of download links: --public-url; or, with a name (this computer's
// name.local, --share-base name) and a share listener on a network, that name; or the share
// listener's bound address (a wildcard host shown as this machine's LAN address, so colleagues
// can open it).
func publicBase(publicURL, name string, bound net.Addr) string {
	return publicBaseAmong(publicURL, name, bound, lan.Addresses)
}

// publicBaseAmong is publicBase with the computer's addresses from addresses.
func publicBaseAmong(publicURL, name string, bound net.Addr, addresses func() []lan.Address) string {
	if publicURL != "" {
		return strings.TrimRight(publicURL, "/")
	}
	if host, port, err := net.SplitHostPort(bound.String()); err == nil && name != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return "http://" + net.JoinHostPort(name, port)
		}
	}
	return "http://" + lan.ReachableAmong(bound, addresses)
}
