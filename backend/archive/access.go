package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
)

// SetMasterAccess switches master access (Mux's PUT .../master-access).
// "temporary" asks for a download link: master.status becomes preparing, and
// a job checks the file and issues the link. "none" revokes every link at once.
func (s *Service) SetMasterAccess(ctx context.Context, id, access string) (Asset, error) {
	if err := oneOf("master_access", access, MasterAccesses); err != nil {
		return Asset{}, err
	}
	return s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		now := s.now()
		if access == AccessNone {
			if a.MasterAccess == AccessNone {
				return nil
			}
			revoke(a)
			return s.emit(ctx, tx, "video.asset.master.deleted", *a)
		}
		if a.Status != StatusReady {
			return ErrNotReady
		}
		if a.MasterAccess == AccessTemporary && (a.MasterStatus == MasterPreparing || a.LinkActive(now)) {
			return nil // already on its way, or out: asking again changes nothing
		}
		a.MasterAccess, a.MasterStatus, a.MasterError = AccessTemporary, MasterPreparing, ""
		a.LinkExpiresAt = time.Time{}
		if err := s.emit(ctx, tx, "video.asset.master.preparing", *a); err != nil {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, jobIssueLink, a.ID, 0)
	})
}

// revoke ends master access: bumping the generation kills every link given
// out so far, whatever its expiry.
func revoke(a *Asset) {
	a.MasterAccess, a.MasterStatus, a.MasterError = AccessNone, "", ""
	a.LinkGeneration++
	a.LinkExpiresAt = time.Time{}
}

// issueLink makes the master downloadable for LinkTTL.
func (s *Service) issueLink(a *Asset) {
	a.MasterStatus, a.MasterError = MasterReady, ""
	a.LinkExpiresAt = s.now().Add(s.LinkTTL()).Truncate(1e9)
}

// masterProblem says, in a sentence for the user, why the master file cannot
// be given out ("" when it is there and whole): it becomes the asset's
// master error as it is, so it is a message, not an error to wrap.
func (s *Service) masterProblem(a Asset) string {
	if a.MasterFile == "" {
		return "The asset has no master file."
	}
	if a.MasterDamage != "" {
		return "The master file is damaged: " + a.MasterDamage + "."
	}
	st, err := os.Stat(s.abs(a.MasterFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "The master file is missing from the archive folder."
	case err != nil:
		return fmt.Sprintf("The master file cannot be read: %v.", err)
	case st.Size() != a.MasterSize:
		return fmt.Sprintf("The master file is damaged: it is %d bytes, but %d were recorded.", st.Size(), a.MasterSize)
	}
	return ""
}

func (s *Service) runIssueLink(ctx context.Context, job jobs.Job) error {
	_, err := s.change(ctx, job.Ref, func(tx *store.Tx, a *Asset) error {
		if a.MasterAccess != AccessTemporary || a.MasterStatus != MasterPreparing || a.Status != StatusReady {
			return nil
		}
		if problem := s.masterProblem(*a); problem != "" {
			a.MasterStatus, a.MasterError = MasterErrored, problem
			s.log.Warn("master cannot be served", "asset", a.ID, "reason", problem)
			return s.emit(ctx, tx, "video.asset.master.errored", *a)
		}
		s.issueLink(a)
		return s.emit(ctx, tx, "video.asset.master.ready", *a)
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (s *Service) giveUpLink(ctx context.Context, job jobs.Job, cause error) {
	s.MasterDamaged(ctx, job.Ref, "The master could not be made available: "+cause.Error())
}

// MasterDamaged records that serving a master failed (missing or damaged
// file, I/O error): master.status becomes errored with the reason.
func (s *Service) MasterDamaged(ctx context.Context, id, reason string) {
	_, err := s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if a.MasterAccess != AccessTemporary || a.MasterStatus == MasterErrored {
			return nil
		}
		markMasterErrored(a, reason)
		return s.emit(ctx, tx, "video.asset.master.errored", *a)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.log.Error("record damaged master", "asset", id, "err", err)
	}
}

// markMasterErrored records why the master cannot be served and ends the
// links out: they point at a bad file.
func markMasterErrored(a *Asset, reason string) {
	a.MasterStatus, a.MasterError = MasterErrored, reason
	a.LinkGeneration++
	a.LinkExpiresAt = time.Time{}
}

// ExpireLinks ends master access for every link past its expiry, as Mux
// does: master_access back to none, master gone, master.deleted sent.
func (s *Service) ExpireLinks(ctx context.Context) (int, error) {
	now := s.now()
	ids, err := store.QueryStrings(ctx, s.db, `SELECT id FROM assets WHERE link_expires_at IS NOT NULL AND link_expires_at <= ?`, now.Unix())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
			if a.LinkExpiresAt.IsZero() || a.LinkActive(now) {
				return nil
			}
			revoke(a)
			n++
			return s.emit(ctx, tx, "video.asset.master.deleted", *a)
		})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return n, err
		}
	}
	return n, nil
}

// ResolveMaster tells the share listener whether a link of this generation
// is valid now, and where the file is (links.Resolver).
func (s *Service) ResolveMaster(ctx context.Context, assetID string, generation int64) (links.Master, error) {
	a, err := s.Get(ctx, assetID)
	if errors.Is(err, ErrNotFound) {
		return links.Master{}, links.ErrRevoked
	}
	if err != nil {
		return links.Master{}, err
	}
	if a.LinkGeneration != generation || !a.LinkActive(s.now()) {
		return links.Master{}, links.ErrRevoked
	}
	// SafeFileName swaps a media extension for .mp4 itself; cutting at the last
	// dot here would turn the title "Dr. Who" into "Dr.mp4".
	m := links.Master{Path: s.abs(a.MasterFile), Size: a.MasterSize, SHA256: a.MasterSHA256,
		FileName: links.SafeFileName(a.Title())}
	if st, err := os.Stat(m.Path); err == nil {
		m.ModTime = st.ModTime()
	}
	return m, nil
}

// ResolveFile is ResolveMaster for a ready static rendition's file, behind
// a link of the master's generation (links.FileResolver).
func (s *Service) ResolveFile(ctx context.Context, assetID string, generation int64, name string) (links.Master, error) {
	a, err := s.Get(ctx, assetID)
	if errors.Is(err, ErrNotFound) {
		return links.Master{}, links.ErrRevoked
	}
	if err != nil {
		return links.Master{}, err
	}
	r, ok := a.ReadyRendition(name)
	if a.LinkGeneration != generation || !a.LinkActive(s.now()) || !ok {
		return links.Master{}, links.ErrRevoked
	}
	m := links.Master{Path: s.abs(r.File), Size: r.FileSize, SHA256: r.SHA256,
		FileName: strings.TrimSuffix(r.DownloadName(a.Title()), "."+r.Ext())}
	if st, err := os.Stat(m.Path); err == nil {
		m.ModTime = st.ModTime()
	}
	return m, nil
}

// MasterPath is the master file of a ready asset (for "reveal in folder").
func (s *Service) MasterPath(ctx context.Context, id string) (string, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return "", err
	}
	if a.MasterFile == "" {
		return "", ErrNotReady
	}
	return s.abs(a.MasterFile), nil
}

// ThumbnailPath is the thumbnail file of an asset, if one was made.
func (s *Service) ThumbnailPath(ctx context.Context, id string) (string, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return "", err
	}
	if a.ThumbnailFile == "" {
		return "", ErrNotFound
	}
	return s.abs(a.ThumbnailFile), nil
}
