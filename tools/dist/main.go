// Command dist packages what `make build` and `make build-windows` left in build/ into dist/:
// the Debian package (nfpm), a tarball for other Linux distributions, the Windows executable and
// its NSIS installer, and SHA256SUMS. It lives in its own module so the packaging libraries never
// enter the app's dependency graph.
package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the "deb" packager
	"github.com/goreleaser/nfpm/v2/files"
)

// iconSizes are the hicolor sizes `make icons` renders into build/icons/<n>x<n>/reelvault.png.
var iconSizes = []int{16, 24, 32, 48, 64, 128, 256, 512}

// debDepends are the runtime packages of the desktop binary on Debian 12 (the window needs
// WebKitGTK and GTK even when only `serve` runs; ingest needs ffmpeg and ffprobe).
var debDepends = []string{"ffmpeg", "libwebkit2gtk-4.1-0", "libgtk-3-0"}

func main() {
	root := flag.String("root", "..", "the repository root (with build/ and wails.json)")
	out := flag.String("out", "dist", "where the packages are written")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	made, err := packageAll(*root, *out)
	if err != nil {
		log.Error("dist failed", "err", err)
		os.Exit(1)
	}
	for _, p := range made {
		fmt.Println(p)
	}
}

// layout names what packageAll reads from the repository.
type layout struct{ root string }

func (l layout) path(parts ...string) string {
	return filepath.Join(append([]string{l.root}, parts...)...)
}

// packageAll writes every artifact into out and returns their paths.
func packageAll(root, out string) ([]string, error) {
	l := layout{root: root}
	version, err := readVersion(l.path("wails.json"))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var made []string
	deb := filepath.Join(out, fmt.Sprintf("reelvault_%s_amd64.deb", version))
	if err := writeDeb(l, version, deb); err != nil {
		return nil, fmt.Errorf("deb: %w", err)
	}
	made = append(made, deb)

	tgz := filepath.Join(out, fmt.Sprintf("reelvault-%s-linux-amd64.tar.gz", version))
	if err := writeTarball(l, version, tgz); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	made = append(made, tgz)

	for src, dst := range map[string]string{
		l.path("build", "bin", "reelvault.exe"):                                              fmt.Sprintf("reelvault-%s-windows-amd64.exe", version),
		l.path("build", "bin", fmt.Sprintf("reelvault-%s-windows-amd64-setup.exe", version)): fmt.Sprintf("reelvault-%s-windows-amd64-setup.exe", version),
	} {
		dst = filepath.Join(out, dst)
		if err := copyFile(src, dst, 0o755); err != nil {
			return nil, fmt.Errorf("windows (run `make build-windows` first): %w", err)
		}
		made = append(made, dst)
	}
	sort.Strings(made)
	sums := filepath.Join(out, "SHA256SUMS")
	if err := writeSums(made, sums); err != nil {
		return nil, err
	}
	return append(made, sums), nil
}

var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// readVersion takes the version from wails.json, the one place it is set for packages,
// the Windows version resource and the macOS bundle.
func readVersion(wailsJSON string) (string, error) {
	raw, err := os.ReadFile(wailsJSON)
	if err != nil {
		return "", err
	}
	var cfg struct {
		Info struct {
			ProductVersion string `json:"productVersion"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return "", fmt.Errorf("%s: %w", wailsJSON, err)
	}
	v := cfg.Info.ProductVersion
	if !versionPattern.MatchString(v) {
		return "", fmt.Errorf("%s: info.productVersion %q is not MAJOR.MINOR.PATCH", wailsJSON, v)
	}
	return v, nil
}

// installedFile is one file of the Linux install, relative to a prefix (/usr in the .deb).
type installedFile struct {
	src  string
	dst  string // relative to the prefix
	mode os.FileMode
}

// linuxFiles is the Linux install: the binary, the menu entry and the icons.
func linuxFiles(l layout) []installedFile {
	fs := []installedFile{
		{l.path("build", "bin", "reelvault"), "bin/reelvault", 0o755},
		{l.path("build", "linux", "reelvault.desktop"), "share/applications/reelvault.desktop", 0o644},
		{l.path("build", "appicon.svg"), "share/icons/hicolor/scalable/apps/reelvault.svg", 0o644},
	}
	for _, n := range iconSizes {
		size := fmt.Sprintf("%dx%d", n, n)
		fs = append(fs, installedFile{l.path("build", "icons", size, "reelvault.png"),
			"share/icons/hicolor/" + size + "/apps/reelvault.png", 0o644})
	}
	return fs
}

func writeDeb(l layout, version, path string) error {
	var contents files.Contents
	for _, f := range linuxFiles(l) {
		if _, err := os.Stat(f.src); err != nil {
			return fmt.Errorf("%w (run `make build` first)", err)
		}
		contents = append(contents, &files.Content{Source: f.src, Destination: "/usr/" + f.dst,
			FileInfo: &files.ContentFileInfo{Mode: f.mode, Owner: "root", Group: "root"}})
	}
	info := &nfpm.Info{
		Name:       "reelvault",
		Arch:       "amd64",
		Platform:   "linux",
		Version:    version,
		Section:    "video",
		Priority:   "optional",
		Maintainer: "Reelvault <reelvault@localhost>",
		Description: "Local video archive for editors\n" +
			"Keeps one master-quality MP4 of every video, hands out expiring download links\n" +
			"and signed webhooks; its HTTP API speaks Mux Video's dialect.",
		License: "Proprietary",
		Overridables: nfpm.Overridables{
			Depends:  debDepends,
			Contents: contents,
		},
	}
	info = nfpm.WithDefaults(info)
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return err
	}
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return err
	}
	return writeAtomically(path, func(w io.Writer) error { return pkg.Package(info, w) })
}

const tarballReadme = `Reelvault %[1]s for Linux (x86-64)

Needs: ffmpeg and ffprobe 5.1 or newer, GTK 3 and WebKitGTK 4.1
(Debian/Ubuntu: libgtk-3-0 libwebkit2gtk-4.1-0; Fedora: gtk3 webkit2gtk4.1).

Install for yourself:
    cp -r bin share ~/.local/
    update-desktop-database ~/.local/share/applications 2>/dev/null || true
For everyone: sudo cp -r bin share /usr/local/

Run: reelvault (the window) or reelvault serve (a browser UI and the API).
`

// writeTarball writes reelvault-<version>/{bin,share,README.txt}, the layout of a prefix
// such as ~/.local or /usr/local.
func writeTarball(l layout, version, path string) error {
	top := "reelvault-" + version + "/"
	return writeAtomically(path, func(w io.Writer) error {
		gz := gzip.NewWriter(w)
		tw := tar.NewWriter(gz)
		readme := fmt.Sprintf(tarballReadme, version)
		if err := tw.WriteHeader(&tar.Header{Name: top + "README.txt", Mode: 0o644, Size: int64(len(readme)),
			Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := io.WriteString(tw, readme); err != nil {
			return err
		}
		for _, f := range linuxFiles(l) {
			if err := addToTar(tw, f.src, top+f.dst, f.mode); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return gz.Close()
	})
}

func addToTar(tw *tar.Writer, src, name string, mode os.FileMode) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("%w (run `make build` first)", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: int64(mode), Size: st.Size(),
		ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := writeAtomically(dst, func(w io.Writer) error { _, err := io.Copy(w, in); return err }); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

func writeSums(paths []string, sumsPath string) error {
	var b strings.Builder
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), filepath.Base(p))
	}
	return os.WriteFile(sumsPath, []byte(b.String()), 0o644)
}

// writeAtomically writes path through a temporary file renamed into place, so an interrupted
// run never leaves a truncated package under the final name.
func writeAtomically(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
