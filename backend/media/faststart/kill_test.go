package faststart

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
)

// A process killed while it writes the master leaves only the output path it was given
// (the caller's .part), holding an incomplete file that is not a usable MP4: nothing is
// renamed, nothing else is created. The same for a fragmented input (a live recording),
// which is left as it was.
func TestKilledMidCopyLeavesOnlyThePartFile(t *testing.T) {
	t.Run("index at the end", func(t *testing.T) { killMidCopy(t, plainClip(t)) })
	t.Run("fragmented", func(t *testing.T) {
		in := fragClip(t, "frag-moof.mp4", "+default_base_moof")
		before := testmedia.FileSHA256(t, in)
		killMidCopy(t, in)
		if testmedia.FileSHA256(t, in) != before {
			t.Error("the recording changed")
		}
	})
}

func killMidCopy(t *testing.T, in string) {
	dir := t.TempDir()
	part := filepath.Join(dir, "master.mp4.part")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperWriteThenHang$")
	cmd.Env = append(os.Environ(), "FASTSTART_CHILD_IN="+in, "FASTSTART_CHILD_OUT="+part)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The child prints "copying" when it is in the middle of the copy.
	if !waitForLine(stdout, "copying") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child never reached the copy")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	if err := cmd.Wait(); err == nil {
		t.Fatal("the child ended on its own: the kill tested nothing")
	}

	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "master.mp4.part" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("after the kill the folder holds %v, want only master.mp4.part", names)
	}
	st, _ := os.Stat(part)
	full, _ := os.Stat(in)
	if st.Size() >= full.Size() {
		t.Errorf("the part file has %d of %d bytes: it should be incomplete", st.Size(), full.Size())
	}
	if _, err := Inspect(part); !errors.Is(err, ErrNotEligible) {
		t.Errorf("Inspect(part) = %v: an incomplete master must not read as a whole file", err)
	}
}

// TestHelperWriteThenHang is the child of the test above: it writes the index, says so
// and hangs where the data copy would start, until it is killed.
func TestHelperWriteThenHang(t *testing.T) {
	in, out := os.Getenv("FASTSTART_CHILD_IN"), os.Getenv("FASTSTART_CHILD_OUT")
	if in == "" {
		t.Skip("run by TestKilledMidCopyLeavesOnlyThePartFile")
	}
	setHook(t, func(bool, int64) {
		os.Stdout.WriteString("\ncopying\n")
		select {} // hang until killed
	})
	Write(context.Background(), in, out)
}

// waitForLine reads r until a line equal to want, or its end.
func waitForLine(r io.Reader, want string) bool {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if sc.Text() == want {
			go io.Copy(io.Discard, r)
			return true
		}
	}
	return false
}
