package app

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Version is the release this binary reports.
const Version = "0.1.0"

const usage = `Usage:
  reelvault [flags]          open the desktop window
  reelvault FILE... [flags]  add the files (as "Open with" does), to the running window if there is one
  reelvault serve [flags]    run without a window; the UI is at the --listen address
  reelvault verify [--data DIR] [--manifest FILE]
                             re-hash every master against its SHA-256; exit 1 if any is damaged
  reelvault backup [--data DIR] DIR
                             write a snapshot of the database and a manifest of the masters
  reelvault login-code [--data DIR]
                             print a new one-time code that logs a browser in
  reelvault version

Run 'reelvault serve -h' for the flags.
`

// Command is what the command line asks for.
type Command struct {
	Window      bool     // the desktop window; else `serve`
	Files       []string // absolute paths given on the command line, to be ingested
	Config      Config
	Maintenance *Maintenance // verify or backup: run it and exit, nothing else
}

// ParseArgs reads the subcommand and its flags. When the process should
// end here (version, help, a bad invocation) it has printed why and
// returns ok=false with the exit code.
func ParseArgs(args []string, getenv func(string) string, stdout, stderr io.Writer) (c Command, exit int, ok bool) {
	name := "window"
	var files []string
	// A file manager's "Open with" runs `reelvault FILE...`: files before any flag.
	for len(args) > 0 && looksLikeFile(args[0]) {
		abs, err := filepath.Abs(args[0])
		if err != nil {
			fmt.Fprintln(stderr, "reelvault:", err)
			return c, 2, false
		}
		files, args = append(files, abs), args[1:]
	}
	if len(files) == 0 && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	switch name {
	case "serve", "window":
	case "verify", "backup", "login-code":
		m, err := parseMaintenance(name, args, getenv, stderr)
		if err != nil {
			if err.Error() != "flag: help requested" {
				fmt.Fprintln(stderr, "reelvault:", err)
			}
			return c, 2, false
		}
		return Command{Maintenance: &m}, 0, true
	case "version":
		fmt.Fprintln(stdout, "reelvault", Version)
		return c, 0, false
	case "help":
		fmt.Fprint(stdout, usage)
		return c, 0, false
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", name, usage)
		return c, 2, false
	}
	cfg, err := ParseConfig("reelvault "+name, args, getenv, stderr)
	if err != nil {
		if err.Error() != "flag: help requested" {
			fmt.Fprintln(stderr, "reelvault:", err)
		}
		return c, 2, false
	}
	return Command{Window: name == "window", Files: files, Config: cfg}, 0, true
}

// looksLikeFile tells a file argument from a subcommand: a path with a separator (what file
// managers pass), or an existing name with an extension ("clip.mov"; no subcommand has a dot).
func looksLikeFile(arg string) bool {
	if arg == "" || strings.HasPrefix(arg, "-") {
		return false
	}
	if strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) || filepath.IsAbs(arg) {
		return true
	}
	if !strings.Contains(arg, ".") {
		return false
	}
	_, err := os.Stat(arg)
	return err == nil
}

// NewLogger is the process's logger: text on w, debug detail if verbose.
func NewLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
