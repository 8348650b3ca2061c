package testmedia

import (
	"flag"
	"log/slog"
	"os"
	"testing"
)

// RunMain is a TestMain for suites on shared clips: the default logger is
// quiet (services log through it), and the clips are removed at the end.
func RunMain(m *testing.M, clips *ClipCache) {
	flag.Parse()
	slog.SetDefault(QuietLogger())
	code := m.Run()
	clips.Remove()
	os.Exit(code)
}
