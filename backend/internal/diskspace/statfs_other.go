//go:build !(linux || darwin || freebsd)

package diskspace

import "errors"

var errUnsupported = errors.New("free space is not known on this system")

// Available is not known here: checks pass and a full disk shows as a
// failed write instead.
func Available(path string) (free, size int64, err error) { return 0, 0, errUnsupported }
