package jobs

import (
	"context"
	"fmt"
	"strings"
)

// Ahead tells, for each ref with a job of one of kinds waiting in the queue,
// how many jobs of its kind come before it: those running and those queued
// earlier (workers claim in id order). A ref with no queued job is absent:
// it is running, or has nothing to do.
func (q *Queue) Ahead(ctx context.Context, kinds ...string) (map[string]int, error) {
	if len(kinds) == 0 {
		return map[string]int{}, nil
	}
	marks := "?" + strings.Repeat(", ?", len(kinds)-1)
	args := make([]any, 0, 2*len(kinds))
	for range 2 {
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	// One pass over the lanes' live jobs: running ones count for every queued
	// job of their kind, queued ones for those queued after them.
	rows, err := q.db.QueryContext(ctx, `WITH live AS (
			SELECT id, kind, ref, state FROM jobs WHERE state IN ('queued', 'running') AND kind IN (`+marks+`))
		SELECT w.ref, (SELECT count(*) FROM live o WHERE o.kind = w.kind AND (o.state = 'running' OR o.id < w.id))
		FROM live w WHERE w.state = 'queued' AND w.kind IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue positions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var ref string
		var ahead int
		if err := rows.Scan(&ref, &ahead); err != nil {
			return nil, fmt.Errorf("queue positions: %w", err)
		}
		if prev, ok := out[ref]; !ok || ahead < prev {
			out[ref] = ahead
		}
	}
	return out, rows.Err()
}
