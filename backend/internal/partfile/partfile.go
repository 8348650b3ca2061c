// Package partfile writes files that are never seen half-written: the bytes
// go to NAME.part, are flushed to disk, and only then renamed to NAME (and
// the rename itself made durable). A crash or a kill at any moment leaves
// either the old file or the whole new one, plus at most a .part that
// start-up may remove.
package partfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// Suffix marks a file still being written.
const Suffix = ".part"

// File is a file being written under its .part name.
type File struct {
	*os.File
	final string
	done  bool
}

// Create starts writing final (any earlier .part of it is replaced).
func Create(final string, perm os.FileMode) (*File, error) {
	f, err := os.OpenFile(final+Suffix, os.O_RDWR|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return nil, err
	}
	return &File{File: f, final: final}, nil
}

// Commit flushes the bytes, renames the file to its final name and makes
// the rename durable. On error the .part is removed.
func (f *File) Commit() error {
	if f.done {
		return errors.New("partfile: already committed or aborted")
	}
	f.done = true
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = publish(f.File.Name(), f.final)
	}
	if err != nil {
		os.Remove(f.File.Name())
	}
	return err
}

// Finish completes a file another program wrote under a part name (ffmpeg,
// SQLite's VACUUM INTO): its bytes are flushed, it is renamed to final and
// the rename made durable. part is usually final+Suffix; a writer that
// picks its format by extension may use another name ("ID.part.jpg"). On
// error part is left where it is, for the caller to remove or retry.
func Finish(part, final string) error {
	if err := syncFile(part); err != nil {
		return err
	}
	return publish(part, final)
}

// Flush makes a file and its name durable: its bytes are flushed, then the
// folder holding it. It is for a writer that renames first and flushes after,
// so a reader can start on the lasting name meanwhile, and whose own record (a
// database row committed after Flush) says whether the file is complete: its
// name alone does not, and a crash before the record is undone by that
// writer's recovery.
func Flush(path string) error {
	if err := syncFile(path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// syncFile flushes the bytes of the file at path to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// publish renames a flushed file to its final name, durably.
func publish(part, final string) error {
	if err := os.Rename(part, final); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(final))
}

// Abort drops what was written. It is a no-op after Commit, so it can be
// deferred right after Create.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// SyncDir makes a rename or a new file in dir durable. Windows cannot open a
// folder for flushing (it answers "Access denied"); NTFS journals the rename.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteFile writes data to path through a .part file.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// WriteJSON writes v, indented, to path through a .part file.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFile(path, append(b, '\n'), 0o600)
}
