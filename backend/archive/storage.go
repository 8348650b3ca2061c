package archive

import (
	"context"
	"fmt"
	"os"

	"reelvault/backend/internal/diskspace"
)

// Storage is what the archive holds on disk and what the disk has left.
type Storage struct {
	MastersBytes   int64 // every master
	OriginalsBytes int64 // uploaded originals, kept as the assets' inputs (the user's only copy)
	// FreeBytes and DiskBytes are the data folder's disk: free to Reelvault, and its size;
	// both 0 when this OS cannot tell.
	FreeBytes, DiskBytes int64
}

// Storage adds up the masters (from the records) and the kept uploads (from
// the files themselves: their records hold no size), and reads the disk's
// free space.
func (s *Service) Storage(ctx context.Context) (Storage, error) {
	var st Storage
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(master_size), 0) FROM assets`).Scan(&st.MastersBytes); err != nil {
		return Storage{}, fmt.Errorf("storage: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT input FROM assets WHERE source = ?`, SourceUpload)
	if err != nil {
		return Storage{}, fmt.Errorf("storage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var input string
		if err := rows.Scan(&input); err != nil {
			return Storage{}, fmt.Errorf("storage: %w", err)
		}
		if fi, err := os.Stat(input); err == nil && fi.Mode().IsRegular() {
			st.OriginalsBytes += fi.Size()
		}
	}
	if err := rows.Err(); err != nil {
		return Storage{}, fmt.Errorf("storage: %w", err)
	}
	if free, size, err := diskspace.Available(s.cfg.DataDir); err == nil {
		st.FreeBytes, st.DiskBytes = free, size
	}
	return st, nil
}
