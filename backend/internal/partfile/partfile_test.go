package partfile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The final name appears only once every byte is written; until then, and
// after an abort, there is at most the .part.
func TestFinalAppearsOnlyComplete(t *testing.T) {
	final := filepath.Join(t.TempDir(), "master.mp4")
	os.WriteFile(final+Suffix, []byte("left by a crash"), 0o600)
	f, err := Create(final, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the final name exists before Commit: %v", err)
	}
	f.Write([]byte(" and the rest"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(final); string(b) != "half and the rest" {
		t.Errorf("final holds %q", b)
	}
	if _, err := os.Stat(final + Suffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the .part is still there: %v", err)
	}
	f.Abort() // after Commit: nothing happens

	other := filepath.Join(filepath.Dir(final), "other.json")
	g, _ := Create(other, 0o600)
	g.Write([]byte("{"))
	g.Abort()
	for _, p := range []string{other, other + Suffix} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after Abort: %v", filepath.Base(p), err)
		}
	}
	if err := WriteJSON(other, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(other); string(b) != "{\n  \"a\": 1\n}\n" {
		t.Errorf("WriteJSON wrote %q", b)
	}
}

// Finish completes a file another program wrote; when it fails (here: the
// writer never produced its file) there is no final file.
func TestFinish(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "thumb.jpg")
	if err := Finish(filepath.Join(dir, "thumb.part.jpg"), final); err == nil {
		t.Fatal("Finish of a missing part: no error")
	}
	if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a final file after a failed Finish: %v", err)
	}
	part := filepath.Join(dir, "thumb.part.jpg")
	if err := os.WriteFile(part, []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Finish(part, final); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(final); string(b) != "jpeg" {
		t.Errorf("final holds %q", b)
	}
	if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the part is still there: %v", err)
	}
}

// A process killed while writing leaves only the .part: nothing under the
// final name. The test runs itself as the writer and SIGKILLs it mid-file.
func TestKilledWriterLeavesOnlyThePart(t *testing.T) {
	if final := os.Getenv("PARTFILE_KILL_FINAL"); final != "" {
		f, err := Create(final, 0o600)
		if err != nil {
			os.Exit(2)
		}
		f.Write([]byte("the first half"))
		f.Sync()
		os.Stdout.WriteString("written\n") // the parent kills us now
		io.ReadAll(os.Stdin)               // blocks: the parent never writes or closes it
		os.Exit(3)
	}
	final := filepath.Join(t.TempDir(), "master.mp4")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesOnlyThePart$")
	cmd.Env = append(os.Environ(), "PARTFILE_KILL_FINAL="+final)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "written\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("writer said %q (%v)", line, err)
	}
	cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
	cmd.Wait()
	if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file under the final name after a kill mid-write: %v", err)
	}
	if b, err := os.ReadFile(final + Suffix); err != nil || string(b) != "the first half" {
		t.Errorf("the .part holds %q (%v), want what was written", b, err)
	}
}
