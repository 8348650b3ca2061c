package wire

import (
	"net/url"
	"strconv"

	"reelvault/backend/fail"
)

// Data is Mux's envelope of a single object: {"data": ...}.
type Data struct {
	Data any `json:"data"`
}

// List is Mux's envelope of a list: {"data": [...], "next_cursor": ...};
// next_cursor is null on the last page (and on lists without cursors).
type List struct {
	Data       any     `json:"data"`
	NextCursor *string `json:"next_cursor"`
	// Total is Reelvault's own: how many items match, across all pages (the asset list).
	Total *int `json:"total,omitempty"`
}

// NewList wraps items, with nextCursor unless it is empty.
func NewList(items any, nextCursor string) List {
	l := List{Data: items}
	if nextCursor != "" {
		l.NextCursor = &nextCursor
	}
	return l
}

// Error is Mux's error body.
type Error struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of Mux's error body.
type ErrorDetail struct {
	Type     string   `json:"type"`
	Messages []string `json:"messages"`
}

// Page is the limit and page of a list request as Mux's query parameters
// give them; 0 means not given. Their range is checked by the list itself
// (store.NormalizePage), which every list shares.
type Page struct {
	Limit int
	Page  int
}

// ParsePage reads limit and page from a query.
func ParsePage(q url.Values) (Page, error) {
	var p Page
	var err error
	if p.Limit, err = wholeNumber(q, "limit"); err != nil {
		return Page{}, err
	}
	if p.Page, err = wholeNumber(q, "page"); err != nil {
		return Page{}, err
	}
	return p, nil
}

func wholeNumber(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fail.Invalid(name, "must be a whole number")
	}
	return n, nil
}
