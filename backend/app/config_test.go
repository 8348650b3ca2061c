package app

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/diskspace"
)

// envOf is a getenv over a fixed map, so the real environment plays no part.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig("reelvault serve", nil, envOf(map[string]string{"XDG_DATA_HOME": "/srv/data"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{DataDir: "/srv/data/reelvault", Listen: "127.0.0.1:8910", ShareListen: "127.0.0.1:8911",
		RTMPListen: "127.0.0.1:1935", LinkTTL: 24 * time.Hour, AuditInterval: 7 * 24 * time.Hour, AuditShare: 0.25, Retention: 30 * 24 * time.Hour,
		DiskReserve: diskspace.Reserve{Bytes: 2e9}, Notifications: true}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseConfigEnvironment(t *testing.T) {
	env := envOf(map[string]string{
		"REELVAULT_DATA": "/data/rv", "REELVAULT_LISTEN": "127.0.0.1:9000", "REELVAULT_SHARE_LISTEN": "0.0.0.0:9001",
		"REELVAULT_PUBLIC_URL": "https://share.example.com/rv", "REELVAULT_RTMP_LISTEN": "0.0.0.0:1936",
		"REELVAULT_LINK_TTL": "90m", "REELVAULT_WATCH": "/in/a" + string(os.PathListSeparator) + "/in/b",
		"REELVAULT_TOKEN_ID": "id1", "REELVAULT_TOKEN_SECRET": "secret1", "REELVAULT_VERBOSE": "1",
		"REELVAULT_AUDIT_INTERVAL": "24h", "REELVAULT_AUDIT_SHARE": "0.5", "REELVAULT_DISK_RESERVE": "5%",
		"REELVAULT_NOTIFICATIONS": "off", "REELVAULT_SHARE_BASE": "name",
	})
	c, err := ParseConfig("reelvault serve", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{DataDir: "/data/rv", Listen: "127.0.0.1:9000", ShareListen: "0.0.0.0:9001",
		PublicURL: "https://share.example.com/rv", RTMPListen: "0.0.0.0:1936", LinkTTL: 90 * time.Minute,
		Watch: []string{"/in/a", "/in/b"}, TokenID: "id1", TokenSecret: "secret1", Verbose: true,
		AuditInterval: 24 * time.Hour, AuditShare: 0.5, Retention: 30 * 24 * time.Hour, DiskReserve: diskspace.Reserve{Share: 0.05},
		ShareByName: true,
		// Given in the environment: these win over what the settings page saved.
		From: Origins{DataDir: Environment, Listen: Environment, ShareListen: Environment, PublicURL: Environment,
			RTMPListen: Environment, LinkTTL: Environment, Watch: Environment, Token: Environment, Verbose: Environment,
			AuditInterval: Environment, AuditShare: Environment, DiskReserve: Environment, Notifications: Environment,
			ShareBase: Environment}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("from the environment:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseConfigFlagsWinOverEnvironment(t *testing.T) {
	env := envOf(map[string]string{
		"REELVAULT_DATA": "/env/data", "REELVAULT_LISTEN": "127.0.0.1:9000", "REELVAULT_SHARE_LISTEN": "127.0.0.1:9001",
		"REELVAULT_LINK_TTL": "90m", "REELVAULT_WATCH": "/env/watch",
	})
	c, err := ParseConfig("reelvault serve", []string{
		"--data", "/flag/data", "--listen", "127.0.0.1:0", "--share-listen=[::1]:0", "--link-ttl", "45s",
		"--watch", "/flag/one", "--watch", "/flag/two", "--public-url", "http://nas.local:8911",
	}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/flag/data" || c.Listen != "127.0.0.1:0" || c.ShareListen != "[::1]:0" ||
		c.LinkTTL != 45*time.Second || c.PublicURL != "http://nas.local:8911" {
		t.Errorf("flags did not win: %+v", c)
	}
	want := Origins{DataDir: Flag, Listen: Flag, ShareListen: Flag, PublicURL: Flag, LinkTTL: Flag, Watch: Flag}
	if c.From != want {
		t.Errorf("origins = %+v, want %+v (flags given, nothing else set)", c.From, want)
	}
	if !c.From.LinkTTL.Fixed() || !c.From.ShareListen.Fixed() || c.From.RTMPListen.Fixed() {
		t.Errorf("flag-given values must be fixed, defaults not: %+v", c.From)
	}
	// --watch is repeatable and, when given, replaces REELVAULT_WATCH.
	if !reflect.DeepEqual(c.Watch, []string{"/flag/one", "/flag/two"}) {
		t.Errorf("watch = %q, want the two --watch flags", c.Watch)
	}
}

func TestParseConfigRelativeDataBecomesAbsolute(t *testing.T) {
	c, err := ParseConfig("reelvault serve", []string{"--data", "rv-data"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if c.DataDir != filepath.Join(wd, "rv-data") {
		t.Errorf("data = %q, want it made absolute against %s", c.DataDir, wd)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"bad --link-ttl", []string{"--link-ttl", "forever"}, nil, "--link-ttl"},
		{"zero --link-ttl", []string{"--link-ttl", "0s"}, nil, "--link-ttl"},
		{"negative --link-ttl", []string{"--link-ttl", "-1h"}, nil, "--link-ttl"},
		{"bad REELVAULT_LINK_TTL", nil, map[string]string{"REELVAULT_LINK_TTL": "1 day"}, "link-ttl"},
		{"--listen without port", []string{"--listen", "127.0.0.1"}, nil, "--listen"},
		{"--listen garbage", []string{"--listen", "not an address"}, nil, "--listen"},
		{"bad REELVAULT_SHARE_LISTEN", nil, map[string]string{"REELVAULT_SHARE_LISTEN": "8911"}, "--share-listen"},
		{"bad --rtmp-listen", []string{"--rtmp-listen", "rtmp://x"}, nil, "--rtmp-listen"},
		{"bad --disk-reserve", []string{"--disk-reserve", "plenty"}, nil, "--disk-reserve"},
		{"bad --notifications", []string{"--notifications", "yes"}, nil, "--notifications"},
		{"bad REELVAULT_SHARE_BASE", nil, map[string]string{"REELVAULT_SHARE_BASE": "mdns"}, "--share-base"},
		{"--disk-reserve of the whole disk", []string{"--disk-reserve", "100%"}, nil, "--disk-reserve"},
		{"relative --public-url", []string{"--public-url", "share.example.com"}, nil, "--public-url"},
		{"ftp --public-url", []string{"--public-url", "ftp://share.example.com"}, nil, "--public-url"},
		{"token id only", nil, map[string]string{"REELVAULT_TOKEN_ID": "id"}, "REELVAULT_TOKEN_SECRET"},
		{"token secret only", nil, map[string]string{"REELVAULT_TOKEN_SECRET": "s"}, "REELVAULT_TOKEN_ID"},
		{"stray argument", []string{"extra"}, nil, "extra"},
		{"unknown flag", []string{"--colour"}, nil, "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr strings.Builder
			_, err := ParseConfig("reelvault serve", c.args, envOf(c.env), &stderr)
			if err == nil {
				t.Fatalf("no error")
			}
			if msg := err.Error() + stderr.String(); !strings.Contains(msg, c.wantErr) {
				t.Errorf("error %q (stderr %q) does not mention %q", err, stderr.String(), c.wantErr)
			}
		})
	}
}

func TestParseArgsStopsOnBadInvocations(t *testing.T) {
	env := envOf(map[string]string{"XDG_DATA_HOME": t.TempDir()})
	for _, c := range []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad flag value", []string{"serve", "--link-ttl", "soon"}, 2, "--link-ttl"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			_, code, ok := ParseArgs(c.args, env, &stdout, &stderr)
			if ok || code != c.wantCode || !strings.Contains(stderr.String(), c.wantOut) {
				t.Errorf("ParseArgs(%q) = %d %v, stderr %q; want %d and %q", c.args, code, ok, stderr.String(), c.wantCode, c.wantOut)
			}
		})
	}
	var stdout strings.Builder
	if _, code, ok := ParseArgs([]string{"version"}, env, &stdout, io.Discard); ok || code != 0 || !strings.Contains(stdout.String(), Version) {
		t.Errorf("version: %d %v %q", code, ok, stdout.String())
	}
	for args, window := range map[string]bool{"": true, "serve": false} {
		c, _, ok := ParseArgs(strings.Fields(args), env, io.Discard, io.Discard)
		if !ok || c.Window != window {
			t.Errorf("ParseArgs(%q) = %+v %v, want window %v", args, c, ok, window)
		}
	}
}

func TestPublicBase(t *testing.T) {
	addr := func(s string) fakeAddr { return fakeAddr(s) }
	if got := publicBase("", "", addr("127.0.0.1:8911")); got != "http://127.0.0.1:8911" {
		t.Errorf("loopback: %q", got)
	}
	if got := publicBase("https://share.example.com/rv/", "studio.local", addr("0.0.0.0:8911")); got != "https://share.example.com/rv" {
		t.Errorf("--public-url: %q", got)
	}
	// A wildcard listener is shared on the LAN: links must name a reachable
	// address, never 0.0.0.0.
	if got := publicBase("", "", addr("0.0.0.0:8911")); strings.Contains(got, "0.0.0.0") || !strings.HasSuffix(got, ":8911") {
		t.Errorf("wildcard: %q, want this machine's address with port 8911", got)
	}
	// --share-base name: the .local name on a network, never on loopback (only this
	// computer reaches it, by address).
	if got := publicBase("", "studio.local", addr("0.0.0.0:8911")); got != "http://studio.local:8911" {
		t.Errorf("by name on the LAN: %q", got)
	}
	if got := publicBase("", "studio.local", addr("192.168.1.20:8911")); got != "http://studio.local:8911" {
		t.Errorf("by name on one network: %q", got)
	}
	if got := publicBase("", "studio.local", addr("127.0.0.1:8911")); got != "http://127.0.0.1:8911" {
		t.Errorf("by name on loopback: %q, want the loopback address", got)
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

func TestAuditFlags(t *testing.T) {
	parse := func(args ...string) (Config, error) {
		return ParseConfig("reelvault serve", args, func(string) string { return "" }, io.Discard)
	}
	c, err := parse()
	if err != nil || c.AuditInterval != 7*24*time.Hour || c.AuditShare != 0.25 {
		t.Errorf("defaults: %v %v %v, want weekly at a quarter of the disk's time", c.AuditInterval, c.AuditShare, err)
	}
	if c, err := parse("--audit-interval", "off", "--audit-share", "1"); err != nil || c.AuditInterval >= 0 || c.AuditShare != 1 || c.From.AuditInterval != Flag {
		t.Errorf("off: %+v %v", c, err)
	}
	for _, bad := range [][]string{{"--audit-interval", "5m"}, {"--audit-interval", "forever"}, {"--audit-share", "0"},
		{"--audit-share", "1.5"}, {"--audit-share", "NaN"}, {"--retention", "1h"}, {"--retention", "-5h"}} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
