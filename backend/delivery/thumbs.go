package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"reelvault/backend/media"
)

// Defaults of the thumbnail cache.
const (
	DefaultCacheBytes   = 256 << 20 // pictures kept on disk, oldest used dropped first
	DefaultFrameWorkers = 2         // ffmpeg runs at once for pictures: a burst queues
	// DefaultQueuedFrames is how many distinct pictures may wait for a worker:
	// a page of thumbnails fits, a client asking thousands does not.
	DefaultQueuedFrames = 32
)

// ErrBusy is a picture refused because the queue is full: ask again later.
var ErrBusy = errors.New("delivery: too many pictures are being made")

// Thumbnails makes pictures of masters with ffmpeg and keeps them in a
// folder, bounded in size. A picture's name is a hash of the master's
// checksum and the parameters, so a changed master never serves an old one.
type Thumbnails struct {
	Dir       string
	MaxBytes  int64 // 0: DefaultCacheBytes
	Workers   int   // 0: DefaultFrameWorkers
	MaxQueued int   // 0: DefaultQueuedFrames
	Log       *slog.Logger

	once    sync.Once
	slots   chan struct{}
	limit   int // pictures pending at most: being made and queued
	mu      sync.Mutex
	pending map[string]*frameCall
	frame   func(ctx context.Context, input, output string, o media.FrameOptions) error // media.Frame; tests hold it
}

type frameCall struct {
	done    chan struct{}
	err     error
	waiters int // requests waiting on it, under Thumbnails.mu
}

// errAbandoned ends a queued picture every client gave up on.
var errAbandoned = errors.New("delivery: picture no longer wanted")

func (t *Thumbnails) init() {
	t.once.Do(func() {
		n := t.Workers
		if n <= 0 {
			n = DefaultFrameWorkers
		}
		t.slots = make(chan struct{}, n)
		q := t.MaxQueued
		if q <= 0 {
			q = DefaultQueuedFrames
		}
		t.limit = n + q
		t.pending = map[string]*frameCall{}
		if t.frame == nil {
			t.frame = media.Frame
		}
		if t.Log == nil {
			t.Log = slog.Default()
		}
	})
}

// Picture is the path of the picture of m that o asks for, made now if it is
// not kept yet. Identical requests at once share one ffmpeg run. With
// Workers pictures being made and MaxQueued waiting, a new one is ErrBusy.
func (t *Thumbnails) Picture(ctx context.Context, m Media, o media.FrameOptions) (string, error) {
	t.init()
	path := filepath.Join(t.Dir, cacheName(m, o))
	if _, err := os.Stat(path); err == nil {
		now := time.Now()
		os.Chtimes(path, now, now) // recently used: evicted last
		return path, nil
	}
	t.mu.Lock()
	call, ok := t.pending[path]
	if !ok {
		if len(t.pending) >= t.limit {
			t.mu.Unlock()
			return "", ErrBusy
		}
		call = &frameCall{done: make(chan struct{})}
		t.pending[path] = call
		go t.make(call, path, m, o)
	}
	call.waiters++
	t.mu.Unlock()
	select {
	case <-call.done:
		return path, call.err
	case <-ctx.Done():
		t.mu.Lock()
		call.waiters--
		t.mu.Unlock()
		return "", ctx.Err()
	}
}

// Pending is how many pictures are being made or wait for a worker.
func (t *Thumbnails) Pending() int {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pending)
}

// make runs ffmpeg for one picture. It is not tied to one request: others
// may wait on it, and a picture half made for a client that left is still
// worth keeping; one still queued when every client has left is not made.
// frameTimeout in media bounds it.
func (t *Thumbnails) make(call *frameCall, path string, m Media, o media.FrameOptions) {
	defer func() {
		t.mu.Lock()
		delete(t.pending, path)
		t.mu.Unlock()
		close(call.done)
	}()
	t.slots <- struct{}{}
	defer func() { <-t.slots }()
	t.mu.Lock()
	abandoned := call.waiters == 0
	t.mu.Unlock()
	if abandoned {
		call.err = errAbandoned
		return
	}
	if err := os.MkdirAll(t.Dir, 0o755); err != nil {
		call.err = err
		return
	}
	tmp := path + ".part" + filepath.Ext(path)
	start := time.Now()
	if err := t.frame(context.Background(), m.Master.Path, tmp, o); err != nil {
		os.Remove(tmp)
		call.err = err
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		call.err = err
		return
	}
	t.Log.Debug("thumbnail made", "component", "delivery", "asset_id", m.AssetID, "at", o.At,
		"width", o.Width, "height", o.Height, "format", o.Format, "took", time.Since(start))
	t.trim(path)
}

// trim drops the least recently used pictures until the folder is within
// its bound; keep, the picture just made, stays for its request.
func (t *Thumbnails) trim(keep string) {
	limit := t.MaxBytes
	if limit <= 0 {
		limit = DefaultCacheBytes
	}
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var all []entry
	var total int64
	filepath.WalkDir(t.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == keep || strings.Contains(d.Name(), ".part") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			all = append(all, entry{p, info.Size(), info.ModTime()})
			total += info.Size()
		}
		return nil
	})
	if total <= limit {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].used.Before(all[j].used) })
	for _, e := range all {
		if total <= limit {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
}

// Forget removes the pictures kept of an asset (it was deleted).
func (t *Thumbnails) Forget(assetID string) {
	names, _ := filepath.Glob(filepath.Join(t.Dir, assetPrefix(assetID)+"-*"))
	for _, n := range names {
		os.Remove(n)
	}
}

// cacheName names a picture by what it shows: the asset (a prefix, so
// Forget finds its pictures), its master's checksum and size, and every
// parameter.
func cacheName(m Media, o media.FrameOptions) string {
	key := fmt.Sprintf("%s|%s|%d|%.3f|%d|%d|%s|%d|%t|%t", m.AssetID, m.Master.SHA256, m.Master.Size,
		o.At, o.Width, o.Height, o.Fit, o.Rotate, o.FlipH, o.FlipV)
	sum := sha256.Sum256([]byte(key))
	return assetPrefix(m.AssetID) + "-" + hex.EncodeToString(sum[:16]) + "." + o.Format
}

// assetPrefix is a file-name-safe stand-in for an asset id.
func assetPrefix(assetID string) string {
	sum := sha256.Sum256([]byte(assetID))
	return hex.EncodeToString(sum[:8])
}
