package archive

import (
	"context"
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

// RecordFixity records a check of an asset's master. A new finding marks the
// master damaged, fires EventMasterDamaged and, while access is on, errors
// the master (its links stop). A master found whole again (the file was put
// back) is no longer damaged; access can then be asked for again.
func (s *Service) RecordFixity(ctx context.Context, r fixity.Result) error {
	_, err := s.change(ctx, r.AssetID, func(tx *store.Tx, a *Asset) error {
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
	if errors.Is(err, ErrNotFound) {
		return nil // deleted since the list was read
	}
	return err
}
