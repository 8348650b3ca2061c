package archive

import (
	"context"
	"slices"
)

// buildLanes are the job kinds that stand between a preparing asset and its
// master: each is a queue of its own, with its own workers.
var buildLanes = []string{jobDownloadInput, jobBuildMaster, jobTranscodeMaster}

// withQueue fills in, for the preparing assets of list, how many builds come
// before theirs. It only reads: an error leaves the places unknown, which
// the UI shows as plain "preparing".
func (s *Service) withQueue(ctx context.Context, list []Asset) {
	if !slices.ContainsFunc(list, func(a Asset) bool { return a.Status == StatusPreparing }) {
		return
	}
	ahead, err := s.jobs.Ahead(ctx, buildLanes...)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("read queue positions", "err", err)
		}
		return
	}
	for i := range list {
		if n, ok := ahead[list[i].ID]; ok && list[i].Status == StatusPreparing {
			list[i].QueueAhead = &n
		}
	}
}
