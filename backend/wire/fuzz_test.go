package wire

import (
	"net/url"
	"testing"

	"reelvault/backend/store"
)

// FuzzPage feeds arbitrary queries to the one paging rule: anything it
// accepts is a limit of 1..100 and a page whose offset cannot overflow.
func FuzzPage(f *testing.F) {
	for _, q := range []string{"", "limit=10&page=2", "limit=0", "limit=101", "page=-1", "page=9223372036854775807",
		"limit=1e3", "limit=%00", "limit=10&limit=20", "page=1000000", "page=1000001"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := ParsePage(q)
		if err != nil {
			return
		}
		limit, page, err := store.NormalizePage(p.Limit, p.Page)
		if err != nil {
			return
		}
		if limit < 1 || limit > store.MaxPageLimit || page < 1 || page > store.MaxPage {
			t.Fatalf("%q accepted as limit %d page %d", raw, limit, page)
		}
		if offset := int64(page-1) * int64(limit); offset < 0 || offset > int64(store.MaxPage)*store.MaxPageLimit {
			t.Fatalf("%q gives offset %d", raw, offset)
		}
	})
}
