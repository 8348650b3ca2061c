// Command reelvault is a local video archive: a desktop window (Wails) or,
// with `serve`, the same backend for a browser and for scripts.
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
	"strings"
	"syscall"
)

//go:embed all:frontend/dist
var distFiles embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usage = `Usage:
  reelvault [flags]          open the desktop window
  reelvault serve [flags]    run without a window; the UI is at the --listen address
  reelvault version

Run 'reelvault serve -h' for the flags.
`

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "window"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve", "window":
	case "version":
		fmt.Fprintln(stdout, "reelvault", version)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	cfg, err := parseConfig("reelvault "+cmd, args, getenv, stderr)
	if err != nil {
		if err.Error() != "flag: help requested" {
			fmt.Fprintln(stderr, "reelvault:", err)
		}
		return 2
	}
	level := slog.LevelInfo
	if cfg.Verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)
	ui, err := fs.Sub(distFiles, "frontend/dist")
	if err != nil {
		fmt.Fprintln(stderr, "reelvault:", err)
		return 1
	}
	if _, err := fs.Stat(ui, "index.html"); err != nil {
		log.Warn("this binary was built without the UI (frontend/dist is empty): run `make build`; the API still works")
	}

	if cmd == "window" {
		if reason := windowUnavailable(getenv); reason != "" {
			fmt.Fprintf(stderr, "reelvault: %s\nRun `reelvault serve` to use Reelvault from a browser instead.\n", reason)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := startBackend(ctx, cfg, log, ui, cmd == "window", stdout)
	if err != nil {
		fmt.Fprintln(stderr, "reelvault:", err)
		return 1
	}
	defer b.Close()
	if cmd == "window" {
		if err := runWindow(ctx, b, ui); err != nil {
			fmt.Fprintln(stderr, "reelvault:", err)
			return 1
		}
		return 0
	}
	<-ctx.Done()
	log.Info("shutting down")
	return 0
}

// windowUnavailable says why the desktop window cannot open here, or "".
// It must be decided before wails.Run, which panics without a display.
func windowUnavailable(getenv func(string) string) string {
	if !desktopBuild {
		return "this binary was built without the desktop window (build it with `make build`)"
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
	}
	return ""
}
