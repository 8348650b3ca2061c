package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"reelvault/backend/fail"
	"reelvault/backend/fetch"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/media"
	"reelvault/backend/store"
)

// A rebuild makes a ready asset's master again at another max_resolution_tier ("change
// tier"), always from the source, never from the current master. The current master
// keeps serving until the new one is written under its own name (masters/ASSET.ID.mp4),
// flushed and hashed; then one durable transaction points the asset at it and records the
// old file as retired, and only after that commit is the old file removed. A crash at any
// point leaves the old master or the new one, never a mix: the rebuild's job runs again,
// and start-up removes a finished but unreferenced rebuild file and any retired file.

// Rebuild states.
const (
	RebuildQueued   = "queued"
	RebuildBuilding = "building"
	RebuildFailed   = "failed"
)

// Rebuild is an asset's pending or failed rebuild (nil on the asset when there is none).
type Rebuild struct {
	ID                string // names the new master file
	MaxResolutionTier string
	State             string
	Progress          float64 // 0-100 while building
	Error             string  // why it failed, in words
	// QueueAhead is how many jobs of its lane come before it while queued. Not stored.
	QueueAhead *int
}

// ErrNoRebuild is a cancel of an asset that has no rebuild.
var ErrNoRebuild = fail.NotFound("rebuild")

// rebuildKey is what a running rebuild is tracked (and cancelled) by.
func rebuildKey(rid string) string { return "rebuild:" + rid }

// rebuildPath is where a rebuild writes the new master, relative to the data folder.
func rebuildPath(assetID, rid string) string {
	return filepath.Join("masters", assetID+"."+rid+".mp4")
}

// isRebuildOutput reports whether a file name in masters/ is a rebuild's ("ID.RID.mp4"),
// as opposed to a first build's ("ID.mp4").
func isRebuildOutput(name string) bool {
	return !isPartFile(name) && strings.HasSuffix(name, ".mp4") && strings.Count(name, ".") == 2
}

func getRebuild(ctx context.Context, q queryer, assetID string) (*Rebuild, error) {
	var r Rebuild
	var msg sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, max_resolution_tier, state, progress, error FROM asset_rebuilds WHERE asset_id = ?`,
		assetID).Scan(&r.ID, &r.MaxResolutionTier, &r.State, &r.Progress, &msg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read rebuild of %s: %w", assetID, err)
	}
	r.Error = msg.String
	return &r, nil
}

// withRebuilds fills in the rebuilds of a page of assets, and where they stand in their
// lane while queued. An error leaves them out (logged): the list still shows.
func (s *Service) withRebuilds(ctx context.Context, q queryer, list []Asset) {
	if len(list) == 0 {
		return
	}
	byID := make(map[string]int, len(list))
	args := make([]any, 0, len(list))
	for i, a := range list {
		byID[a.ID] = i
		args = append(args, a.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT asset_id, id, max_resolution_tier, state, progress, error FROM asset_rebuilds
		WHERE asset_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("read rebuilds", "err", err)
		}
		return
	}
	queued := false
	for rows.Next() {
		var id string
		var r Rebuild
		var msg sql.NullString
		if err := rows.Scan(&id, &r.ID, &r.MaxResolutionTier, &r.State, &r.Progress, &msg); err != nil {
			s.log.Warn("read rebuilds", "err", err)
			break
		}
		r.Error = msg.String
		list[byID[id]].Rebuild = &r
		queued = queued || r.State == RebuildQueued
	}
	rows.Close()
	if !queued {
		return
	}
	ahead, err := s.jobs.Ahead(ctx, jobBuildMaster, jobTranscodeMaster)
	if err != nil {
		return
	}
	for i := range list {
		if r := list[i].Rebuild; r != nil && r.State == RebuildQueued {
			if n, ok := ahead[list[i].ID]; ok {
				r.QueueAhead = &n
			}
		}
	}
}

// Rebuilding lists the assets with a rebuild (queued, building or failed), oldest request
// first, at most 100: what the change feed reports the progress of.
func (s *Service) Rebuilding(ctx context.Context) ([]Asset, error) {
	var list []Asset
	err := s.db.Snapshot(ctx, func(q store.Queryer) error {
		rows, err := q.QueryContext(ctx, `SELECT `+prefixed("a.", assetColumns)+` FROM asset_rebuilds r
			JOIN assets a ON a.id = r.asset_id ORDER BY r.created_ns LIMIT 100`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAsset(rows)
			if err != nil {
				return err
			}
			list = append(list, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		s.withRebuilds(ctx, q, list)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		s.withWaiting(&list[i])
		s.withSpeed(&list[i])
	}
	return list, nil
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// Rebuild asks for the asset's master to be made again at tier. It returns the asset and
// whether a rebuild is queued: false when there is nothing to build (the asset is at tier
// already, or the source planned at tier gives the master it has: then only the tier is
// recorded). A source that is gone, not kept, or changed is refused with the reason; the
// master is left as it is.
func (s *Service) Rebuild(ctx context.Context, id, tier string) (Asset, bool, error) {
	if tier == "" {
		return Asset{}, false, invalid("max_resolution_tier", "is required: one of %q", ResolutionTiers)
	}
	if err := oneOf("max_resolution_tier", tier, ResolutionTiers); err != nil {
		return Asset{}, false, err
	}
	a, err := s.Get(ctx, id)
	if err != nil {
		return Asset{}, false, err
	}
	if err := rebuildable(a); err != nil {
		return Asset{}, false, err
	}
	if r := a.Rebuild; r != nil && r.State != RebuildFailed && r.MaxResolutionTier == tier {
		return a, true, nil // asked twice
	}
	if tier == a.MaxResolutionTier {
		if a.Rebuild != nil { // a change of mind: the rebuild to another tier is dropped
			if err := s.CancelRebuild(ctx, id); err != nil && !errors.Is(err, ErrNoRebuild) {
				return Asset{}, false, err
			}
			a, err = s.Get(ctx, id)
		}
		return a, false, err
	}
	input, err := rebuildSource(a)
	if err != nil {
		return Asset{}, false, err
	}
	info, err := s.probe(ctx, input)
	if err != nil {
		var me *media.Error
		if errors.As(err, &me) {
			return Asset{}, false, fail.Precondition("The source at " + input + " cannot be read as a video any more (" + me.Message + "); the master is left as it is.")
		}
		return Asset{}, false, err
	}
	if !sameSource(a.InputInfo, info) {
		return Asset{}, false, sourceChanged(input)
	}
	plan, err := media.PlanMaster(info, tier, a.VideoQuality)
	if err != nil {
		return Asset{}, false, fail.Precondition("The master cannot be made at " + tier + ": " + err.Error())
	}
	if sameMaster(a, plan) {
		a, err = s.recordTier(ctx, a, tier)
		return a, false, err
	}
	kind := jobBuildMaster
	if encodes(plan) {
		kind = jobTranscodeMaster
	}
	rid := strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	var replaced *Rebuild
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		cur, err := getAsset(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := rebuildable(cur); err != nil {
			return err
		}
		if replaced, err = getRebuild(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO asset_rebuilds (asset_id, id, max_resolution_tier, state, progress, error, created_ns)
			VALUES (?, ?, ?, ?, 0, NULL, ?)`, id, rid, tier, RebuildQueued, s.now().UnixNano()); err != nil {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, kind, id, 0)
	})
	if err != nil {
		return Asset{}, false, err
	}
	if replaced != nil {
		s.stopRebuild(id, replaced.ID)
	}
	s.log.Info("rebuild queued", "asset", id, "tier", tier, "from", a.MaxResolutionTier, "lane", kind, "rebuild", rid)
	s.changed(id)
	a, err = s.Get(ctx, id)
	return a, true, err
}

// rebuildable refuses an asset whose master cannot be made again now.
func rebuildable(a Asset) error {
	switch {
	case a.Status == StatusErrored:
		return fail.Precondition("This asset has no master to change: it failed. Retry it instead.")
	case a.Status != StatusReady || a.MasterFile == "":
		return fail.Precondition("This asset's master is still being made; change its size once it is ready.")
	}
	return nil
}

// rebuildSource is the source file a rebuild reads, or why there is none to read.
func rebuildSource(a Asset) (string, error) {
	in, err := fetch.Parse(a.Input)
	if err != nil {
		return "", fail.Precondition("The source cannot be read again: " + err.Error())
	}
	if in.Remote {
		return "", fail.Precondition("This video was fetched from a web address and the downloaded copy is not kept, so its master cannot be made again from the source; add it again to archive it at another size. The master is left as it is.")
	}
	if err := fetch.CheckLocal(in.Path); err != nil {
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			return "", err
		}
		if a.Source == SourceLive {
			return "", fail.Precondition("The live recording's parts are no longer kept, so its master cannot be made again from them. The master is left as it is.")
		}
		return "", fail.Precondition(fe.Message + " The master cannot be made again from its source, so it is left as it is.")
	}
	return in.Path, nil
}

func sourceChanged(path string) error {
	return fail.Precondition("The file at " + path + " changed since it was archived; the master is left as it is.")
}

// sameSource reports whether a probe of the source describes the file recorded when the
// master was built (no record: it cannot tell, and the hash decides).
func sameSource(recorded *media.InputFile, info *media.Info) bool {
	if recorded == nil {
		return true
	}
	now := media.Describe(info)
	if now.ContainerFormat != recorded.ContainerFormat || len(now.Tracks) != len(recorded.Tracks) ||
		(recorded.Size > 0 && now.Size != recorded.Size) {
		return false
	}
	for i, t := range now.Tracks {
		r := recorded.Tracks[i]
		if t.Type != r.Type || t.Encoding != r.Encoding || t.Width != r.Width || t.Height != r.Height ||
			math.Abs(t.Duration-r.Duration) > 0.01 {
			return false
		}
	}
	return true
}

// sameMaster reports whether plan makes the master the asset has: the same mode and
// picture size (a 1080p source asked to go from 1080p to 2160p).
func sameMaster(a Asset, plan media.Plan) bool {
	w, h := 0, 0
	for _, t := range a.Tracks {
		if t.Type == "video" {
			w, h = t.MaxWidth, t.MaxHeight
			break
		}
	}
	return plan.Mode == a.MasterMode && plan.Width == w && plan.Height == h
}

// recordTier records tier as the asset's max_resolution_tier without a new master (it
// would be the same), dropping any rebuild it had.
func (s *Service) recordTier(ctx context.Context, seen Asset, tier string) (Asset, error) {
	var dropped *Rebuild
	a, err := s.change(ctx, seen.ID, func(tx *store.Tx, a *Asset) error {
		if err := rebuildable(*a); err != nil {
			return err
		}
		if a.MasterFile != seen.MasterFile {
			return fail.Precondition("The master changed meanwhile; ask again.")
		}
		var err error
		if dropped, err = getRebuild(ctx, tx, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_rebuilds WHERE asset_id = ?`, a.ID); err != nil {
			return err
		}
		a.MaxResolutionTier = tier
		return s.emit(ctx, tx, "video.asset.updated", *a)
	})
	if err != nil {
		return Asset{}, err
	}
	if dropped != nil {
		s.stopRebuild(a.ID, dropped.ID)
	}
	s.log.Info("tier recorded: the master at it would be the same", "asset", a.ID, "tier", tier)
	return s.Get(ctx, a.ID)
}

// CancelRebuild stops and forgets an asset's rebuild (a failed one is just forgotten). The
// master is untouched.
func (s *Service) CancelRebuild(ctx context.Context, id string) error {
	var r *Rebuild
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := getAsset(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if r, err = getRebuild(ctx, tx, id); err != nil {
			return err
		}
		if r == nil {
			return ErrNoRebuild
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM asset_rebuilds WHERE asset_id = ?`, id)
		return err
	})
	if err != nil {
		return err
	}
	s.stopRebuild(id, r.ID)
	s.changed(id)
	return nil
}

// stopRebuild stops a rebuild whose row is gone and removes what it wrote. Its files are
// never a master: the transaction that points an asset at one deletes the row first.
func (s *Service) stopRebuild(assetID, rid string) {
	s.cancelBuild(rebuildKey(rid))
	s.setWaiting(assetID, "")
	s.removeRebuildFiles(assetID, rid)
}

func (s *Service) removeRebuildFiles(assetID, rid string) {
	final := s.abs(rebuildPath(assetID, rid))
	os.Remove(final + partfile.Suffix)
	os.Remove(final)
}

// trackOnce is track for work that must not run twice at once (two jobs of one rebuild):
// ok is false when it runs already.
func (s *Service) trackOnce(ctx context.Context, key string) (context.Context, func(), bool) {
	s.mu.Lock()
	_, running := s.building[key]
	s.mu.Unlock()
	if running {
		return ctx, func() {}, false
	}
	ctx, done := s.track(ctx, key)
	return ctx, done, true
}

// rebuildError is why a rebuild cannot go on, in words; it fails the rebuild (no retry).
type rebuildError struct{ message string }

func (e *rebuildError) Error() string { return e.message }

// runRebuild runs the asset's rebuild, if it has one to run; a job of a build lane calls
// it for a ready asset. A media error or a source gone or changed fails the rebuild, with
// the reason (it is not retried); a full disk is waited out; a cancel ends it quietly; a
// shutdown leaves the job to run again at the next start.
func (s *Service) runRebuild(ctx context.Context, a Asset, inTranscodeLane bool) error {
	r := a.Rebuild
	if r == nil || r.State == RebuildFailed {
		return nil
	}
	ctx, done, ok := s.trackOnce(ctx, rebuildKey(r.ID))
	if !ok {
		return nil // another job of this rebuild runs it
	}
	defer done()
	log := s.log.With("asset", a.ID, "rebuild", r.ID, "tier", r.MaxResolutionTier)
	err := s.rebuild(ctx, a, *r, inTranscodeLane, log)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		bg := context.WithoutCancel(ctx)
		if cur, gerr := getRebuild(bg, s.db, a.ID); gerr == nil && (cur == nil || cur.ID != r.ID) {
			log.Info("rebuild stopped: cancelled")
			if now, err := getAsset(bg, s.db, a.ID); errors.Is(err, ErrNotFound) || (err == nil && now.MasterFile != rebuildPath(a.ID, r.ID)) {
				s.removeRebuildFiles(a.ID, r.ID) // finished before the cancel, perhaps: never swapped in
			}
			return nil
		}
		return ctx.Err() // shutting down: the job runs again at the next start
	}
	var we *waitError
	switch {
	case errors.As(err, &we):
		return err // waits for room (Later)
	case outOfSpace(err):
		return s.waitForSpace(ctx, a.ID, err)
	case toolMissing(err):
		return s.waitForTools(a.ID, err)
	}
	var me *media.Error
	var re *rebuildError
	var pe *fail.PreconditionError
	switch {
	case errors.As(err, &me):
		return s.failRebuild(ctx, a.ID, r.ID, "The master could not be made at "+r.MaxResolutionTier+": "+me.Message+" The master is left as it is.")
	case errors.As(err, &re):
		return s.failRebuild(ctx, a.ID, r.ID, re.message)
	case errors.As(err, &pe):
		return s.failRebuild(ctx, a.ID, r.ID, pe.Message)
	}
	return err // retried; the last attempt's give-up fails it
}

// rebuild makes the new master and swaps it in.
func (s *Service) rebuild(ctx context.Context, a Asset, r Rebuild, inTranscodeLane bool, log *slog.Logger) error {
	input, err := rebuildSource(a)
	if err != nil {
		return err
	}
	before, err := os.Stat(input)
	if err != nil {
		return err
	}
	info, err := media.Probe(ctx, input)
	if err != nil {
		return err
	}
	if !sameSource(a.InputInfo, info) {
		return sourceChanged(input)
	}
	plan, err := media.PlanMaster(info, r.MaxResolutionTier, a.VideoQuality)
	if err != nil {
		return err
	}
	if encodes(plan) && !inTranscodeLane {
		log.Info("handing the rebuild to the transcode lane", "reason", plan.Reason)
		return s.db.Tx(ctx, func(tx *store.Tx) error { return s.jobs.Enqueue(ctx, tx, jobTranscodeMaster, a.ID, 0) })
	}
	if sameMaster(a, plan) {
		_, err := s.recordTier(ctx, a, r.MaxResolutionTier)
		return err
	}
	s.setRebuild(ctx, a.ID, r.ID, RebuildBuilding, 0)

	// The source must be the bytes the asset was archived from; one with no recorded
	// hash is hashed now, and the hash recorded.
	sum, err := hashFile(ctx, input)
	if err != nil {
		return err
	}
	switch {
	case a.InputSHA256 == "":
		if _, err := s.db.ExecContext(ctx, `UPDATE assets SET input_sha256 = ? WHERE id = ? AND input_sha256 IS NULL`, sum, a.ID); err != nil {
			return err
		}
	case sum != a.InputSHA256:
		return &rebuildError{"The file at " + input + " changed since it was archived (its SHA-256 differs); the master is left as it is."}
	}

	rel := rebuildPath(a.ID, r.ID)
	final := s.abs(rel)
	part := final + partfile.Suffix
	os.Remove(final) // a run before a crash: never a master (the swap deletes the row first)
	os.Remove(part)
	defer os.Remove(part) // a no-op once renamed
	var op *onePass
	if plan.StoresInputAsIs(info) {
		if op, err = s.startOnePass(ctx, a.ID, input, sum, part, log); err != nil {
			return err
		}
		if op != nil {
			defer op.stop()
		}
	}
	log.Info("rebuilding master", "mode", plan.Mode, "width", plan.Width, "height", plan.Height, "reason", plan.Reason)
	made, err := s.makeMaster(ctx, a.ID, input, part, op, info, plan,
		func(pct float64) { s.setRebuild(ctx, a.ID, r.ID, RebuildBuilding, pct) }, log)
	if err != nil {
		return err
	}
	if after, err := os.Stat(input); err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return &rebuildError{"The file at " + input + " changed while the master was being made again; the master is left as it is."}
	}
	if err := partfile.Finish(part, final); err != nil {
		return err
	}
	if err := s.hooks.at(ctx, hookBeforeSwap, a.ID); err != nil {
		return err
	}

	// What the new master can give decides which skipped proxies are offered again: makeMaster
	// probed it already; only when that probe failed is it asked again (an error retries the job).
	masterInfo := made.Probe
	if masterInfo == nil {
		if masterInfo, err = media.Probe(ctx, final); err != nil {
			return err
		}
	}

	var old string
	var swapped Asset
	var reoffered int
	err = s.db.DurableTx(ctx, func(tx *store.Tx) error { // the asset points at the new file: on disk first
		cur, err := getAsset(ctx, tx, a.ID)
		if errors.Is(err, ErrNotFound) {
			return nil // deleted while we built: its file goes below
		}
		if err != nil {
			return err
		}
		now, err := getRebuild(ctx, tx, a.ID)
		if err != nil || now == nil || now.ID != r.ID || cur.Status != StatusReady {
			return err // cancelled or replaced meanwhile
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM asset_rebuilds WHERE asset_id = ?`, a.ID); err != nil {
			return err
		}
		old = cur.MasterFile
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO retired_files (path, asset_id) VALUES (?, ?)`, old, a.ID); err != nil {
			return err
		}
		applyPlan(&cur, info, plan)
		cur.MaxResolutionTier = r.MaxResolutionTier
		cur.MasterFile, cur.MasterSize, cur.MasterSHA256, cur.MasterInfo = rel, made.Size, made.SHA256, made.Info
		cur.MasterDamage, cur.MasterCheckedAt = "", time.Time{} // a new file, not yet audited
		cur.Rebuild = nil
		// A link errored for the old file (damaged, missing) is issued again for the new
		// one, written and checked a moment ago.
		relinked := cur.MasterAccess == AccessTemporary && cur.MasterStatus == MasterErrored
		if relinked {
			s.issueLink(&cur)
		}
		if err := s.emit(ctx, tx, "video.asset.updated", cur); err != nil {
			return err
		}
		if relinked {
			if err := s.emit(ctx, tx, "video.asset.master.ready", cur); err != nil {
				return err
			}
		}
		if reoffered, err = s.reofferSkippedInTx(ctx, tx, cur.ID, masterInfo); err != nil {
			return err
		}
		// The new master may play where the old one did not, or the other way round.
		if err := s.enqueuePlaybackCopy(ctx, tx, cur); err != nil {
			return err
		}
		swapped = cur
		return saveAsset(ctx, tx, &cur)
	})
	if err != nil {
		return err
	}
	if old == "" {
		os.Remove(final) // not swapped in: nothing points at it
		return nil
	}
	if err := s.hooks.at(ctx, hookAfterSwap, a.ID); err != nil {
		return nil // a crash before the old file's removal, in a test: start-up removes it
	}
	s.removeRetired(ctx, old)
	log.Info("master rebuilt", "size", swapped.MasterSize, "resolution_tier", swapped.ResolutionTier, "mode", swapped.MasterMode,
		"master_status", swapped.MasterStatus, "renditions_offered_again", reoffered)
	return nil
}

// setRebuild records a rebuild's state and progress (no event: the feed polls it).
func (s *Service) setRebuild(ctx context.Context, assetID, rid, state string, pct float64) {
	res, err := s.db.ExecContext(ctx, `UPDATE asset_rebuilds SET state = ?, progress = ? WHERE asset_id = ? AND id = ? AND (state != ? OR progress != ?)`,
		state, pct, assetID, rid, state, pct)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("record rebuild progress", "asset", assetID, "err", err)
		}
		return
	}
	if n, _ := res.RowsAffected(); n > 0 && pct == 0 {
		s.changed(assetID) // it started: the UI shows "building"
	}
}

// failRebuild records why a rebuild ended (rid "" is whichever the asset has). It stays
// on the asset, so the user sees why, until the next request or a cancel.
func (s *Service) failRebuild(ctx context.Context, assetID, rid, message string) error {
	ctx = context.WithoutCancel(ctx)
	s.setWaiting(assetID, "")
	q := `UPDATE asset_rebuilds SET state = ?, error = ?, progress = 0 WHERE asset_id = ?`
	args := []any{RebuildFailed, message, assetID}
	if rid == "" {
		r, err := getRebuild(ctx, s.db, assetID)
		if err != nil || r == nil {
			return err
		}
		rid = r.ID
	}
	q += ` AND id = ?`
	args = append(args, rid)
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	s.removeRebuildFiles(assetID, rid)
	s.log.Warn("rebuild failed", "asset", assetID, "reason", message)
	s.changed(assetID)
	return nil
}

// removeRetired removes a file no asset points at any more, then forgets it. A file an
// asset points at again is kept.
func (s *Service) removeRetired(ctx context.Context, rel string) {
	ctx = context.WithoutCancel(ctx)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE master_file = ?`, rel).Scan(&n); err != nil {
		s.log.Warn("remove a replaced master", "path", rel, "err", err)
		return
	}
	if n == 0 {
		if err := os.Remove(s.abs(rel)); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.log.Warn("remove a replaced master", "path", rel, "err", err)
			return // tried again at the next start
		}
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM retired_files WHERE path = ?`, rel); err != nil {
		s.log.Warn("forget a replaced master", "path", rel, "err", err)
	}
}

// recoverRetired removes the files a crash left retired but not yet removed.
func (s *Service) recoverRetired(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT path FROM retired_files`)
	if err != nil {
		return err
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		paths = append(paths, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range paths {
		s.log.Info("removing a master a rebuild replaced", "path", p)
		s.removeRetired(ctx, p)
	}
	return nil
}

// leftoverRebuild reports whether an unreferenced rebuild file of asset id can go: the
// asset is ready and its own master is in place, so the file is a rebuild's output a
// crash or a cancel left behind (a pending rebuild makes it again). Otherwise it may be
// the only copy there is (an older database), and is kept.
func (s *Service) leftoverRebuild(ctx context.Context, id string) bool {
	a, err := getAsset(ctx, s.db, id)
	if err != nil || a.Status != StatusReady || a.MasterFile == "" {
		return false
	}
	_, err = os.Stat(s.abs(a.MasterFile))
	return err == nil
}

// giveUpRebuild fails the rebuild of a ready asset whose job used up its attempts.
func (s *Service) giveUpRebuild(ctx context.Context, id string, cause error) bool {
	a, err := getAsset(ctx, s.db, id)
	if err != nil || a.Status != StatusReady {
		return false
	}
	if e := s.failRebuild(ctx, id, "", "The master could not be made again: "+withoutPaths(cause)+". The master is left as it is."); e != nil {
		s.log.Error("mark rebuild failed", "asset", id, "err", e)
	}
	return true
}

// testHooks let tests stop a rebuild at a chosen point (a crash between its file's
// finish and the swap's commit). Unset outside tests.
type testHooks struct {
	rebuild func(ctx context.Context, point, assetID string) error
}

// Points of a rebuild a test may stop at.
const (
	hookBeforeSwap = "before swap" // the new file finished, the asset not yet pointed at it
	hookAfterSwap  = "after swap"  // committed, the old file not yet removed
)

func (h testHooks) at(ctx context.Context, point, id string) error {
	if h.rebuild == nil {
		return nil
	}
	return h.rebuild(ctx, point, id)
}

// errMasterReplaced is work on a master that a rebuild swapped out between the lookup of
// its path and the opening of the file: it is tried again on the new master, never
// recorded as the master's fault.
var errMasterReplaced = errors.New("the master was replaced by a rebuild while this ran; trying again on the new one")

// masterReplaced reports whether the asset's master is no longer the file used.
func (s *Service) masterReplaced(ctx context.Context, id, used string) bool {
	a, err := getAsset(context.WithoutCancel(ctx), s.db, id)
	return err == nil && a.MasterFile != used
}
