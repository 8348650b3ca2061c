// Package fixity proves the archive's masters are still the bytes that were
// recorded: it re-hashes each master against its SHA-256, on a schedule
// (the audit), from the command line (`reelvault verify`), and against a
// backup's manifest.
package fixity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Master is one file whose bytes are known.
type Master struct {
	AssetID string
	Path    string // absolute
	Size    int64
	SHA256  string // hex
}

// Result is what a check found: Problem is "" when the file is intact.
type Result struct {
	Master
	Problem string
}

// Damaged reports whether the check found the file missing or changed.
func (r Result) Damaged() bool { return r.Problem != "" }

// Throttle keeps a check to a share of the disk's time: after each read
// that took d, it pauses d*(1-Share)/Share. Share 1 (or 0) reads flat out.
type Throttle struct {
	Share float64
	Sleep func(context.Context, time.Duration) error // default: a timer honouring ctx
}

func (t Throttle) pause(ctx context.Context, took time.Duration) error {
	if t.Share <= 0 || t.Share >= 1 {
		return nil
	}
	d := time.Duration(float64(took) * (1 - t.Share) / t.Share)
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

const readSize = 1 << 20

// Check re-hashes m's file. A missing, short, long or changed file is
// damaged, with the reason in words; an error is returned only when the
// check itself could not finish (ctx ended).
func Check(ctx context.Context, m Master, throttle Throttle) (Result, error) {
	res := Result{Master: m}
	f, err := os.Open(m.Path)
	if errors.Is(err, os.ErrNotExist) {
		res.Problem = "the master file is missing"
		return res, nil
	}
	if err != nil {
		res.Problem = "the master file cannot be read: " + err.Error()
		return res, nil
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, readSize)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		start := time.Now()
		k, err := f.Read(buf)
		took := time.Since(start)
		h.Write(buf[:k])
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			res.Problem = "the master file cannot be read: " + err.Error()
			return res, nil
		}
		if err := throttle.pause(ctx, took); err != nil {
			return res, err
		}
	}
	switch sum := hex.EncodeToString(h.Sum(nil)); {
	case n != m.Size:
		res.Problem = fmt.Sprintf("the master file is %d bytes, but %d were recorded", n, m.Size)
	case sum != m.SHA256:
		res.Problem = fmt.Sprintf("the master file's SHA-256 is %s, but %s was recorded: its bytes changed", sum, m.SHA256)
	}
	return res, nil
}

// CheckAll checks every master in turn, telling each result to report
// (which may be nil), and returns the damaged ones.
func CheckAll(ctx context.Context, masters []Master, throttle Throttle, report func(Result)) ([]Result, error) {
	return CheckAllCurrent(ctx, masters, throttle, nil, report)
}

// CheckAllCurrent is CheckAll for masters that may be replaced while it runs. With current
// set, each master is looked up before it is read: an asset gone since the list was read is
// skipped, and one with another master file now (a rebuild swapped it) has that file checked,
// not the one it is about to remove. A master found damaged is looked up once more, for a swap
// between the look-up and the read.
func CheckAllCurrent(ctx context.Context, masters []Master, throttle Throttle,
	current func(ctx context.Context, assetID string) (Master, bool, error), report func(Result)) ([]Result, error) {
	var damaged []Result
	for _, m := range masters {
		if current != nil {
			now, ok, err := current(ctx, m.AssetID)
			if err != nil {
				return damaged, err
			}
			if !ok {
				continue // deleted since the list was read
			}
			m = now
		}
		r, err := Check(ctx, m, throttle)
		if err != nil {
			return damaged, err
		}
		if r.Damaged() && current != nil {
			now, ok, err := current(ctx, m.AssetID)
			if err != nil {
				return damaged, err
			}
			if !ok {
				continue
			}
			if now != m {
				if r, err = Check(ctx, now, throttle); err != nil {
					return damaged, err
				}
			}
		}
		if report != nil {
			report(r)
		}
		if r.Damaged() {
			damaged = append(damaged, r)
		}
	}
	return damaged, nil
}
