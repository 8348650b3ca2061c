package httpapi

import (
	"strings"
	"testing"
)

// FuzzContentRange feeds arbitrary Content-Range headers and body lengths
// to the upload parser: it never panics, and what it accepts is a chunk
// whose numbers are in range and agree with the body's length.
func FuzzContentRange(f *testing.F) {
	for _, h := range []string{"", "bytes 0-9/10", "bytes */10", "bytes */*", "bytes 5-4/10", "bytes -1-3/10",
		"bytes 0-9223372036854775807/9223372036854775807", "bytes 9223372036854775806-9223372036854775807/*",
		"bytes 0-9/-1", "bytes=0-9/10", "bytes 0-9", " bytes  0-9/10 ", "bytes 0x1-2/3", "bytes +0-9/10", "bytes 0-9/1_0"} {
		f.Add(h, int64(10))
		f.Add(h, int64(-1))
		f.Add(h, int64(0))
	}
	f.Fuzz(func(t *testing.T, h string, contentLength int64) {
		c, hasBody, err := parseContentRange(h, contentLength)
		if err != nil {
			return
		}
		if c.Start < 0 || c.Total < -1 || (c.End != -1 && c.End < c.Start) || strings.ContainsAny(h, "+_") {
			t.Fatalf("%q (length %d) accepted as %+v", h, contentLength, c)
		}
		if hasBody && contentLength >= 0 && c.End != -1 && c.End-c.Start+1 != contentLength {
			t.Fatalf("%q covers %d bytes, the body has %d", h, c.End-c.Start+1, contentLength)
		}
		if !hasBody && c.End != -1 {
			t.Fatalf("%q: a status query with a range %+v", h, c)
		}
	})
}
