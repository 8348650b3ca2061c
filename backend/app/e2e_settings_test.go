package app

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

type settingsView struct {
	LinkTTLSeconds  int64           `json:"link_ttl_seconds"`
	ShareListen     string          `json:"share_listen"`
	ShareBaseURL    string          `json:"share_base_url"`
	TokenID         string          `json:"token_id"`
	FromCommandLine map[string]bool `json:"from_command_line"`
	ShareOptions    []struct {
		Host string `json:"host"`
	} `json:"share_options"`
}

func (c apiClient) settings(method, body string) (int, settingsView, string) {
	c.t.Helper()
	status, raw := c.do(method, "/ui/v1/settings", body)
	var env struct{ Data settingsView }
	json.Unmarshal(raw, &env)
	return status, env.Data, string(raw)
}

// The settings page changes the link lifetime of the running app (new
// links get it), keeps it across a restart, refuses bad values, and shows
// the access token only on demand.
func TestSettingsChangeLinkLifetimeAndPersist(t *testing.T) {
	requireTools(t)
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1",
		"-c:v", "libx264", "-preset", "ultrafast", clip).CombinedOutput(); err != nil {
		t.Fatalf("making a clip: %v %s", err, b)
	}
	dataDir := t.TempDir()
	env := childEnv(t, "REELVAULT_TOKEN_ID=set", "REELVAULT_TOKEN_SECRET=set-secret")
	p := startServe(t, dataDir, env)
	api := apiClient{t: t, base: p.apiURL, id: "set", secret: "set-secret"}

	status, v, raw := api.settings("GET", "")
	if status != 200 || v.LinkTTLSeconds != 86400 || v.TokenID != "set" || !v.FromCommandLine["share_host"] || len(v.ShareOptions) < 2 {
		t.Fatalf("GET settings: %d %s", status, raw)
	}
	for _, bad := range []string{`{"link_ttl_seconds": 5}`, `{"link_ttl_seconds": 18446744134}`, `{"link_ttl_seconds": -60}`, `{"link_ttl_seconds": 1e30}`, `{"share_host": "192.0.2.1"}`, `{"link_ttl_seconds": "long"}`} {
		status, _, raw := api.settings("PATCH", bad)
		if status != http.StatusBadRequest || !strings.Contains(raw, "invalid_parameters") {
			t.Errorf("PATCH %s: %d %s, want 400 invalid_parameters", bad, status, raw)
		}
	}
	status, v, raw = api.settings("PATCH", `{"link_ttl_seconds": 600}`)
	if status != 200 || v.LinkTTLSeconds != 600 {
		t.Fatalf("PATCH link lifetime: %d %s", status, raw)
	}
	if _, info := api.do("GET", "/ui/v1/info", ""); !strings.Contains(string(info), `"link_ttl_seconds":600`) {
		t.Errorf("info does not show the new lifetime: %s", info)
	}

	// A link issued now expires in 10 minutes, not 24 hours.
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`","master_access":"temporary"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := api.asset(status, body).ID
	var expiresAt int64
	var asset []byte
	if !testtime.Poll(60*time.Second, func() bool {
		_, asset = api.do("GET", "/video/v1/assets/"+id, "")
		var env struct {
			Data struct {
				Status          string `json:"status"`
				MasterExpiresAt string `json:"master_expires_at"`
			}
		}
		json.Unmarshal(asset, &env)
		expiresAt, _ = strconv.ParseInt(env.Data.MasterExpiresAt, 10, 64)
		if env.Data.Status == "errored" {
			t.Fatalf("no link: %s", asset)
		}
		return expiresAt != 0
	}) {
		t.Fatalf("no link: %s", asset)
	}
	if left := time.Until(time.Unix(expiresAt, 0)); left < 9*time.Minute || left > 10*time.Minute+time.Second {
		t.Errorf("the link expires in %s, want about 10 min", left)
	}

	status, tok := api.do("GET", "/ui/v1/settings/access-token", "")
	if status != 200 || !strings.Contains(string(tok), `"secret":"set-secret"`) {
		t.Errorf("access token on demand: %d %s", status, tok)
	}

	// Kept across a restart (no --link-ttl given on the command line).
	p.stop(10 * time.Second)
	p = startServe(t, dataDir, env)
	api.base = p.apiURL
	if _, v, raw = api.settings("GET", ""); v.LinkTTLSeconds != 600 {
		t.Fatalf("after a restart: %s, want link_ttl_seconds 600", raw)
	}
}
