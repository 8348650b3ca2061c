package main

// These tests check the packages `make dist` wrote, as a user would meet them: the .deb unpacked
// into a throw-away root and its binary serving the API, the tarball's files, and the Windows
// binary and installer run under Wine (the Windows window itself cannot be tested here).
// `make test-dist` sets REELVAULT_DIST; without it they look in ../../dist and skip when the
// packages are not there.

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	tokenID     = "dist-test"
	tokenSecret = "dist-test-secret"
)

// artifact returns the path of a package in the dist folder, skipping the test when `make dist`
// has not run and failing it when `make test-dist` said it had.
func artifact(t *testing.T, format string) (path, version string) {
	t.Helper()
	version, err := readVersion(filepath.Join("..", "..", "wails.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir, required := os.LookupEnv("REELVAULT_DIST")
	if !required {
		dir = filepath.Join("..", "..", "dist")
	}
	path = filepath.Join(dir, fmt.Sprintf(format, version))
	if _, err := os.Stat(path); err != nil {
		if required {
			t.Fatalf("make dist did not write %s: %v", path, err)
		}
		t.Skipf("%s is missing: run `make dist` (or `make test-dist`)", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs, version
}

func need(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s is missing (make deps installs it): %v", tool, err)
	}
	return p
}

func output(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestDebInstallsAndServes(t *testing.T) {
	deb, version := artifact(t, "reelvault_%s_amd64.deb")

	fields := output(t, need(t, "dpkg-deb"), "-f", deb, "Package", "Version", "Architecture", "Depends")
	for _, want := range []string{"Package: reelvault", "Version: " + version, "Architecture: amd64"} {
		if !strings.Contains(fields, want) {
			t.Errorf("control fields lack %q:\n%s", want, fields)
		}
	}
	depends := fields[strings.Index(fields, "Depends:"):]
	for _, dep := range debDepends {
		if !strings.Contains(depends, dep) {
			t.Errorf("Depends lacks %s: %s", dep, depends)
		}
	}
	if strings.Contains(depends, "-dev") {
		t.Errorf("Depends names a -dev package: %s", depends)
	}
	// apt resolves the dependencies on this Debian without changing the machine.
	output(t, need(t, "apt-get"), "install", "--simulate", "--no-install-recommends", deb)

	root := t.TempDir()
	output(t, need(t, "dpkg"), "-x", deb, root)
	checkLinuxInstall(t, filepath.Join(root, "usr"))

	bin := filepath.Join(root, "usr", "bin", "reelvault")
	if got := output(t, bin, "version"); !strings.Contains(got, version) {
		t.Errorf("reelvault version says %q, wails.json says %s", got, version)
	}
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", "127.0.0.1:0",
		"--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0")
	api := startServe(t, cmd)
	checkAPI(t, api)
	if _, err := os.Stat(filepath.Join(data, "reelvault.db")); err != nil {
		t.Errorf("the SQLite file was not created: %v", err)
	}
}

// checkLinuxInstall checks the files under a prefix (/usr in the .deb, the tarball's top folder).
func checkLinuxInstall(t *testing.T, prefix string) {
	t.Helper()
	st, err := os.Stat(filepath.Join(prefix, "bin", "reelvault"))
	if err != nil || st.Mode().Perm()&0o111 == 0 {
		t.Fatalf("bin/reelvault missing or not executable: %v", err)
	}
	entry := filepath.Join(prefix, "share", "applications", "reelvault.desktop")
	output(t, need(t, "desktop-file-validate"), entry)
	raw, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Exec=reelvault %F", "Icon=reelvault", "video/mp4;", "video/quicktime;", "application/mxf;"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the desktop entry lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(prefix, "share", "icons", "hicolor", "scalable", "apps", "reelvault.svg")); err != nil {
		t.Error(err)
	}
	for _, n := range iconSizes {
		p := filepath.Join(prefix, "share", "icons", "hicolor", fmt.Sprintf("%dx%d", n, n), "apps", "reelvault.png")
		f, err := os.Open(p)
		if err != nil {
			t.Error(err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != n || cfg.Height != n {
			t.Errorf("%s: %dx%d, %v; want %dx%d", p, cfg.Width, cfg.Height, err, n, n)
		}
	}
}

func TestTarballHasTheLinuxInstall(t *testing.T) {
	tgz, version := artifact(t, "reelvault-%s-linux-amd64.tar.gz")
	dir := t.TempDir()
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	top := "reelvault-" + version + "/"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h.Name, top) || strings.Contains(h.Name, "..") {
			t.Fatalf("entry %q is outside %s", h.Name, top)
		}
		dst := filepath.Join(dir, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, os.FileMode(h.Mode))
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(out, tr)
		out.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	checkLinuxInstall(t, filepath.Join(dir, top))
	if readme, err := os.ReadFile(filepath.Join(dir, top, "README.txt")); err != nil || !strings.Contains(string(readme), "ffmpeg") {
		t.Errorf("README.txt does not say what the tarball needs: %v", err)
	}
}

// startServe starts cmd (a `reelvault serve` with ports 0), stops it when the test ends, and
// returns the API address the binary printed.
func startServe(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	cmd.Env = append(cmd.Environ(), "REELVAULT_TOKEN_ID="+tokenID, "REELVAULT_TOKEN_SECRET="+tokenSecret)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("reelvault's log:\n%s", stderr.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 0 && strings.Contains(sc.Text(), "UI and API:") {
				found <- f[len(f)-1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		close(found) // the process ended (or closed stdout) without printing the address
	}()
	select {
	case api, ok := <-found:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("reelvault serve ended without printing the API address; log:\n%s", stderr.String())
		}
		return api
	case <-time.After(3 * time.Minute): // Wine's first start in a fresh prefix takes a while
		t.Fatalf("reelvault serve printed no API address; log:\n%s", stderr.String())
		return ""
	}
}

// checkAPI checks that the API refuses a request without the token and answers one with it.
func checkAPI(t *testing.T, api string) {
	t.Helper()
	resp, err := http.Get(api + "/video/v1/assets")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without credentials: %s, want 401", resp.Status)
	}
	var list struct {
		Data []json.RawMessage `json:"data"`
	}
	if code := apiCall(t, http.MethodGet, api+"/video/v1/assets", "", &list); code != http.StatusOK {
		t.Errorf("with credentials: %d, want 200", code)
	}
}

func apiCall(t *testing.T, method, url, body string, into any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(tokenID, tokenSecret)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if into != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, into); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, raw)
		}
	}
	return resp.StatusCode
}

// wineEnv prepares a throw-away Wine prefix for one test and returns the wine64 loader and the
// environment to run Windows programs with; the prefix's wineserver is stopped when the test ends.
func wineEnv(t *testing.T) (wine64, prefix string, env []string) {
	t.Helper()
	wine64, err := exec.LookPath("wine64")
	if err != nil {
		wine64 = "/usr/lib/wine/wine64" // Debian's wine64 package without the `wine` wrapper
		if _, err := os.Stat(wine64); err != nil {
			t.Fatalf("wine64 is missing (make deps installs it): %v", err)
		}
	}
	prefix = t.TempDir()
	env = append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all",
		// no Mono or Gecko install prompts in a headless prefix
		"WINEDLLOVERRIDES=mscoree=;mshtml=", "DISPLAY=", "WAYLAND_DISPLAY=")
	t.Cleanup(func() {
		server := filepath.Join(filepath.Dir(wine64), "wineserver")
		if p, err := exec.LookPath("wineserver"); err == nil {
			server = p
		}
		cmd := exec.Command(server, "-k")
		cmd.Env = env
		_ = cmd.Run()
	})
	wine := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, wine64, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("wine64 %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Wine 8 reports an older Windows than the Windows 10 that WebView2 apps and their installer
	// require.
	wine("reg", "add", `HKCU\Software\Wine`, "/v", "Version", "/d", "win10", "/f")
	// Wine 8 lacks bcryptprimitives.dll, which every Windows 10 has and Go's runtime loads from
	// system32; a test-only stand-in (testdata/bcryptprimitives.c) goes into this prefix only.
	shim := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	output(t, need(t, "x86_64-w64-mingw32-gcc"), "-O2", "-shared", "-o", shim,
		filepath.Join("testdata", "bcryptprimitives.c"), "-ladvapi32")
	return wine64, prefix, env
}

// windowsPath is how a Windows program under Wine names a Unix path (drive Z: is /).
func windowsPath(unix string) string { return "Z:" + strings.ReplaceAll(unix, "/", `\`) }

func TestWindowsExeServesUnderWine(t *testing.T) {
	exe, _ := artifact(t, "reelvault-%s-windows-amd64.exe")
	wine64, prefix, env := wineEnv(t)

	// No --data: the default data folder on Windows is %LOCALAPPDATA%\Reelvault.
	cmd := exec.Command(wine64, exe, "serve", "--listen", "127.0.0.1:0",
		"--share-listen", "127.0.0.1:0", "--rtmp-listen", "127.0.0.1:0")
	// Windows' PATH in a fresh prefix has no ffmpeg: that is the case this test checks.
	cmd.Env = env
	api := startServe(t, cmd)
	checkAPI(t, api)
	dbs, _ := filepath.Glob(filepath.Join(prefix, "drive_c", "users", "*", "AppData", "Local", "Reelvault", "reelvault.db"))
	if len(dbs) != 1 {
		t.Errorf("the SQLite file was not created in %%LOCALAPPDATA%%\\Reelvault: %v", dbs)
	}

	clip := filepath.Join(t.TempDir(), "interview.mp4")
	if err := os.WriteFile(clip, []byte("not decoded here: there is no ffmpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	var created struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	body := fmt.Sprintf(`{"inputs":[{"url":%q}]}`, windowsPath(clip))
	if code := apiCall(t, http.MethodPost, api+"/video/v1/assets", body, &created); code != http.StatusCreated || created.Data.ID == "" {
		t.Fatalf("creating an asset: %d %+v", code, created)
	}
	var asset struct {
		Data struct {
			Status  string `json:"status"`
			Waiting string `json:"waiting"`
		} `json:"data"`
	}
	// Without ffmpeg the asset waits for it (it would go on once ffmpeg is found). Poll the
	// API, with a deadline.
	deadline := time.After(2 * time.Minute)
	poll := time.NewTicker(200 * time.Millisecond)
	defer poll.Stop()
	for {
		apiCall(t, http.MethodGet, api+"/video/v1/assets/"+created.Data.ID, "", &asset)
		if asset.Data.Waiting != "" || asset.Data.Status != "preparing" {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("the asset did not wait for ffmpeg: %+v", asset.Data)
		case <-poll.C:
		}
	}
	msg := asset.Data.Waiting
	if asset.Data.Status != "preparing" || !strings.HasPrefix(msg, "Waiting for ffmpeg") || !strings.Contains(msg, "not found") ||
		!strings.Contains(msg, "winget") {
		t.Errorf("without ffmpeg the asset is %s, waiting %q; want it waiting for ffmpeg with the Windows install hint", asset.Data.Status, msg)
	}
}

func TestWindowsInstallerUnderWine(t *testing.T) {
	setup, version := artifact(t, "reelvault-%s-windows-amd64-setup.exe")
	wine64, prefix, env := wineEnv(t)
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, wine64, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("wine64 %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	// The installer starts Microsoft's WebView2 bootstrapper (a download) unless the runtime is
	// registered; Wine has none and there is no network here, so it is registered as present.
	run("reg", "add", `HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}`,
		"/v", "pv", "/d", "120.0.0.0", "/f")

	run(setup, "/S", `/D=C:\Reelvault`)
	dir := filepath.Join(prefix, "drive_c", "Reelvault")
	for _, f := range []string{"reelvault.exe", "uninstall.exe"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the installer did not install %s: %v", f, err)
		}
	}
	if got := run(filepath.Join(dir, "reelvault.exe"), "version"); !strings.Contains(got, version) {
		t.Errorf("the installed reelvault.exe says %q, want %s", got, version)
	}
	openWith := run("reg", "query", `HKLM\Software\Classes\.mp4\OpenWithProgids`)
	if !strings.Contains(openWith, "Reelvault.Video") {
		t.Errorf(".mp4 does not offer Reelvault in Open with:\n%s", openWith)
	}
	uninstallKey := run("reg", "query", `HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Reelvault`)
	if !strings.Contains(uninstallKey, version) {
		t.Errorf("Apps & features lacks the version:\n%s", uninstallKey)
	}

	// _?= runs the uninstaller in place, so it has finished when wine64 returns.
	run(filepath.Join(dir, "uninstall.exe"), "/S", `_?=C:\Reelvault`)
	if _, err := os.Stat(filepath.Join(dir, "reelvault.exe")); err == nil {
		t.Error("the uninstaller left reelvault.exe")
	}
	cmd := exec.Command(wine64, "reg", "query", `HKLM\Software\Classes\.mp4\OpenWithProgids`, "/v", "Reelvault.Video")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("the uninstaller left the Open with entry:\n%s", out)
	}
}
