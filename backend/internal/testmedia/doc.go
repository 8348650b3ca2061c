// Package testmedia holds the helpers Reelvault's tests share: small clips made
// by real ffmpeg from lavfi sources, a failure (not a skip) when the tools are
// missing, a quiet logger and a buffer safe to write from several goroutines.
// Only tests import it.
package testmedia
