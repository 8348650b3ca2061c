package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"reelvault/backend/fetch"
	"reelvault/backend/jobs"
)

// jobHashInput hashes a ready asset's local input, so the same file added
// twice is found (an upload's hash is known as it arrives; a file added by
// path is read once more, after its master: never on the way to it).
const jobHashInput = "asset.hash_input"

// maxDuplicatesListed bounds an asset's list of copies.
const maxDuplicatesListed = 20

// needsInputHash reports whether a just-built asset's input should be hashed
// for duplicate detection: a local file whose hash no source gave.
func needsInputHash(a Asset) bool {
	if a.InputSHA256 != "" || a.Source == SourceLive {
		return false
	}
	in, err := fetch.Parse(a.Input)
	return err == nil && !in.Remote
}

// runHashInput records the SHA-256 of a ready asset's local input. A file
// gone or changed since is no failure: there is just nothing to compare.
func (s *Service) runHashInput(ctx context.Context, job jobs.Job) error {
	a, err := s.Get(ctx, job.Ref)
	if errors.Is(err, ErrNotFound) || (err == nil && (a.Status != StatusReady || !needsInputHash(a))) {
		return nil
	}
	if err != nil {
		return err
	}
	sum, err := hashFile(ctx, a.Input)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		s.log.Info("input not hashed for duplicate detection", "asset", a.ID, "err", err)
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE assets SET input_sha256 = ? WHERE id = ? AND input_sha256 IS NULL`, sum, a.ID); err != nil {
		return err
	}
	if s.cfg.Changed != nil {
		s.cfg.Changed(a.ID) // the window shows "same file as" without an event of Mux's
	}
	return nil
}

// hashFile is the SHA-256 of the file at path, read in 1 MiB pieces, stopping when ctx ends.
func hashFile(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// withDuplicates fills in, for each asset of list whose input hash is known,
// the other assets made from the same bytes, oldest first.
func (s *Service) withDuplicates(ctx context.Context, q queryer, list []Asset) {
	bySum := map[string][]int{}
	for i, a := range list {
		if a.InputSHA256 != "" {
			bySum[a.InputSHA256] = append(bySum[a.InputSHA256], i)
		}
	}
	if len(bySum) == 0 {
		return
	}
	args := make([]any, 0, len(bySum))
	for sum := range bySum {
		args = append(args, sum)
	}
	rows, err := q.QueryContext(ctx, `SELECT input_sha256, id FROM assets WHERE input_sha256 IN (?`+
		strings.Repeat(", ?", len(args)-1)+`) ORDER BY created_ns, id`, args...)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("read duplicates", "err", err)
		}
		return
	}
	defer rows.Close()
	for rows.Next() {
		var sum, id string
		if err := rows.Scan(&sum, &id); err != nil {
			s.log.Warn("read duplicates", "err", fmt.Errorf("scan: %w", err))
			return
		}
		for _, i := range bySum[sum] {
			if id != list[i].ID && len(list[i].Duplicates) < maxDuplicatesListed {
				list[i].Duplicates = append(list[i].Duplicates, id)
			}
		}
	}
}
