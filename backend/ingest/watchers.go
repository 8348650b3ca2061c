package ingest

import (
	"context"
)

// startAllWatchers starts a watcher per folder in the database.
func (s *Service) startAllWatchers(ctx context.Context) error {
	folders, err := listFolders(ctx, s.db)
	if err != nil {
		return err
	}
	for _, f := range folders {
		s.restartWatcher(f)
	}
	return nil
}

// restartWatcher (re)starts the watcher of f with its current settings. It
// does nothing before Run (the folder is picked up when Run starts).
func (s *Service) restartWatcher(f Folder) {
	s.stopWatcher(f.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runCtx == nil || s.runCtx.Err() != nil {
		return
	}
	w := s.newWatcher(f)
	ctx, cancel := context.WithCancel(s.runCtx)
	w.cancel = cancel
	s.watchers[f.ID] = w
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		w.run(ctx)
	}()
}

// stopWatcher stops a folder's watcher and waits for it.
func (s *Service) stopWatcher(id string) {
	s.mu.Lock()
	w := s.watchers[id]
	delete(s.watchers, id)
	s.mu.Unlock()
	if w != nil {
		w.cancel()
		<-w.done
	}
}

func (s *Service) stopAllWatchers() {
	s.mu.Lock()
	ids := make([]string, 0, len(s.watchers))
	for id := range s.watchers {
		ids = append(ids, id)
	}
	s.runCtx = nil
	s.mu.Unlock()
	for _, id := range ids {
		s.stopWatcher(id)
	}
}

func (s *Service) watcher(id string) *folderWatcher {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.watchers[id]
}

// loadKnown reads what was recorded of every watched file, so a rescan
// skips unchanged files without reading them.
func (s *Service) loadKnown(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT path, size, mtime_ns FROM watch_files ORDER BY seen_ns`)
	if err != nil {
		return err
	}
	defer rows.Close()
	known := map[string]fileStamp{}
	for rows.Next() {
		var path string
		var st fileStamp
		if err := rows.Scan(&path, &st.size, &st.mtimeNS); err != nil {
			return err
		}
		known[path] = st // the latest row of a path wins
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.known = known
	s.mu.Unlock()
	return nil
}

func (s *Service) isKnown(path string, st fileStamp) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.known[path]
	return ok && k == st
}

func (s *Service) remember(path string, st fileStamp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[path] = st
}

func (s *Service) isInflight(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight[path]
}

// settledFile is a file that stopped changing, on its way to becoming an asset.
type settledFile struct {
	w     *folderWatcher
	path  string
	stamp fileStamp
}

// enqueue hands a settled file to the ingest workers; false if the queue is
// full (the watcher tries again later).
func (s *Service) enqueue(f settledFile) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[f.path] {
		return true
	}
	select {
	case s.queue <- f:
		s.inflight[f.path] = true
		return true
	default:
		return false
	}
}

func (s *Service) ingestWorker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-s.queue:
			if err := s.ingestWatched(ctx, f); err != nil && ctx.Err() == nil {
				// Not recorded: the next rescan finds the file again.
				s.log.Warn("watched file not ingested; will retry", "path", f.path, "err", err)
			}
			s.mu.Lock()
			delete(s.inflight, f.path)
			s.mu.Unlock()
		}
	}
}
