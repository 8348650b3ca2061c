package store

import "reelvault/backend/fail"

// Paging limits, as Mux's list endpoints have them.
const (
	DefaultPageLimit = 25
	MaxPageLimit     = 100
	// MaxPage keeps (page-1)*limit, the rows skipped, far from overflowing.
	MaxPage = 1_000_000
)

// NormalizePage is the one paging rule of every list: a limit of 1..100
// (0 means the default, 25) and a page from 1 (0 means the first). Out of
// range is an error naming the field, as Mux answers, never clamped.
func NormalizePage(limit, page int) (int, int, error) {
	switch {
	case limit == 0:
		limit = DefaultPageLimit
	case limit < 0 || limit > MaxPageLimit:
		return 0, 0, fail.Invalid("limit", "must be between 1 and %d", MaxPageLimit)
	}
	switch {
	case page == 0:
		page = 1
	case page < 0 || page > MaxPage:
		return 0, 0, fail.Invalid("page", "must be between 1 and %d", MaxPage)
	}
	return limit, page, nil
}
