package httpapi

import "time"

// SetJSONBodyTimeout shortens the JSON body deadline for a test; the
// returned func puts it back.
func SetJSONBodyTimeout(d time.Duration) (restore func()) {
	old := jsonBodyTimeout
	jsonBodyTimeout = d
	return func() { jsonBodyTimeout = old }
}
