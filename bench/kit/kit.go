// Package kit holds what the benchmark programs under bench/ share: a
// `reelvault serve` on a fresh data folder and its JSON API, the 60 s 1080p
// input clip, external processes with a deadline, and the figures' helpers.
// It exits the program (log.Fatal) on any failure: a benchmark that cannot
// measure has nothing to report. Linux only, as the benchmarks read /proc.
package kit

import (
	"log"
	"path/filepath"
	"slices"
	"time"
)

// Median is the middle of ds (the upper one of an even count); ds is not reordered.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Timed returns how long fn took.
func Timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

// MB converts bytes to (decimal) megabytes.
func MB(n int64) float64 { return float64(n) / 1e6 }

// Must exits the program if err is not nil.
func Must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// MustAbs is p made absolute, or the program exits.
func MustAbs(p string) string {
	a, err := filepath.Abs(p)
	Must(err)
	return a
}
