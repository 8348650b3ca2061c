package wire

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"reelvault/backend/archive"
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

// FuzzNewAssetSettings feeds arbitrary JSON to the one settings parser and
// validator: nothing panics, and what both accept is one of the choices,
// with labels within their bounds.
func FuzzNewAssetSettings(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"master_access":"temporary","max_resolution_tier":"2160p"}`,
		`{"encoding_tier":"baseline"}`, `{"video_quality":"ultra"}`, `{"passthrough":"` + strings.Repeat("x", 300) + `"}`,
		`{"meta":{"title":"\u0000"}}`, `[1,2]`, `"temporary"`, `{"playback_policies":["public"]}`, `{"max_resolution_tier":1080}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := ParseNewAssetSettings(raw)
		if err != nil || s.Validate() != nil {
			return
		}
		d := s.WithDefaults()
		if !slices.Contains(archive.MasterAccesses, d.MasterAccess) || !slices.Contains(archive.ResolutionTiers, d.MaxResolutionTier) ||
			!slices.Contains(archive.VideoQualities, d.VideoQuality) {
			t.Fatalf("%s accepted as %+v", raw, d)
		}
		if utf8.RuneCountInString(d.Passthrough) > 255 || utf8.RuneCountInString(d.Meta.Title) > 512 {
			t.Fatalf("%s accepted with labels past their bounds", raw)
		}
	})
}
