package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"reelvault/backend/archive"
	"reelvault/backend/feed"
	"reelvault/backend/notify"
	"reelvault/backend/sharing"
)

// notices turns what happens in the archive into desktop notifications: a master ready or
// failed (for assets a person added, never a script's), a share link downloaded for the
// first time. It reads the change feed and hands notices to a sender of its own, so a slow
// or absent notification service never holds up ingest or the feed.
type notices struct {
	notifier notify.Notifier
	hub      *feed.Hub
	archive  *archive.Service
	shares   *sharing.Service
	log      *slog.Logger
	enabled  atomic.Bool // the settings page's switch
	// sent, if set (tests), is told of each notice once the notifier has taken it (or failed).
	sent func(notify.Notice, error)
}

// noticeQueue bounds the notices waiting for the desktop: past it they are dropped (and logged).
const noticeQueue = 32

func (n *notices) Run(ctx context.Context) error {
	changes, unsubscribe := n.hub.Subscribe()
	defer unsubscribe()
	queue := make(chan notify.Notice, noticeQueue)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for nt := range queue {
			err := n.notifier.Notify(ctx, nt)
			if err != nil && ctx.Err() == nil {
				n.log.Warn("desktop notification not shown", "title", nt.Title, "err", err)
			}
			if n.sent != nil {
				n.sent(nt, err)
			}
		}
	}()
	defer func() { close(queue); <-done }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-changes:
			if !n.enabled.Load() || c.Kind != "event" {
				continue
			}
			nt, ok := n.noticeFor(ctx, c)
			if !ok {
				continue
			}
			select {
			case queue <- nt:
			default:
				n.log.Warn("desktop notification dropped: too many at once", "title", nt.Title)
			}
		}
	}
}

// noticeFor is the notice of a change, if it deserves one.
func (n *notices) noticeFor(ctx context.Context, c feed.Change) (notify.Notice, bool) {
	switch c.Type {
	case "video.asset.ready", "video.asset.errored":
		if ok, err := n.archive.Notifies(ctx, c.ObjectID); err != nil || !ok {
			return notify.Notice{}, false // a script's asset, or gone
		}
		a, err := n.archive.Get(ctx, c.ObjectID)
		if err != nil {
			return notify.Notice{}, false
		}
		if c.Type == "video.asset.errored" {
			return notify.Notice{Title: "Master failed: " + a.Title(), Body: a.ErrorMessage}, true
		}
		return notify.Notice{Title: "Master ready: " + a.Title(), Body: masterSummary(a)}, true
	case sharing.EventDownloaded:
		l, err := n.shares.Get(ctx, c.ObjectID)
		if err != nil {
			return notify.Notice{}, false
		}
		what := "A share link"
		if l.Label != "" {
			what = fmt.Sprintf("The link %q", l.Label)
		}
		var titles []string
		for _, id := range l.AssetIDs {
			if a, err := n.archive.Get(ctx, id); err == nil {
				titles = append(titles, a.Title())
			}
		}
		return notify.Notice{Title: "Link downloaded: " + strings.Join(titles, ", "),
			Body: what + " was downloaded for the first time."}, true
	}
	return notify.Notice{}, false
}

// masterSummary is a ready master in a line: "1920×1080, 0:42, 12.3 MB".
func masterSummary(a archive.Asset) string {
	var parts []string
	for _, t := range a.Tracks {
		if t.Type == "video" {
			parts = append(parts, fmt.Sprintf("%d×%d", t.MaxWidth, t.MaxHeight))
			break
		}
	}
	if a.Duration > 0 {
		s := int(a.Duration + 0.5)
		parts = append(parts, fmt.Sprintf("%d:%02d", s/60, s%60))
	}
	if a.MasterSize > 0 {
		parts = append(parts, fmt.Sprintf("%.1f MB", float64(a.MasterSize)/1e6))
	}
	return strings.Join(parts, ", ")
}
