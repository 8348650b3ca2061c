package archive

import (
	"context"
	"database/sql"
	"errors"

	"reelvault/backend/fixity"
	"reelvault/backend/store"
)

// EventMasterDamaged is Reelvault's own event (Mux has none): the fixity
// audit found a master missing or changed. Sent once per finding.
const EventMasterDamaged = "reelvault.asset.master.damaged"

// FixityMasters lists every built master with the size and SHA-256
// recorded when it was written.
func (s *Service) FixityMasters(ctx context.Context) ([]fixity.Master, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, master_file, master_size, master_sha256 FROM assets
		WHERE master_file IS NOT NULL AND master_sha256 IS NOT NULL ORDER BY created_ns`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fixity.Master
	for rows.Next() {
		var m fixity.Master
		var rel string
		if err := rows.Scan(&m.AssetID, &rel, &m.Size, &m.SHA256); err != nil {
			return nil, err
		}
		m.Path = s.abs(rel)
		out = append(out, m)
	}
	return out, rows.Err()
}

// FixityMaster is the master an asset has now (fixity's AuditConfig.Current); ok is
// false when the asset is gone or has no master.
func (s *Service) FixityMaster(ctx context.Context, id string) (fixity.Master, bool, error) {
	var m fixity.Master
	var rel string
	err := s.db.QueryRowContext(ctx, `SELECT id, master_file, master_size, master_sha256 FROM assets
		WHERE id = ? AND master_file IS NOT NULL AND master_sha256 IS NOT NULL`, id).Scan(&m.AssetID, &rel, &m.Size, &m.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	if err != nil {
		return m, false, err
	}
	m.Path = s.abs(rel)
	return m, true, nil
}

// RecordFixity records a check of an asset's master. A new finding marks the
// master damaged, fires EventMasterDamaged and, while access is on, errors
// the master (its links stop). A master found whole again (the file was put
// back) is no longer damaged; access can then be asked for again.
func (s *Service) RecordFixity(ctx context.Context, r fixity.Result) error {
	_, err := s.change(ctx, r.AssetID, func(tx *store.Tx, a *Asset) error {
		if r.Path != s.abs(a.MasterFile) || r.SHA256 != a.MasterSHA256 {
			return errStaleCheck // a rebuild swapped the master since the list was read
		}
		a.MasterCheckedAt = s.now()
		if !r.Damaged() {
			a.MasterDamage = ""
			return nil
		}
		first := a.MasterDamage == ""
		a.MasterDamage = r.Problem
		if !first {
			return nil
		}
		s.log.Error("a master is damaged", "asset", a.ID, "problem", r.Problem)
		if a.MasterAccess == AccessTemporary && a.MasterStatus != MasterErrored {
			markMasterErrored(a, "The master file is damaged: "+r.Problem+".")
			if err := s.emit(ctx, tx, "video.asset.master.errored", *a); err != nil {
				return err
			}
		}
		return s.emit(ctx, tx, EventMasterDamaged, *a)
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, errStaleCheck) {
		return nil // deleted since the list was read, or its master replaced
	}
	return err
}

// errStaleCheck is a check of a master the asset no longer has: it records nothing.
var errStaleCheck = errors.New("the checked master was replaced")
