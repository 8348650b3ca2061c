package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"reelvault/backend/httpapi"
	"reelvault/backend/ingest"
)

// IngestFiles makes assets of files given on the command line (a file manager's "Open with"),
// the same way as files dropped on the window.
func (a *App) IngestFiles(ctx context.Context, paths []string) error {
	res, err := a.sources.IngestPaths(ctx, ingest.PathsParams{Paths: paths, Notify: true})
	if err != nil {
		return err
	}
	for _, s := range res.Skipped {
		a.log.Warn("file given on the command line not added", "path", s.Path, "reason", s.Reason)
	}
	a.log.Info("files given on the command line added", "assets", len(res.Assets))
	return nil
}

// HandOff gives files (none: only brings its window to the front) to a Reelvault already
// running over cfg's data folder (a second launch through "Open with" or the menu while the
// window is open): it posts them to that instance's API with the
// data folder's access token. handled is false when no Reelvault answers at cfg.Listen, and
// the caller then starts normally.
func HandOff(ctx context.Context, cfg Config, files []string) (handled bool, err error) {
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil || port == "0" {
		return false, nil // no fixed address to find a running instance at
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	token := accessToken{ID: cfg.TokenID, Secret: cfg.TokenSecret}
	if token.ID == "" {
		raw, err := os.ReadFile(filepath.Join(cfg.DataDir, "access-token.json"))
		if err != nil {
			return false, nil // this data folder never ran: nothing can be running on it
		}
		if err := json.Unmarshal(raw, &token); err != nil || token.ID == "" {
			return false, nil // Open reports the damaged file
		}
	}
	// No files (a menu or dock click): the running window only comes to the front, which any
	// authenticated request marked as a hand-off does.
	method, path, body := http.MethodGet, "/ui/v1/info", []byte(nil)
	if len(files) > 0 {
		method, path = http.MethodPost, "/ui/v1/ingest-paths"
		if body, err = json.Marshal(map[string][]string{"paths": files}); err != nil {
			return false, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, "http://"+net.JoinHostPort(host, port)+path, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handOffHeader, "1")
	req.SetBasicAuth(token.ID, token.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Op == "dial" {
			return false, nil // nothing listens there: start normally
		}
		return false, fmt.Errorf("handing the files to the running Reelvault at %s: %w", cfg.Listen, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return false, fmt.Errorf("the program at %s refused the files (%s): is another Reelvault running on a different data folder?",
			cfg.Listen, resp.Status)
	}
	return true, nil
}

// handOffHeader marks HandOff's request, so the running window comes to the front once the
// files are taken (a script adding paths does not raise it).
const handOffHeader = "X-Reelvault-Open-With"

// HandedOff signals each time a second launch handed files over and they were taken.
func (a *App) HandedOff() <-chan struct{} { return a.handedOff }

// noticeHandOffs wraps the API: a hand-off the API accepted signals HandedOff (dropped when
// the last one is still unread: the window comes to the front once either way).
func (a *App) noticeHandOffs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(handOffHeader) == "" {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(httpapi.ByPerson(r.Context()))) // "Open with": what it adds notifies
		if rec.status < 300 {
			select {
			case a.handedOff <- struct{}{}:
			default:
			}
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
