package app

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/store"
)

// runCLI runs the built binary with args and returns its exit code and output.
func runCLI(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binaryPath, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("reelvault %v: %v", args, err)
		}
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// `reelvault backup` writes a database snapshot that opens and a manifest;
// `reelvault verify` finds one flipped byte in a master, from the database
// and from the manifest, and exits non-zero; the running app then shows it.
func TestBackupAndVerify(t *testing.T) {
	requireTools(t)
	clip := filepath.Join(t.TempDir(), "take 1.mp4")
	testmedia.Make(t, clip, testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"})...)
	dataDir := t.TempDir()
	env := childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret")
	serve := startServe(t, dataDir, env)
	api := apiClient{t: t, base: serve.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`"}`)
	id := api.asset(status, body).ID
	testtime.Until(t, time.Minute, "the asset to be ready", func() bool { return api.get(id).Status == "ready" })

	// Both commands work beside the running app.
	if code, out := runCLI(t, env, "verify", "--data", dataDir); code != 0 || !strings.Contains(out, "All 1 masters are intact") {
		t.Fatalf("verify of an intact archive: exit %d\n%s", code, out)
	}
	backupDir := t.TempDir()
	code, out := runCLI(t, env, "backup", "--data", dataDir, backupDir)
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, out)
	}
	dbs, _ := filepath.Glob(filepath.Join(backupDir, "reelvault-*.db"))
	manifests, _ := filepath.Glob(filepath.Join(backupDir, "reelvault-*.manifest.json"))
	if len(dbs) != 1 || len(manifests) != 1 {
		t.Fatalf("backup wrote %v and %v; want one database and one manifest\n%s", dbs, manifests, out)
	}
	snap, err := store.Open(context.Background(), dbs[0], nil)
	if err != nil {
		t.Fatalf("the snapshot does not open: %v", err)
	}
	var n int
	snap.QueryRowContext(context.Background(), `SELECT count(*) FROM assets WHERE id = ?`, id).Scan(&n)
	snap.Close()
	if n != 1 {
		t.Errorf("the snapshot holds %d rows of the asset, want 1", n)
	}

	master := filepath.Join(dataDir, "masters", id+".mp4")
	b, err := os.ReadFile(master)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	os.WriteFile(master, b, 0o644)
	code, out = runCLI(t, env, "verify", "--data", dataDir, "--manifest", manifests[0])
	if code != 1 || !strings.Contains(out, "DAMAGED  "+id) {
		t.Errorf("verify --manifest of a flipped byte: exit %d\n%s", code, out)
	}
	code, out = runCLI(t, env, "verify", "--data", dataDir)
	if code != 1 || !strings.Contains(out, "DAMAGED  "+id) || !strings.Contains(out, "1 of 1 masters are damaged") {
		t.Errorf("verify of a flipped byte: exit %d\n%s", code, out)
	}
	// What verify found is on the asset the running app serves.
	status, body = api.do("GET", "/video/v1/assets/"+id, "")
	if status != http.StatusOK || !strings.Contains(string(body), `"master_damage":`) {
		t.Errorf("the asset after verify: %d %s", status, body)
	}
	if code, out := runCLI(t, env, "verify", "--data", t.TempDir()); code != 1 || !strings.Contains(out, "no Reelvault database") {
		t.Errorf("verify of an empty folder: exit %d\n%s", code, out)
	}
}
