package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"reelvault/backend/store"
)

// queryer is a database or a transaction.
type queryer = store.Queryer

const uploadColumns = `id, token, created_ns, status, timeout_s, new_asset_settings, cors_origin, test,
	total_bytes, asset_id, file, error_type, error_message, coalesce(file_name, '')`

func scanUpload(row interface{ Scan(...any) error }) (Upload, error) {
	var u Upload
	var createdNS, timeoutS int64
	var settings string
	var total sql.NullInt64
	var assetID, file, errType, errMsg sql.NullString
	if err := row.Scan(&u.ID, &u.Token, &createdNS, &u.Status, &timeoutS, &settings, &u.CORSOrigin, &u.Test,
		&total, &assetID, &file, &errType, &errMsg, &u.FileName); err != nil {
		return Upload{}, err
	}
	u.CreatedAt = time.Unix(0, createdNS)
	u.Timeout = time.Duration(timeoutS) * time.Second
	u.NewAssetSettings = json.RawMessage(settings)
	u.TotalBytes = -1
	if total.Valid {
		u.TotalBytes = total.Int64
	}
	u.AssetID, u.File, u.ErrorType, u.ErrorMessage = assetID.String, file.String, errType.String, errMsg.String
	return u, nil
}

func getUpload(ctx context.Context, q queryer, id string) (Upload, error) {
	u, err := scanUpload(q.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Upload{}, ErrUploadNotFound
	}
	return u, err
}

func insertUpload(ctx context.Context, q queryer, u Upload, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO uploads (id, token, created_ns, status, timeout_s, new_asset_settings,
		cors_origin, test, updated_ns, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Token, u.CreatedAt.UnixNano(), u.Status, int64(u.Timeout/time.Second), string(u.NewAssetSettings),
		u.CORSOrigin, u.Test, now.UnixNano(), nullable(u.FileName))
	if err != nil {
		return fmt.Errorf("save upload %s: %w", u.ID, err)
	}
	return nil
}

// saveUploadState writes the fields that change after creation.
func saveUploadState(ctx context.Context, q queryer, u Upload, now time.Time) error {
	var total any
	if u.TotalBytes >= 0 {
		total = u.TotalBytes
	}
	_, err := q.ExecContext(ctx, `UPDATE uploads SET status = ?, total_bytes = ?, asset_id = ?, file = ?,
		error_type = ?, error_message = ?, updated_ns = ? WHERE id = ?`,
		u.Status, total, nullable(u.AssetID), nullable(u.File), nullable(u.ErrorType), nullable(u.ErrorMessage),
		now.UnixNano(), u.ID)
	if err != nil {
		return fmt.Errorf("save upload %s: %w", u.ID, err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func listUploads(ctx context.Context, q queryer, limit, offset int) ([]Upload, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads
		ORDER BY created_ns DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Upload{}
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// uploadsWhere lists the ids of uploads matching a condition.
func uploadIDsWhere(ctx context.Context, q queryer, where string, args ...any) ([]string, error) {
	return store.QueryStrings(ctx, q, `SELECT id FROM uploads WHERE `+where, args...)
}
