package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBinaryWithoutDisplayPointsToServe(t *testing.T) {
	cmd := exec.Command(binaryPath)
	cmd.Env = childEnv(t) // no DISPLAY, no WAYLAND_DISPLAY
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Fatalf("reelvault without a display: exit %d (%v), want 2\n%s", code, err, stderr.String())
	}
	msg := stderr.String()
	if !strings.Contains(msg, "reelvault serve") {
		t.Errorf("stderr does not point to `reelvault serve`:\n%s", msg)
	}
	// This plain `go build` has no window at all, and must say so rather
	// than blame the display.
	if !strings.Contains(msg, "without the desktop window") {
		t.Errorf("a plain build should say it has no window:\n%s", msg)
	}
}

func TestBinaryRejectsBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--listen", "8910"}, "--listen"},
		{[]string{"serve", "--link-ttl", "a while"}, "--link-ttl"},
		{[]string{"serve", "--nonsense"}, "nonsense"},
		{[]string{"unpack"}, "unknown command"},
	} {
		cmd := exec.Command(binaryPath, c.args...)
		cmd.Env = childEnv(t)
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), c.want) {
			t.Errorf("reelvault %q: exit %d, output %q; want 2 and %q", c.args, code, out, c.want)
		}
	}
}

// First start on an empty data folder: addresses printed, the access token
// made with mode 0600 and working, the printed login code working, and a
// clean exit on SIGTERM.
func TestServeFirstStart(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	p := startServe(t, dataDir, childEnv(t))

	for name, raw := range map[string]string{"API": p.apiURL, "share": p.shareURL} {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" {
			t.Errorf("%s address printed as %q, want http://127.0.0.1:<bound port>", name, raw)
		}
	}
	if p.apiURL == p.shareURL {
		t.Errorf("API and share listener printed the same address %s", p.apiURL)
	}

	for _, name := range []string{"access-token.json", "link-signing.key"} {
		st, err := os.Stat(filepath.Join(dataDir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dataDir, "access-token.json"))
	var token struct{ ID, Secret string }
	if err := json.Unmarshal(raw, &token); err != nil || token.ID == "" || token.Secret == "" {
		t.Fatalf("access-token.json = %s (%v)", raw, err)
	}
	if strings.Contains(p.stderr.String(), token.Secret) {
		t.Errorf("the token secret was written to the log")
	}

	api := apiClient{t: t, base: p.apiURL, id: token.ID, secret: token.Secret}
	if status, body := api.do("GET", "/video/v1/assets", ""); status != http.StatusOK {
		t.Errorf("with the stored token: %d %s", status, body)
	}
	if status, _ := (apiClient{t: t, base: p.apiURL, id: token.ID, secret: "wrong"}).do("GET", "/video/v1/assets", ""); status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", status)
	}
	if status, _ := (apiClient{t: t, base: p.apiURL}).do("GET", "/video/v1/assets", ""); status != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", status)
	}
	if status, body := (apiClient{t: t, base: p.apiURL}).do("POST", "/ui/v1/session", `{"code":"`+p.loginCode+`"}`); status != http.StatusNoContent {
		t.Errorf("the printed login code: %d %s, want 204", status, body)
	}
	// The share listener serves links only.
	resp, err := http.Get(p.shareURL + "/video/v1/assets")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("share listener answered the API path with %d, want 404", resp.StatusCode)
		}
	}

	if code := p.stop(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}

	// A second start reuses the same token rather than making a new one.
	p2 := startServe(t, dataDir, childEnv(t))
	api.base = p2.apiURL
	if status, body := api.do("GET", "/video/v1/assets", ""); status != http.StatusOK {
		t.Errorf("the stored token after a restart: %d %s", status, body)
	}
	if code := p2.stop(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
}

func TestServeUsesTokenFromEnvironment(t *testing.T) {
	dataDir := t.TempDir()
	p := startServe(t, dataDir, childEnv(t, "REELVAULT_TOKEN_ID=ci-id", "REELVAULT_TOKEN_SECRET=ci-secret"))
	if status, body := (apiClient{t: t, base: p.apiURL, id: "ci-id", secret: "ci-secret"}).do("GET", "/video/v1/assets", ""); status != http.StatusOK {
		t.Errorf("with REELVAULT_TOKEN_*: %d %s", status, body)
	}
	if status, _ := (apiClient{t: t, base: p.apiURL, id: "ci-id", secret: "other"}).do("GET", "/video/v1/assets", ""); status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", status)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "access-token.json")); !os.IsNotExist(err) {
		t.Errorf("a token file was made although the environment gave one: %v", err)
	}
	if code := p.stop(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
}
