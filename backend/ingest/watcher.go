package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// folderWatcher watches one folder: fsnotify events on every subfolder plus
// a periodic rescan (events get lost: a queue overflow, a folder moved in
// whole), or only the scan on file systems that send no events. Changed
// files wait in the settler; settled ones go to the service's ingest queue.
type folderWatcher struct {
	s      *Service
	folder Folder
	cancel context.CancelFunc
	done   chan struct{}

	mu        sync.Mutex
	state     string
	message   string
	lastScan  time.Time
	scanBegan time.Time // of the last whole scan
	settle    *settler
}

func (s *Service) newWatcher(f Folder) *folderWatcher {
	return &folderWatcher{s: s, folder: f, done: make(chan struct{}), state: StateStarting, settle: newSettler(s.cfg.SettleDelay)}
}

// run keeps the folder watched until ctx ends; when it cannot be (missing,
// unreadable) the state says why and it is tried again.
func (w *folderWatcher) run(ctx context.Context) {
	defer close(w.done)
	log := w.s.log.With("folder", w.folder.ID, "path", w.folder.Path)
	for ctx.Err() == nil {
		err := w.watch(ctx)
		if ctx.Err() != nil {
			return
		}
		w.setState(StateError, err.Error())
		log.Warn("watch folder unavailable; retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(min(w.s.cfg.PollEvery, w.s.cfg.RescanEvery)):
		}
	}
}

// watch runs one watching session; it returns when the folder goes away.
func (w *folderWatcher) watch(ctx context.Context) error {
	root := w.folder.Path
	if err := checkDir(root); err != nil {
		return err
	}
	var fsw *fsnotify.Watcher
	interval := w.s.cfg.RescanEvery
	if network, typ := w.s.cfg.NetworkFS(root); network {
		interval = w.s.cfg.PollEvery
		w.setState(StatePolling, fmt.Sprintf("network folder (%s): it sends no change events, so it is checked every %s", typ, interval))
	} else {
		var err error
		fsw, err = fsnotify.NewWatcher()
		if err == nil {
			err = w.addTree(fsw, root)
		}
		if err != nil {
			if fsw != nil {
				fsw.Close()
				fsw = nil
			}
			interval = w.s.cfg.PollEvery
			w.setState(StatePolling, fmt.Sprintf("change events are not available (%v), so it is checked every %s", describeWatchError(err), interval))
		} else {
			defer fsw.Close()
			w.setState(StateWatching, "")
		}
	}
	w.scan(ctx, root)

	var events <-chan fsnotify.Event
	var errs <-chan error
	if fsw != nil {
		events, errs = fsw.Events, fsw.Errors
	}
	scanTick := time.NewTicker(interval)
	defer scanTick.Stop()
	settleTick := time.NewTicker(min(250*time.Millisecond, max(w.s.cfg.SettleDelay/4, 10*time.Millisecond)))
	defer settleTick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return errors.New("the change watcher stopped")
			}
			if ev.Name == root && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
				return fmt.Errorf("%s was removed or renamed", root)
			}
			w.onEvent(ctx, fsw, ev)
		case err, ok := <-errs:
			if !ok {
				return errors.New("the change watcher stopped")
			}
			// An overflow means events were lost: look at everything again.
			w.s.log.Warn("watch folder event error; rescanning", "folder", w.folder.ID, "err", err)
			w.scan(ctx, root)
		case <-scanTick.C:
			if err := checkDir(root); err != nil {
				return err
			}
			w.scan(ctx, root)
		case <-settleTick.C:
			w.settleDue()
			w.reportSettled()
		}
	}
}

// reportSettled calls the service's settled hook (tests) when nothing in
// this folder is waiting or being ingested. It runs on the watcher's own
// goroutine after settleDue, so a file is never between the two states.
func (w *folderWatcher) reportSettled() {
	if w.s.settled == nil {
		return
	}
	w.mu.Lock()
	waiting, began := len(w.settle.pending), w.scanBegan
	w.mu.Unlock()
	w.s.mu.Lock()
	busy := len(w.s.inflight)
	w.s.mu.Unlock()
	if waiting == 0 && busy == 0 && !began.IsZero() {
		w.s.settled(w.folder.ID, began)
	}
}

func checkDir(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s does not exist (it may be an unplugged drive or an unmounted share)", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%s cannot be read: permission denied", path)
	case err != nil:
		return fmt.Errorf("%s cannot be read: %v", path, err)
	case !st.IsDir():
		return fmt.Errorf("%s is not a folder", path)
	}
	return nil
}

func describeWatchError(err error) string {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
		return "the system's limit on watched folders is reached; raise fs.inotify.max_user_watches"
	}
	return err.Error()
}

// skipDir reports folders never looked into: hidden ones, the done folder
// and the archive's own data folder.
func (w *folderWatcher) skipDir(path string) bool {
	if path != w.folder.Path && ignoredDir(filepath.Base(path)) {
		return true
	}
	return path == w.folder.DoneDir() || within(path, w.s.cfg.DataDir)
}

// addTree watches dir and every folder below it.
func (w *folderWatcher) addTree(fsw *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable subfolder: the rest is still watched
		}
		if !d.IsDir() {
			return nil
		}
		if w.skipDir(path) {
			return filepath.SkipDir
		}
		return fsw.Add(path)
	})
}

// scan looks at every file under dir: the first look, the safety net for
// lost events, and the only source of news when polling.
func (w *folderWatcher) scan(ctx context.Context, dir string) {
	began := w.s.now()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return filepath.SkipAll // stopping: a big network folder must not hold it up
		}
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if w.skipDir(path) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			if st, err := d.Info(); err == nil {
				w.observe(path, st)
			}
		}
		return nil
	})
	if dir == w.folder.Path && ctx.Err() == nil {
		w.mu.Lock()
		w.lastScan, w.scanBegan = w.s.now(), began
		w.mu.Unlock()
	}
}

func (w *folderWatcher) onEvent(ctx context.Context, fsw *fsnotify.Watcher, ev fsnotify.Event) {
	switch {
	case ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) || ev.Has(fsnotify.Chmod):
		st, err := os.Lstat(ev.Name)
		if err != nil {
			return
		}
		if st.IsDir() {
			if ev.Has(fsnotify.Create) && !w.skipDir(ev.Name) {
				if err := w.addTree(fsw, ev.Name); err != nil {
					w.s.log.Warn("watch new subfolder", "path", ev.Name, "err", err)
				}
				w.scan(ctx, ev.Name) // files that landed before its watch did
			}
			return
		}
		if st.Mode().IsRegular() && !w.skipDir(filepath.Dir(ev.Name)) {
			w.observe(ev.Name, st)
		}
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		w.mu.Lock()
		w.settle.forget(ev.Name)
		w.mu.Unlock()
		fsw.Remove(ev.Name) // a folder renamed away; an error for plain files is expected
	}
}

// observe notes a file that may be new or changed.
func (w *folderWatcher) observe(path string, st os.FileInfo) {
	if ignoredName(filepath.Base(path)) {
		return
	}
	stamp := stampOf(st)
	if w.s.isKnown(path, stamp) || w.s.isInflight(path) {
		return
	}
	w.mu.Lock()
	w.settle.observe(path, stamp, w.s.now())
	w.mu.Unlock()
}

// settleDue hands settled files to the ingest queue.
func (w *folderWatcher) settleDue() {
	w.mu.Lock()
	settled := w.settle.due(w.s.now(), os.Lstat)
	w.mu.Unlock()
	for path, stamp := range settled {
		if !w.s.enqueue(settledFile{w: w, path: path, stamp: stamp}) {
			// The queue is full: look again after another settle delay.
			w.mu.Lock()
			w.settle.observe(path, stamp, w.s.now())
			w.mu.Unlock()
		}
	}
}

// reobserve puts a file back to settling (it changed while being ingested).
func (w *folderWatcher) reobserve(path string, stamp fileStamp) {
	w.mu.Lock()
	w.settle.observe(path, stamp, w.s.now())
	w.mu.Unlock()
}

func (w *folderWatcher) setState(state, message string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state != state || w.message != message {
		w.s.log.Info("watch folder state", "folder", w.folder.ID, "path", w.folder.Path, "state", state, "message", message)
	}
	w.state, w.message = state, message
}

// status is the watcher's state and the files it is waiting on.
func (w *folderWatcher) status() (state, message string, lastScan time.Time, settling map[string]candidate) {
	w.mu.Lock()
	defer w.mu.Unlock()
	settling = make(map[string]candidate, len(w.settle.pending))
	for p, c := range w.settle.pending {
		settling[p] = *c
	}
	return w.state, w.message, w.lastScan, settling
}
