package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// envOf is a getenv over a fixed map, so the real environment plays no part.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig("reelvault serve", nil, envOf(map[string]string{"XDG_DATA_HOME": "/srv/data"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{DataDir: "/srv/data/reelvault", Listen: "127.0.0.1:8910", ShareListen: "127.0.0.1:8911",
		RTMPListen: "127.0.0.1:1935", LinkTTL: 24 * time.Hour, Explicit: map[string]bool{}}
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
	})
	c, err := parseConfig("reelvault serve", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{DataDir: "/data/rv", Listen: "127.0.0.1:9000", ShareListen: "0.0.0.0:9001",
		PublicURL: "https://share.example.com/rv", RTMPListen: "0.0.0.0:1936", LinkTTL: 90 * time.Minute,
		Watch: []string{"/in/a", "/in/b"}, TokenID: "id1", TokenSecret: "secret1", Verbose: true,
		// Given in the environment: these win over what the settings page saved.
		Explicit: map[string]bool{"share-listen": true, "public-url": true, "link-ttl": true}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("from the environment:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseConfigFlagsWinOverEnvironment(t *testing.T) {
	env := envOf(map[string]string{
		"REELVAULT_DATA": "/env/data", "REELVAULT_LISTEN": "127.0.0.1:9000", "REELVAULT_SHARE_LISTEN": "127.0.0.1:9001",
		"REELVAULT_LINK_TTL": "90m", "REELVAULT_WATCH": "/env/watch",
	})
	c, err := parseConfig("reelvault serve", []string{
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
	for _, name := range []string{"data", "listen", "share-listen", "link-ttl", "watch", "public-url"} {
		if !c.Explicit[name] {
			t.Errorf("--%s given on the command line is not marked explicit", name)
		}
	}
	// --watch is repeatable and, when given, replaces REELVAULT_WATCH.
	if !reflect.DeepEqual(c.Watch, []string{"/flag/one", "/flag/two"}) {
		t.Errorf("watch = %q, want the two --watch flags", c.Watch)
	}
}

func TestParseConfigRelativeDataBecomesAbsolute(t *testing.T) {
	c, err := parseConfig("reelvault serve", []string{"--data", "rv-data"}, envOf(nil), io.Discard)
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
			_, err := parseConfig("reelvault serve", c.args, envOf(c.env), &stderr)
			if err == nil {
				t.Fatalf("no error")
			}
			if msg := err.Error() + stderr.String(); !strings.Contains(msg, c.wantErr) {
				t.Errorf("error %q (stderr %q) does not mention %q", err, stderr.String(), c.wantErr)
			}
		})
	}
}

func TestRunRejectsBadInvocations(t *testing.T) {
	noDisplay := envOf(map[string]string{"XDG_DATA_HOME": t.TempDir()})
	for _, c := range []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad flag value", []string{"serve", "--link-ttl", "soon"}, 2, "--link-ttl"},
		{"window without display", nil, 2, "reelvault serve"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(c.args, noDisplay, &stdout, &stderr)
			if code != c.wantCode || !strings.Contains(stderr.String(), c.wantOut) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", c.args, code, stderr.String(), c.wantCode, c.wantOut)
			}
		})
	}
	var stdout strings.Builder
	if code := run([]string{"version"}, noDisplay, &stdout, io.Discard); code != 0 || !strings.Contains(stdout.String(), version) {
		t.Errorf("version: %d %q", code, stdout.String())
	}
}

func TestPublicBase(t *testing.T) {
	addr := func(s string) fakeAddr { return fakeAddr(s) }
	if got := publicBase(Config{}, addr("127.0.0.1:8911")); got != "http://127.0.0.1:8911" {
		t.Errorf("loopback: %q", got)
	}
	if got := publicBase(Config{PublicURL: "https://share.example.com/rv/"}, addr("0.0.0.0:8911")); got != "https://share.example.com/rv" {
		t.Errorf("--public-url: %q", got)
	}
	// A wildcard listener is shared on the LAN: links must name a reachable
	// address, never 0.0.0.0.
	if got := publicBase(Config{}, addr("0.0.0.0:8911")); strings.Contains(got, "0.0.0.0") || !strings.HasSuffix(got, ":8911") {
		t.Errorf("wildcard: %q, want this machine's address with port 8911", got)
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }
