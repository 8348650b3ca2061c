package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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

	// Explicit names the settings given by flag or environment: those win
	// over what the settings page saved.
	Explicit map[string]bool
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, string(os.PathListSeparator)) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// parseConfig reads flags (args without the subcommand) over the environment.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(key, def string) string {
		if v := getenv("REELVAULT_" + key); v != "" {
			return v
		}
		return def
	}
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data", env("DATA", defaultDataDir(getenv)), "folder for the database, masters and secrets (env REELVAULT_DATA)")
	fs.StringVar(&c.Listen, "listen", env("LISTEN", "127.0.0.1:8910"), "address of the API and UI (env REELVAULT_LISTEN)")
	fs.StringVar(&c.ShareListen, "share-listen", env("SHARE_LISTEN", "127.0.0.1:8911"), "address that serves download links; 0.0.0.0:8911 shares on the LAN (env REELVAULT_SHARE_LISTEN)")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "base URL links are built on (default: from --share-listen) (env REELVAULT_PUBLIC_URL)")
	fs.StringVar(&c.RTMPListen, "rtmp-listen", env("RTMP_LISTEN", "127.0.0.1:1935"), "address of the RTMP ingest server (env REELVAULT_RTMP_LISTEN)")
	ttl := env("LINK_TTL", "24h")
	fs.Func("link-ttl", "lifetime of a download link, e.g. 24h, 30m (env REELVAULT_LINK_TTL)", func(v string) error { ttl = v; return nil })
	var watch stringList
	fs.Var(&watch, "watch", "a folder to watch for new videos; repeatable (env REELVAULT_WATCH, a path list)")
	fs.BoolVar(&c.Verbose, "verbose", getenv("REELVAULT_VERBOSE") != "", "log debug detail (env REELVAULT_VERBOSE)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	c.Explicit = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { c.Explicit[f.Name] = true })
	for name, key := range map[string]string{"share-listen": "SHARE_LISTEN", "link-ttl": "LINK_TTL", "public-url": "PUBLIC_URL"} {
		if getenv("REELVAULT_"+key) != "" {
			c.Explicit[name] = true
		}
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (see %s -h)", fs.Arg(0), name)
	}
	d, err := time.ParseDuration(ttl)
	if err != nil || d <= 0 {
		return Config{}, fmt.Errorf("--link-ttl %q: give a positive duration such as 24h or 90m", ttl)
	}
	c.LinkTTL = d
	c.Watch = watch
	if len(c.Watch) == 0 && getenv("REELVAULT_WATCH") != "" {
		c.Watch = filepath.SplitList(getenv("REELVAULT_WATCH"))
	}
	c.TokenID, c.TokenSecret = getenv("REELVAULT_TOKEN_ID"), getenv("REELVAULT_TOKEN_SECRET")
	if (c.TokenID == "") != (c.TokenSecret == "") {
		return Config{}, fmt.Errorf("set both REELVAULT_TOKEN_ID and REELVAULT_TOKEN_SECRET, or neither")
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

// defaultDataDir is the OS user data folder + /reelvault. It reads the
// same getenv as the flags, so what the caller passes is what is used.
func defaultDataDir(getenv func(string) string) string {
	if dir := getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "reelvault")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "reelvault")
	}
	return "reelvault-data"
}

// publicBase is the base of download links: --public-url, or the share
// listener's bound address (with a wildcard host replaced by this machine's
// LAN address, so colleagues can open it).
func publicBase(c Config, bound net.Addr) string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, _ := net.SplitHostPort(bound.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = lanAddress()
	}
	return "http://" + net.JoinHostPort(host, port)
}

// lanAddress is the first non-loopback IPv4 address of this machine.
func lanAddress() string {
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
				return ipn.IP.String()
			}
		}
	}
	return "127.0.0.1"
}
