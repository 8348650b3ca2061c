package testmedia

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
)

// QuietLogger discards logs in a normal run and prints them at debug level
// under -v, so a passing run stays quiet. Call it after flag.Parse.
func QuietLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// LockedBuffer is a bytes.Buffer several goroutines may write (a service's
// log, a child process's stderr) while a test reads it.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// BufferLogger logs at debug level into a LockedBuffer that t's output shows
// if the test fails (and that a test may search).
func BufferLogger(t testing.TB) (*slog.Logger, *LockedBuffer) {
	logs := &LockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("service log:\n%s", logs.String())
		}
	})
	return slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), logs
}
