package store

import (
	"context"
	"fmt"
	"os"

	"reelvault/backend/internal/partfile"
)

// Backup writes a consistent snapshot of the live database to dst with
// SQLite's VACUUM INTO, which reads the database in one transaction (never
// a copy of files that are being written), through a .part file so a
// snapshot cut short is never taken for a whole one.
func (db *DB) Backup(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s already exists", dst)
	}
	part := dst + partfile.Suffix
	os.Remove(part) // VACUUM INTO refuses an existing file
	// Not ExecContext: VACUUM INTO only reads this database, so it need not
	// hold writers up on writeMu for the length of the copy (and a query_only
	// read connection refuses to write the copy).
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, part); err != nil {
		os.Remove(part)
		return fmt.Errorf("backup: %w", err)
	}
	if err := partfile.Finish(part, dst); err != nil {
		os.Remove(part)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
