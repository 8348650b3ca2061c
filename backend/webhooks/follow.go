package webhooks

import (
	"context"
	"time"
)

// followPoll is how often Follow looks for events when no commit woke it
// (a safety net, as the feed has).
const followPoll = time.Second

// Follow streams every event recorded from now on, each as the body Mux
// POSTs to a webhook endpoint (without attempts), until ctx ends; the
// channel is closed then. It serves Mux's webhook event stream, which
// `mux webhooks listen` reads. A reader that falls behind holds the stream
// back rather than losing events.
func (s *Service) Follow(ctx context.Context) (<-chan []byte, error) {
	wake := make(chan struct{}, 1)
	stopListening := s.db.OnEvents(func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	after, err := s.lastEventSeq(ctx) // read after listening starts, so no commit falls between
	if err != nil {
		stopListening()
		return nil, err
	}
	out := make(chan []byte, 64)
	go func() {
		defer close(out)
		defer stopListening()
		tick := time.NewTicker(followPoll)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-tick.C:
			}
			for {
				evs, err := s.db.EventsAfter(ctx, after, fanOutBatch)
				if err != nil {
					if ctx.Err() == nil {
						s.log.Warn("webhook event stream: read events", "err", err)
					}
					break
				}
				for _, ev := range evs {
					after = ev.Seq
					if ev.Type == testEventType {
						continue // addressed to one endpoint
					}
					body, err := s.envelope(claimed{event: ev}, nil)
					if err != nil {
						s.log.Warn("webhook event stream: envelope", "event", ev.ID, "err", err)
						continue
					}
					select {
					case out <- body:
					case <-ctx.Done():
						return
					}
				}
				if len(evs) < fanOutBatch {
					break
				}
			}
		}
	}()
	return out, nil
}
