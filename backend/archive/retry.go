package archive

import (
	"context"
	"errors"

	"reelvault/backend/fail"
	"reelvault/backend/fetch"
	"reelvault/backend/store"
)

// Retry builds a failed asset's master again from the same input, as a new
// build: its error is cleared and the asset is preparing again. It refuses
// an asset that did not fail, and one whose local input is gone (moved,
// deleted, unreadable): building again could only fail the same way. A
// web input is fetched again.
func (s *Service) Retry(ctx context.Context, id string) (Asset, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return Asset{}, err
	}
	if a.Status != StatusErrored {
		return Asset{}, fail.Precondition("Only a failed asset can be retried; this one is " + a.Status)
	}
	first, err := retryFirstJob(a.Input)
	if err != nil {
		return Asset{}, err
	}
	return s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if a.Status != StatusErrored {
			return fail.Precondition("Only a failed asset can be retried; this one is " + a.Status)
		}
		a.Status, a.ErrorType, a.ErrorMessage = StatusPreparing, "", ""
		a.ProgressState, a.Progress = ProgressIngesting, 0
		// The proxies that failed with the asset are made once it is ready.
		if _, err := tx.ExecContext(ctx, `UPDATE static_renditions SET status = ?, error = NULL WHERE asset_id = ? AND status = ?`,
			RenditionPreparing, a.ID, RenditionErrored); err != nil {
			return err
		}
		var err error
		if a.Renditions, err = renditionsList(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, "video.asset.updated", *a); err != nil {
			return err
		}
		if a.MasterAccess == AccessTemporary {
			a.MasterStatus, a.MasterError = MasterPreparing, ""
			if err := s.emit(ctx, tx, "video.asset.master.preparing", *a); err != nil {
				return err
			}
		}
		return s.jobs.Enqueue(ctx, tx, first, a.ID, 0)
	})
}

// retryFirstJob is the job that starts a build of input again: the download
// of a web input, else the build, once the local file is there to read.
func retryFirstJob(input string) (string, error) {
	in, err := fetch.Parse(input)
	if err != nil {
		return "", fail.Precondition("The input cannot be read again: " + err.Error())
	}
	if in.Remote {
		return jobDownloadInput, nil
	}
	if err := fetch.CheckLocal(in.Path); err != nil {
		var fe *fetch.Error
		if errors.As(err, &fe) {
			return "", fail.Precondition("The input is gone, so the build cannot run again: " + fe.Message)
		}
		return "", err
	}
	return jobBuildMaster, nil
}
