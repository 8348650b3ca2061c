package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/sync/errgroup"
)

// component is one part of the app that runs until its context ends.
// Run returns nil when its context ends, an error when it cannot go on.
type component struct {
	name string
	run  func(context.Context) error
}

// supervise runs every component until ctx ends or one of them fails (it
// returns an error, returns without being asked to, or panics). Then it
// calls stopListeners, which must make the listener components return once
// drained, cancels the other components and waits for all of them. It
// returns the first failure, named after its component, or nil.
func supervise(ctx context.Context, log *slog.Logger, components []component, stopListeners func()) error {
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	g, failed := errgroup.WithContext(workCtx)
	stopping := make(chan struct{})
	for _, c := range components {
		g.Go(func() (err error) {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("%s: panic: %v", c.name, v)
					log.Error("component failed", "component", c.name, "err", err)
				}
			}()
			err = c.run(failed)
			select {
			case <-stopping:
				if err != nil {
					log.Warn("error while stopping", "component", c.name, "err", err)
				}
				return nil
			default:
			}
			if err == nil {
				err = errors.New("stopped without being asked to")
			}
			log.Error("component failed; stopping the app", "component", c.name, "err", err)
			return fmt.Errorf("%s: %w", c.name, err)
		})
	}
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case <-failed.Done():
	}
	close(stopping)
	stopListeners()
	// A running ffmpeg is killed; its job resumes at the next start.
	stopWork()
	return g.Wait()
}
