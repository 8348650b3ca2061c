package fixity

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Defaults of the scheduled audit.
const (
	DefaultInterval = 7 * 24 * time.Hour
	DefaultShare    = 0.25 // of the disk's time, so editing on the same disk stays smooth
)

// AuditConfig is what the scheduled audit needs from the outside.
type AuditConfig struct {
	Masters func(ctx context.Context) ([]Master, error) // every master to check, read fresh each run
	Record  func(ctx context.Context, r Result) error   // the outcome of one check
	// Current, if set, is the master an asset has now (ok false: none, it was deleted).
	// A master found damaged is looked up again: one replaced since the list was read
	// (a rebuild at another size) is no damage, and the new file is checked instead.
	Current  func(ctx context.Context, assetID string) (m Master, ok bool, err error)
	LastRun  func(ctx context.Context) (time.Time, error)
	SaveRun  func(ctx context.Context, at time.Time) error
	Interval time.Duration // between audits; 0 means DefaultInterval, below 0 turns the audit off
	Throttle Throttle      // Share 0 means DefaultShare
	Now      func() time.Time
	Log      *slog.Logger
}

// Auditor re-hashes every master on a schedule. The schedule survives
// restarts: the time of the last finished audit is saved.
type Auditor struct {
	cfg AuditConfig
	log *slog.Logger
}

// NewAuditor makes the scheduled audit.
func NewAuditor(cfg AuditConfig) *Auditor {
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Throttle.Share == 0 {
		cfg.Throttle.Share = DefaultShare
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Auditor{cfg: cfg, log: cfg.Log.With("component", "fixity")}
}

// Run audits whenever one is due, until ctx ends.
func (a *Auditor) Run(ctx context.Context) error {
	if a.cfg.Interval < 0 {
		<-ctx.Done()
		return nil
	}
	for {
		last, err := a.cfg.LastRun(ctx)
		if err != nil {
			return err
		}
		wait := time.Duration(0)
		if !last.IsZero() {
			wait = last.Add(a.cfg.Interval).Sub(a.cfg.Now())
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
		}
		if _, _, err := a.AuditNow(ctx); err != nil {
			if ctx.Err() != nil {
				return nil // stopped mid-audit: the next start audits again
			}
			return err
		}
	}
}

// AuditNow checks every master once, throttled, records each outcome and
// saves the time of this audit.
func (a *Auditor) AuditNow(ctx context.Context) (checked int, damaged []Result, err error) {
	start := a.cfg.Now()
	masters, err := a.cfg.Masters(ctx)
	if err != nil {
		return 0, nil, err
	}
	a.log.Info("fixity audit started", "masters", len(masters))
	var recordErr error
	damaged, err = CheckAllCurrent(ctx, masters, a.cfg.Throttle, a.cfg.Current, func(r Result) {
		checked++
		if r.Damaged() {
			a.log.Error("a master is damaged", "asset", r.AssetID, "problem", r.Problem)
		}
		recordErr = errors.Join(recordErr, a.cfg.Record(ctx, r))
	})
	if err = errors.Join(err, recordErr); err != nil {
		return checked, damaged, err
	}
	if err := a.cfg.SaveRun(ctx, start); err != nil {
		return checked, damaged, err
	}
	a.log.Info("fixity audit finished", "masters", checked, "damaged", len(damaged), "took", a.cfg.Now().Sub(start))
	return checked, damaged, nil
}
