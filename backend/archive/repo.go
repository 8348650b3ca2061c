package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"reelvault/backend/media"
	"reelvault/backend/playback"
	"reelvault/backend/store"
)

// queryer is a database or a transaction.
type queryer = store.Queryer

const assetColumns = `id, created_ns, status, error_type, error_message, source, input, ingest_type,
	max_resolution_tier, video_quality, passthrough, title, creator_id, external_id, upload_id, live_stream_id,
	is_live, progress_state, progress, duration, aspect_ratio, resolution_tier, tracks, master_mode,
	master_reason, master_video_codec, master_audio_codec, master_file, master_size, master_sha256,
	thumbnail_file, master_access, master_status, master_error, link_generation, link_expires_at,
	master_changes, input_info, master_damage, master_checked_at, thumbnail_time, input_sha256, master_info`

type scanner interface{ Scan(dest ...any) error }

func scanAsset(row scanner) (Asset, error) {
	var a Asset
	var createdNS int64
	var errType, errMsg, uploadID, liveID, aspect, resTier, tracks, mode, reason, vcodec, acodec,
		masterFile, masterSHA, thumb, masterStatus, masterErr, changes, inputInfo, damage, inputSHA, masterInfo sql.NullString
	var dur sql.NullFloat64
	var size, expires, checked sql.NullInt64
	var thumbTime sql.NullFloat64
	err := row.Scan(&a.ID, &createdNS, &a.Status, &errType, &errMsg, &a.Source, &a.Input, &a.IngestType,
		&a.MaxResolutionTier, &a.VideoQuality, &a.Passthrough, &a.Meta.Title, &a.Meta.CreatorID, &a.Meta.ExternalID,
		&uploadID, &liveID, &a.IsLive, &a.ProgressState, &a.Progress, &dur, &aspect, &resTier, &tracks, &mode,
		&reason, &vcodec, &acodec, &masterFile, &size, &masterSHA, &thumb, &a.MasterAccess, &masterStatus,
		&masterErr, &a.LinkGeneration, &expires, &changes, &inputInfo, &damage, &checked, &thumbTime, &inputSHA, &masterInfo)
	if err != nil {
		return Asset{}, err
	}
	a.CreatedAt = time.Unix(0, createdNS)
	a.ErrorType, a.ErrorMessage = errType.String, errMsg.String
	a.UploadID, a.LiveStreamID = uploadID.String, liveID.String
	a.Duration, a.AspectRatio, a.ResolutionTier = dur.Float64, aspect.String, resTier.String
	if tracks.String != "" {
		var stored []storedTrack
		if err := json.Unmarshal([]byte(tracks.String), &stored); err != nil {
			return Asset{}, fmt.Errorf("asset %s: tracks: %w", a.ID, err)
		}
		for _, t := range stored {
			a.Tracks = append(a.Tracks, Track(t))
		}
	}
	if changes.String != "" {
		if err := json.Unmarshal([]byte(changes.String), &a.MasterChanges); err != nil {
			return Asset{}, fmt.Errorf("asset %s: master changes: %w", a.ID, err)
		}
	}
	if inputInfo.String != "" {
		a.InputInfo = new(media.InputFile)
		if err := json.Unmarshal([]byte(inputInfo.String), a.InputInfo); err != nil {
			return Asset{}, fmt.Errorf("asset %s: input info: %w", a.ID, err)
		}
	}
	if masterInfo.String != "" {
		a.MasterInfo = new(media.InputFile)
		if err := json.Unmarshal([]byte(masterInfo.String), a.MasterInfo); err != nil {
			return Asset{}, fmt.Errorf("asset %s: master info: %w", a.ID, err)
		}
	}
	a.MasterMode, a.MasterReason, a.MasterVideoCodec, a.MasterAudioCodec = mode.String, reason.String, vcodec.String, acodec.String
	a.MasterFile, a.MasterSize, a.MasterSHA256, a.ThumbnailFile = masterFile.String, size.Int64, masterSHA.String, thumb.String
	a.InputSHA256 = inputSHA.String
	a.MasterStatus, a.MasterError = masterStatus.String, masterErr.String
	if expires.Valid {
		a.LinkExpiresAt = time.Unix(expires.Int64, 0)
	}
	a.MasterDamage = damage.String
	if thumbTime.Valid {
		a.ThumbnailTime = &thumbTime.Float64
	}
	if checked.Valid {
		a.MasterCheckedAt = time.Unix(checked.Int64, 0)
	}
	return a, nil
}

func getAsset(ctx context.Context, q queryer, id string) (Asset, error) {
	a, err := scanAsset(q.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM assets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Asset{}, ErrNotFound
	}
	if err != nil {
		return Asset{}, err
	}
	if a.PlaybackIDs, err = playback.Of(ctx, q, playback.ObjectAsset, id); err != nil {
		return Asset{}, err
	}
	rs, err := renditionsOf(ctx, q, id)
	a.Renditions = rs[id]
	return a, err
}

// withPlaybackIDs fills in the playback IDs of a page of assets in one query.
func withPlaybackIDs(ctx context.Context, q queryer, list []Asset) error {
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	byAsset, err := playback.OfMany(ctx, q, playback.ObjectAsset, ids)
	for i := range list {
		list[i].PlaybackIDs = byAsset[list[i].ID]
	}
	return err
}

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// saveAsset inserts or replaces the whole row: every change goes through
// here, so the row is always one consistent state.
func saveAsset(ctx context.Context, q queryer, a *Asset) error {
	var tracks any
	if len(a.Tracks) > 0 {
		stored := make([]storedTrack, len(a.Tracks))
		for i, t := range a.Tracks {
			stored[i] = storedTrack(t)
		}
		b, _ := json.Marshal(stored)
		tracks = string(b)
	}
	// Stored as JSON with Go's field names: a storage format, not the API's.
	var changes, inputInfo, masterInfo any
	if a.MasterChanges != nil {
		b, _ := json.Marshal(a.MasterChanges)
		changes = string(b)
	}
	if a.InputInfo != nil {
		b, _ := json.Marshal(a.InputInfo)
		inputInfo = string(b)
	}
	if a.MasterInfo != nil {
		b, _ := json.Marshal(a.MasterInfo)
		masterInfo = string(b)
	}
	var expires, size, duration, checked any
	if !a.LinkExpiresAt.IsZero() {
		expires = a.LinkExpiresAt.Unix()
	}
	if !a.MasterCheckedAt.IsZero() {
		checked = a.MasterCheckedAt.Unix()
	}
	if a.MasterSize > 0 {
		size = a.MasterSize
	}
	if a.Duration > 0 {
		duration = a.Duration
	}
	_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO assets (`+assetColumns+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.ID, a.CreatedAt.UnixNano(), a.Status, null(a.ErrorType), null(a.ErrorMessage), a.Source, a.Input, a.IngestType,
		a.MaxResolutionTier, a.VideoQuality, a.Passthrough, a.Meta.Title, a.Meta.CreatorID, a.Meta.ExternalID,
		null(a.UploadID), null(a.LiveStreamID), a.IsLive, a.ProgressState, a.Progress, duration, null(a.AspectRatio),
		null(a.ResolutionTier), tracks, null(a.MasterMode), null(a.MasterReason), null(a.MasterVideoCodec),
		null(a.MasterAudioCodec), null(a.MasterFile), size, null(a.MasterSHA256), null(a.ThumbnailFile),
		a.MasterAccess, null(a.MasterStatus), null(a.MasterError), a.LinkGeneration, expires, changes, inputInfo,
		null(a.MasterDamage), checked, a.ThumbnailTime, null(a.InputSHA256), masterInfo)
	if err != nil {
		return fmt.Errorf("save asset %s: %w", a.ID, err)
	}
	return nil
}

// storedTrack is how tracks are kept in the assets row: the column's own
// format (the names happen to be Mux's), not the API's.
type storedTrack struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Duration     float64 `json:"duration,omitempty"`
	MaxWidth     int     `json:"max_width,omitempty"`
	MaxHeight    int     `json:"max_height,omitempty"`
	MaxFrameRate float64 `json:"max_frame_rate,omitempty"`
	MaxChannels  int     `json:"max_channels,omitempty"`
	Primary      bool    `json:"primary"`
	Status       string  `json:"status"`
	LanguageCode string  `json:"language_code,omitempty"`
	Name         string  `json:"name,omitempty"`
	TextType     string  `json:"text_type,omitempty"`
}
