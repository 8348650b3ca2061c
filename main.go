// Command reelvault is a local video archive: a desktop window (Wails) or,
// with `serve`, the same backend for a browser and for scripts. The app
// itself is assembled in backend/app; this is flags → open → window or wait.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"reelvault/backend/app"
	"reelvault/backend/notify"
)

// The UI must be embedded here: go:embed cannot reach above its package.
//
//go:embed all:frontend/dist
var distFiles embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd, code, ok := app.ParseArgs(args, getenv, stdout, stderr)
	if !ok {
		return code
	}
	log := app.NewLogger(stderr, cmd.Config.Verbose)
	// Packages without a logger of their own (media) log through the default: one format,
	// one level, on the same stream as the rest.
	slog.SetDefault(log)
	if cmd.Maintenance != nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return cmd.Maintenance.Run(ctx, log, stdout, stderr)
	}
	ui, err := fs.Sub(distFiles, "frontend/dist")
	if err != nil {
		fmt.Fprintln(stderr, "reelvault:", err)
		return 1
	}
	if _, err := fs.Stat(ui, "index.html"); err != nil {
		log.Warn("this binary was built without the UI (frontend/dist is empty): run `make build`; the API still works")
	}
	if len(cmd.Files) > 0 || cmd.Window {
		// A second "Open with" (or menu click) while Reelvault runs: the running one takes the
		// files and comes to the front.
		handled, err := app.HandOff(context.Background(), cmd.Config, cmd.Files)
		if err != nil {
			fmt.Fprintln(stderr, "reelvault:", err)
			return 1
		}
		if handled && len(cmd.Files) == 0 {
			fmt.Fprintln(stdout, "Reelvault is already running: its window was brought to the front.")
			return 0
		}
		if handled {
			fmt.Fprintf(stdout, "Handed %d file(s) to the running Reelvault.\n", len(cmd.Files))
			return 0
		}
	}
	if cmd.Window {
		if reason := windowUnavailable(getenv); reason != "" {
			fmt.Fprintf(stderr, "reelvault: %s\nRun `reelvault serve` to use Reelvault from a browser instead.\n", reason)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := app.Options{UI: ui, Desktop: cmd.Window, Log: log, Out: stdout}
	if cmd.Window {
		opts.Notifier = notify.System() // only the window notifies; `serve` has nobody to tell
	}
	a, err := app.Open(ctx, cmd.Config, opts)
	if err != nil {
		fmt.Fprintln(stderr, "reelvault:", err)
		return 1
	}
	if len(cmd.Files) > 0 {
		if err := a.IngestFiles(ctx, cmd.Files); err != nil {
			log.Error("adding the files given on the command line", "err", err)
		}
	}
	if cmd.Window {
		err = runWindow(ctx, a, ui, opts.Notifier)
	} else {
		err = a.Run(ctx)
	}
	if err != nil {
		fmt.Fprintln(stderr, "reelvault:", err)
		return 1
	}
	return 0
}

// windowUnavailable says why the desktop window cannot open here, or "".
// It must be decided before wails.Run, which panics without a display.
func windowUnavailable(getenv func(string) string) string {
	if !desktopBuild {
		return "this binary was built without the desktop window (build it with `make build`)"
	}
	// Windows and macOS always have their desktop; X11/Wayland may be absent (ssh, CI).
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
	}
	return ""
}
