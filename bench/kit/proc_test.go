package kit

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A process past its deadline is killed with everything it started, and
// Wait says so promptly.
func TestProcTimeoutKillsTheGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	p := Command(300*time.Millisecond, "sh", "-c", "sleep 30 & echo $! > "+pidFile+"; wait").Start()
	start := time.Now()
	err := p.Wait()
	if err == nil || !strings.Contains(err.Error(), "took longer than") {
		t.Fatalf("Wait = %v, want a timeout error", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("Wait returned after %v, want about 300ms", took)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	// The reaper may take a moment: poll, with a deadline.
	deadline := time.After(5 * time.Second)
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for syscall.Kill(child, 0) == nil {
		select {
		case <-deadline:
			t.Fatalf("the background child %d outlived the timeout", child)
		case <-poll.C:
		}
	}
}

func TestProcFailureNamesTheCommand(t *testing.T) {
	err := Command(time.Minute, "sh", "-c", "exit 3").Start().Wait()
	if err == nil || !strings.Contains(err.Error(), "sh") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("Wait = %v, want sh's exit status 3", err)
	}
}

func TestMedianLeavesItsInputAlone(t *testing.T) {
	ds := []time.Duration{3, 1, 2, 5}
	if m := Median(ds); m != 3 {
		t.Fatalf("Median = %v, want 3 (the upper middle of 4)", m)
	}
	if ds[0] != 3 || ds[3] != 5 {
		t.Fatalf("Median reordered its input: %v", ds)
	}
}
