package app

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Version is the release this binary reports.
const Version = "0.1.0"

const usage = `Usage:
  reelvault [flags]          open the desktop window
  reelvault serve [flags]    run without a window; the UI is at the --listen address
  reelvault verify [--data DIR] [--manifest FILE]
                             re-hash every master against its SHA-256; exit 1 if any is damaged
  reelvault backup [--data DIR] DIR
                             write a snapshot of the database and a manifest of the masters
  reelvault version

Run 'reelvault serve -h' for the flags.
`

// Command is what the command line asks for.
type Command struct {
	Window      bool // the desktop window; else `serve`
	Config      Config
	Maintenance *Maintenance // verify or backup: run it and exit, nothing else
}

// ParseArgs reads the subcommand and its flags. When the process should
// end here (version, help, a bad invocation) it has printed why and
// returns ok=false with the exit code.
func ParseArgs(args []string, getenv func(string) string, stdout, stderr io.Writer) (c Command, exit int, ok bool) {
	name := "window"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	switch name {
	case "serve", "window":
	case "verify", "backup":
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
	return Command{Window: name == "window", Config: cfg}, 0, true
}

// NewLogger is the process's logger: text on w, debug detail if verbose.
func NewLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
