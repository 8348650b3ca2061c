package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// A second launch with files (a file manager's "Open with" while Reelvault runs) hands them to
// the running instance over its API and exits; the files become assets there.
func TestOpenWithHandsFilesToTheRunningInstance(t *testing.T) {
	clip := testmedia.TempClip(t, "Harbour interview.mp4",
		testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.H264AAC())...)
	dataDir := t.TempDir()
	env := childEnv(t)
	running := startServe(t, dataDir, env)
	u, err := url.Parse(running.apiURL)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	second := exec.CommandContext(ctx, binaryPath, clip, "--data", dataDir, "--listen", u.Host)
	second.Env = env
	second.Dir = filepath.Dir(clip)
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Handed 1 file(s) to the running Reelvault") {
		t.Fatalf("the second launch: %v\n%s", err, out)
	}

	api := tokenClient(t, running)
	status, body := api.do("GET", "/video/v1/assets", "")
	var list struct {
		Data []struct {
			Input string `json:"input"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil {
		t.Fatalf("listing assets: %d %s", status, body)
	}
	if len(list.Data) != 1 || list.Data[0].Input != clip {
		t.Errorf("the running instance has %+v, want one asset from %s", list.Data, clip)
	}
}

// Files given on the command line with no Reelvault running are parsed as files, not as an
// unknown subcommand.
func TestParseArgsTakesFilesFromOpenWith(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "take 2.mov")
	if err := os.WriteFile(clip, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}
	c, code, ok := ParseArgs([]string{clip, "--listen", "127.0.0.1:0"}, env, os.Stdout, os.Stderr)
	if !ok || !c.Window || len(c.Files) != 1 || c.Files[0] != clip {
		t.Errorf("ParseArgs(%q) = %+v, %d, %v; want the window with that file", clip, c.Files, code, ok)
	}
	if c, _, ok := ParseArgs([]string{"serve"}, env, os.Stdout, os.Stderr); !ok || c.Window || len(c.Files) != 0 {
		t.Errorf("serve is a command, not a file: %+v", c)
	}
}
