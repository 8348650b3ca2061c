package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// queryer is a database or a transaction.
type queryer = store.Queryer

const streamColumns = `id, created_ns, stream_key, status, reconnect_window, new_asset_settings, passthrough,
	latency_mode, max_continuous_duration, active_asset_id, recent_asset_ids, connected,
	recording_started_ns, disconnected_ns, part_count, title`

type scanner interface{ Scan(dest ...any) error }

func scanStream(row scanner) (Stream, error) {
	var st Stream
	var createdNS int64
	var settings, recent string
	var active sql.NullString
	var started, disconnected sql.NullInt64
	err := row.Scan(&st.ID, &createdNS, &st.StreamKey, &st.Status, &st.ReconnectWindow, &settings, &st.Passthrough,
		&st.LatencyMode, &st.MaxContinuousDuration, &active, &recent, &st.Connected, &started, &disconnected, &st.PartCount, &st.Title)
	if err != nil {
		return Stream{}, err
	}
	st.CreatedAt = time.Unix(0, createdNS)
	st.ActiveAssetID = active.String
	if started.Valid {
		st.RecordingStartedAt = time.Unix(0, started.Int64)
	}
	if disconnected.Valid {
		st.DisconnectedAt = time.Unix(0, disconnected.Int64)
	}
	var stored storedSettings
	if err := json.Unmarshal([]byte(settings), &stored); err != nil {
		return Stream{}, fmt.Errorf("live stream %s: new_asset_settings: %w", st.ID, err)
	}
	st.NewAssetSettings = stored.settings()
	if err := json.Unmarshal([]byte(recent), &st.RecentAssetIDs); err != nil {
		return Stream{}, fmt.Errorf("live stream %s: recent_asset_ids: %w", st.ID, err)
	}
	return st, nil
}

func getStream(ctx context.Context, q queryer, id string) (Stream, error) {
	return getStreamWhere(ctx, q, `id = ?`, id)
}

func getStreamByKey(ctx context.Context, q queryer, key string) (Stream, error) {
	return getStreamWhere(ctx, q, `stream_key = ?`, key)
}

func getStreamWhere(ctx context.Context, q queryer, cond string, arg any) (Stream, error) {
	st, err := scanStream(q.QueryRowContext(ctx, `SELECT `+streamColumns+` FROM live_streams WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Stream{}, ErrNotFound
	}
	if err != nil {
		return Stream{}, err
	}
	st.PlaybackIDs, err = playback.Of(ctx, q, playback.ObjectLiveStream, st.ID)
	return st, err
}

// withPlaybackIDs fills in the playback IDs of streams read in one query.
func withPlaybackIDs(ctx context.Context, q queryer, list []Stream) error {
	ids := make([]string, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	byStream, err := playback.OfMany(ctx, q, playback.ObjectLiveStream, ids)
	for i := range list {
		list[i].PlaybackIDs = byStream[list[i].ID]
	}
	return err
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// saveStream writes the whole row: every change goes through here, so the
// row is always one consistent state.
func saveStream(ctx context.Context, q queryer, st *Stream) error {
	settings, err := json.Marshal(storeSettings(st.NewAssetSettings))
	if err != nil {
		return err
	}
	recent := st.RecentAssetIDs
	if recent == nil {
		recent = []string{}
	}
	recentJSON, _ := json.Marshal(recent)
	_, err = q.ExecContext(ctx, `INSERT OR REPLACE INTO live_streams (`+streamColumns+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		st.ID, st.CreatedAt.UnixNano(), st.StreamKey, st.Status, st.ReconnectWindow, string(settings), st.Passthrough,
		st.LatencyMode, st.MaxContinuousDuration, nullString(st.ActiveAssetID), string(recentJSON), st.Connected,
		nullTime(st.RecordingStartedAt), nullTime(st.DisconnectedAt), st.PartCount, st.Title)
	if err != nil {
		return fmt.Errorf("save live stream %s: %w", st.ID, err)
	}
	return nil
}

func listStreams(ctx context.Context, q queryer, p ListParams) ([]Stream, error) {
	where := []string{"1=1"}
	var args []any
	if p.Status != "" {
		where, args = append(where, "status = ?"), append(args, p.Status)
	}
	if p.StreamKey != "" {
		where, args = append(where, "stream_key = ?"), append(args, p.StreamKey)
	}
	args = append(args, p.Limit, (p.Page-1)*p.Limit)
	rows, err := q.QueryContext(ctx, `SELECT `+streamColumns+` FROM live_streams WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_ns DESC, id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Stream{}
	for rows.Next() {
		st, err := scanStream(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, withPlaybackIDs(ctx, q, out)
}

// streamsWhere lists every stream matching a condition (no paging: for the
// service's own sweeps over a handful of streams).
func streamsWhere(ctx context.Context, q queryer, cond string, args ...any) ([]Stream, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+streamColumns+` FROM live_streams WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Stream
	for rows.Next() {
		st, err := scanStream(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, withPlaybackIDs(ctx, q, out)
}

// storedSettings is how a stream's new_asset_settings are kept in its row:
// the column's own format (the names happen to be Mux's), not the API's.
type storedSettings struct {
	MasterAccess      string      `json:"master_access,omitempty"`
	MaxResolutionTier string      `json:"max_resolution_tier,omitempty"`
	VideoQuality      string      `json:"video_quality,omitempty"`
	Passthrough       string      `json:"passthrough,omitempty"`
	Meta              *storedMeta `json:"meta,omitempty"`
	PlaybackPolicies  []string    `json:"playback_policies,omitempty"`
	MP4Support        string      `json:"mp4_support,omitempty"`
	// nil: none asked; each recording gets these renditions.
	StaticRenditions []storedRendition `json:"static_renditions,omitempty"`
}

type storedRendition struct {
	Resolution  string `json:"resolution"`
	Passthrough string `json:"passthrough,omitempty"`
}

type storedMeta struct {
	Title      string `json:"title,omitempty"`
	CreatorID  string `json:"creator_id,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
}

func storeSettings(s AssetSettings) storedSettings {
	out := storedSettings{MasterAccess: s.MasterAccess, MaxResolutionTier: s.MaxResolutionTier,
		VideoQuality: s.VideoQuality, Passthrough: s.Passthrough, PlaybackPolicies: s.PlaybackPolicies, MP4Support: s.MP4Support}
	if s.Meta != (archive.Meta{}) {
		out.Meta = &storedMeta{Title: s.Meta.Title, CreatorID: s.Meta.CreatorID, ExternalID: s.Meta.ExternalID}
	}
	for _, r := range s.StaticRenditions {
		out.StaticRenditions = append(out.StaticRenditions, storedRendition{Resolution: r.Resolution, Passthrough: r.Passthrough})
	}
	return out
}

func (s storedSettings) settings() AssetSettings {
	out := AssetSettings{AssetSettings: archive.AssetSettings{MasterAccess: s.MasterAccess, MaxResolutionTier: s.MaxResolutionTier,
		VideoQuality: s.VideoQuality, Passthrough: s.Passthrough, PlaybackPolicies: s.PlaybackPolicies, MP4Support: s.MP4Support}}
	if s.Meta != nil {
		out.Meta = archive.Meta{Title: s.Meta.Title, CreatorID: s.Meta.CreatorID, ExternalID: s.Meta.ExternalID}
	}
	for _, r := range s.StaticRenditions {
		out.StaticRenditions = append(out.StaticRenditions, archive.RenditionRequest{Resolution: r.Resolution, Passthrough: r.Passthrough})
	}
	return out
}
