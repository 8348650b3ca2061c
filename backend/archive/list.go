package archive

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"reelvault/backend/store"
)

// ListParams selects a page of assets, newest first unless OrderBy says otherwise.
type ListParams struct {
	Limit        int    // 1..100, default 25
	Page         int    // 1-based; ignored when Cursor is set
	Cursor       string // from a previous page's next cursor
	LiveStreamID string
	UploadID     string
	Status       string
	Search       string // in title and input
	Order        string // "desc" (the default, as Mux) or "asc"
	// Reelvault's own: the library's sort and filters. Empty OrderBy is Mux's date order.
	OrderBy    string // "created_at", "name", "duration", "size", "resolution", "captured"
	Source     string // file | url | upload | watch | live
	Codec      string // the master's video codec (h264, hevc...) or audio codec
	Resolution string // "audio" (no picture), "sd" (<1280 wide), "hd" (<1920), "full_hd" (<3840), "4k"
}

// nameKey is what the library calls an untitled video: its input's file name (the part after
// the last / or \), not the whole path, so clips from different folders sort among each other
// by the name the window shows.
const nameKey = `lower(CASE WHEN title <> '' THEN title ELSE substr(replace(input, '\', '/'), ` +
	`length(rtrim(replace(input, '\', '/'), replace(replace(input, '\', '/'), '/', ''))) + 1) END)`

// sortKeys are the SQL expressions the library orders by. name (migration 024), duration and
// size (010) are indexed as written; resolution is read from the tracks JSON.
var sortKeys = map[string]string{
	"created_at": "created_ns",
	"name":       nameKey,
	"duration":   "coalesce(duration, -1)",
	"size":       "coalesce(master_size, -1)",
	"resolution": "coalesce((SELECT max(json_extract(t.value, '$.max_width') * json_extract(t.value, '$.max_height')) FROM json_each(assets.tracks) t WHERE json_extract(t.value, '$.type') = 'video'), 0)",
	// RFC 3339 in UTC sorts as text; assets without a capture date come first (oldest).
	"captured": "coalesce(json_extract(input_info, '$.CapturedAt'), '')",
}

// videoWidth is the widest picture among an asset's video tracks (0: none).
const videoWidth = "coalesce((SELECT max(json_extract(t.value, '$.max_width')) FROM json_each(assets.tracks) t WHERE json_extract(t.value, '$.type') = 'video'), 0)"

var resolutionFilters = map[string]string{
	"audio":   videoWidth + " = 0 AND status = 'ready'",
	"sd":      videoWidth + " BETWEEN 1 AND 1279",
	"hd":      videoWidth + " BETWEEN 1280 AND 1919",
	"full_hd": videoWidth + " BETWEEN 1920 AND 3839",
	"4k":      videoWidth + " >= 3840",
}

func (p *ListParams) normalize() error {
	var err error
	if p.Limit, p.Page, err = store.NormalizePage(p.Limit, p.Page); err != nil {
		return err
	}
	if p.Order == "" {
		p.Order = "desc"
	}
	if err := oneOf("order", p.Order, []string{"asc", "desc"}); err != nil {
		return err
	}
	if p.OrderBy == "" {
		p.OrderBy = "created_at"
	}
	if err := oneOf("order_by", p.OrderBy, []string{"created_at", "name", "duration", "size", "resolution", "captured"}); err != nil {
		return err
	}
	if err := oneOfOrEmpty("status", p.Status, []string{StatusPreparing, StatusReady, StatusErrored}); err != nil {
		return err
	}
	if err := oneOfOrEmpty("source", p.Source, []string{SourceFile, SourceURL, SourceUpload, SourceWatch, SourceLive}); err != nil {
		return err
	}
	if err := oneOfOrEmpty("resolution", p.Resolution, []string{"audio", "sd", "hd", "full_hd", "4k"}); err != nil {
		return err
	}
	if len(p.Codec) > 32 || strings.ContainsFunc(p.Codec, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) {
		return invalid("codec", "must be a codec name such as h264, hevc, prores or aac")
	}
	return nil
}

// A cursor names the last row shown: its created_ns (Mux's date order, the format
// cursors always had) or, for the library's other orders, the order and the sort value.
type sortCursor struct {
	OrderBy string          `json:"o"`
	Value   json.RawMessage `json:"v"`
	ID      string          `json:"id"`
}

func encodeCursor(orderBy string, a Asset, key any) string {
	if orderBy == "created_at" {
		return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(a.CreatedAt.UnixNano(), 10) + ":" + a.ID))
	}
	v, _ := json.Marshal(key)
	b, _ := json.Marshal(sortCursor{OrderBy: orderBy, Value: v, ID: a.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = invalid("cursor", "is not a cursor this API gave out for this order")

func decodeCursor(c, orderBy string) (value any, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, "", errCursor
	}
	if orderBy == "created_at" {
		if ns, id, ok := strings.Cut(string(b), ":"); ok {
			if n, err := strconv.ParseInt(ns, 10, 64); err == nil && id != "" {
				return n, id, nil
			}
		}
		return nil, "", errCursor
	}
	var sc sortCursor
	if json.Unmarshal(b, &sc) != nil || sc.OrderBy != orderBy || sc.ID == "" {
		return nil, "", errCursor
	}
	switch err := json.Unmarshal(sc.Value, &value); {
	case err != nil:
		return nil, "", errCursor
	case orderBy == "name" || orderBy == "captured":
		if _, ok := value.(string); !ok {
			return nil, "", errCursor
		}
	default:
		if _, ok := value.(float64); !ok {
			return nil, "", errCursor
		}
	}
	return value, sc.ID, nil
}

// filterSQL is the WHERE clause of the params' filters and search (not the cursor).
func (p ListParams) filterSQL() (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if p.LiveStreamID != "" {
		add("live_stream_id = ?", p.LiveStreamID)
	}
	if p.UploadID != "" {
		add("upload_id = ?", p.UploadID)
	}
	if p.Status != "" {
		add("status = ?", p.Status)
	}
	if p.Source != "" {
		add("source = ?", p.Source)
	}
	if p.Codec != "" {
		add("(master_video_codec = ? OR master_audio_codec = ?)", p.Codec, p.Codec)
	}
	if p.Resolution != "" {
		add(resolutionFilters[p.Resolution])
	}
	if p.Search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(p.Search) + "%"
		add(`(title LIKE ? ESCAPE '\' OR input LIKE ? ESCAPE '\')`, like, like)
	}
	return strings.Join(where, " AND "), args
}

// withKey scans the row's trailing sort key after the asset's columns.
type withKey struct {
	scanner
	key any
}

func (w *withKey) Scan(dest ...any) error { return w.scanner.Scan(append(dest, &w.key)...) }

func listAssets(ctx context.Context, q queryer, p ListParams) ([]Asset, string, error) {
	where, args := p.filterSQL()
	key := sortKeys[p.OrderBy]
	offset := 0
	if p.Cursor != "" {
		value, id, err := decodeCursor(p.Cursor, p.OrderBy)
		if err != nil {
			return nil, "", err
		}
		cmp := "<"
		if p.Order == "asc" {
			cmp = ">"
		}
		where += " AND (" + key + " " + cmp + " ? OR (" + key + " = ? AND id " + cmp + " ?))"
		args = append(args, value, value, id)
	} else {
		offset = (p.Page - 1) * p.Limit
	}
	args = append(args, p.Limit, offset)
	rows, err := q.QueryContext(ctx, `SELECT `+assetColumns+`, `+key+` FROM assets WHERE `+where+
		` ORDER BY `+key+` `+p.Order+`, id `+p.Order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	out := []Asset{}
	var lastKey any
	for rows.Next() {
		row := &withKey{scanner: rows}
		a, err := scanAsset(row)
		if err != nil {
			return nil, "", err
		}
		out, lastKey = append(out, a), row.key
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if err := withPlaybackIDs(ctx, q, out); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) == p.Limit {
		next = encodeCursor(p.OrderBy, out[len(out)-1], lastKey)
	}
	return out, next, nil
}

// countAssets is how many assets the params' filters match, across all pages.
func countAssets(ctx context.Context, q queryer, p ListParams) (int, error) {
	where, args := p.filterSQL()
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE `+where, args...).Scan(&n)
	return n, err
}
