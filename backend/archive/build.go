package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"time"

	"reelvault/backend/fetch"
	"reelvault/backend/internal/diskspace"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
	"reelvault/backend/media"
	"reelvault/backend/media/faststart"
	"reelvault/backend/store"
)

// runBuildMaster turns an asset's input into its master MP4. It is a
// durable job: if the process dies mid-way the job runs again from the
// start, and the half-written .part file is never taken for a master.
func (s *Service) runBuildMaster(ctx context.Context, job jobs.Job) error {
	a, err := s.Get(ctx, job.Ref)
	if err == nil && a.Status == StatusReady {
		return s.runRebuild(ctx, a, job.Kind == jobTranscodeMaster) // built: a change of tier, if any
	}
	if errors.Is(err, ErrNotFound) || (err == nil && a.Status != StatusPreparing) {
		return nil // deleted, or errored
	}
	if err != nil {
		return err
	}
	err = s.buildMaster(ctx, a, job.Kind == jobTranscodeMaster)
	if err != nil && ctx.Err() == nil {
		// Delete cancels a running build: that is no failure to retry.
		if _, gerr := s.Get(ctx, a.ID); errors.Is(gerr, ErrNotFound) {
			s.log.Info("build stopped: asset deleted", "asset", a.ID)
			return nil
		}
		// A full disk is waited out, not held against the input.
		var we *waitError
		if outOfSpace(err) && !errors.As(err, &we) {
			return s.waitForSpace(ctx, a.ID, err)
		}
	}
	return err
}

// buildMaster builds in the build lane the masters that copy every stream,
// and hands the others to the transcode lane (inTranscodeLane: this is it).
func (s *Service) buildMaster(ctx context.Context, a Asset, inTranscodeLane bool) error {
	ctx, done := s.track(ctx, a.ID)
	defer done()
	log := s.log.With("asset", a.ID)

	input, err := s.localInput(a)
	if errors.Is(err, errNotDownloaded) {
		return s.queueBuild(ctx, a.ID, jobDownloadInput)
	}
	if err != nil {
		return s.failBuild(ctx, a.ID, err)
	}
	rel := filepath.Join("masters", a.ID+".mp4")
	final := s.abs(rel)
	part := final + partfile.Suffix
	os.Remove(part)
	defer os.Remove(part) // a no-op once renamed

	// The index alone says whether the one-pass remux can make the master (a remux,
	// so the build lane's): it starts now and ffprobe runs beside it.
	var op *onePass
	if !inTranscodeLane {
		if op, err = s.startOnePass(ctx, a.ID, input, a.InputSHA256, part, log); err != nil {
			return err // no room for it yet
		}
		if op != nil {
			defer op.stop() // before the deferred remove of part: stop writing it first
		}
	}
	info, err := s.probe(ctx, input) // started ahead for an upload
	if err != nil {
		return s.failBuild(ctx, a.ID, err)
	}
	plan, err := media.PlanMaster(info, a.MaxResolutionTier, a.VideoQuality)
	if err != nil {
		return s.failBuild(ctx, a.ID, err)
	}
	if encodes(plan) && !inTranscodeLane {
		log.Info("handing the build to the transcode lane", "reason", plan.Reason)
		return s.queueBuild(ctx, a.ID, jobTranscodeMaster)
	}
	log.Info("building master", "mode", plan.Mode, "reason", plan.Reason, "input", input, "one_pass", op != nil && op.fits(info, plan))
	s.setProgress(ctx, a.ID, ProgressTranscoding, 0)

	made, err := s.makeMaster(ctx, a.ID, input, part, op, info, plan,
		func(pct float64) { s.setProgress(ctx, a.ID, ProgressTranscoding, pct) }, log)
	if err != nil {
		return s.failBuild(ctx, a.ID, err) // the input's fault errors the asset; disk trouble is retried
	}
	if err := partfile.Finish(part, final); err != nil { // flushed already: its fsync returns at once
		return err
	}

	var built Asset
	err = s.db.DurableTx(ctx, func(tx *store.Tx) error { // reported as ready: on disk first
		cur, err := getAsset(ctx, tx, a.ID)
		if errors.Is(err, ErrNotFound) {
			tx.AfterCommit(func() { os.Remove(final) }) // deleted while we built
			return nil
		}
		if err != nil {
			return err
		}
		applyPlan(&cur, info, plan)
		cur.Status, cur.ProgressState, cur.Progress = StatusReady, ProgressCompleted, 100
		cur.MasterFile, cur.MasterSize, cur.MasterSHA256, cur.MasterInfo = rel, made.Size, made.SHA256, made.Info
		// The input is not fetched again: its credentials are kept no longer.
		if _, err := tx.ExecContext(ctx, `DELETE FROM input_credentials WHERE asset_id = ?`, a.ID); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, "video.asset.ready", cur); err != nil {
			return err
		}
		if cur.MasterAccess == AccessTemporary {
			// The file was written and checked a moment ago: issue the link now.
			s.issueLink(&cur)
			if err := s.emit(ctx, tx, "video.asset.master.ready", cur); err != nil {
				return err
			}
		}
		if err := s.jobs.Enqueue(ctx, tx, jobThumbnail, cur.ID, 0); err != nil {
			return err
		}
		if needsInputHash(cur) {
			if err := s.jobs.Enqueue(ctx, tx, jobHashInput, cur.ID, 0); err != nil {
				return err
			}
		}
		// Proxies are made from the master, after it: never on its way.
		if err := s.startRenditionsInTx(ctx, tx, cur.ID); err != nil {
			return err
		}
		if err := s.enqueuePreviews(ctx, tx, cur.ID); err != nil {
			return err
		}
		if err := s.enqueuePlaybackCopy(ctx, tx, cur); err != nil {
			return err
		}
		built = cur
		return saveAsset(ctx, tx, &cur)
	})
	if err != nil {
		return err
	}
	s.dropDownload(a.ID)
	log.Info("master ready", "mode", plan.Mode, "size", built.MasterSize, "tier", built.ResolutionTier, "one_pass", made.OnePass, "linked", made.OnePass && op.linked)
	return nil
}

// makeMaster writes the master of input that plan describes at part, flushed and hashed:
// by the one-pass remux op started (if it fits the plan), else by ffmpeg once there is
// room. A first build and a rebuild at another tier both make their file here. progress
// is told the percentage done (at most twice a second). Its errors are ffmpeg's
// (*media.Error), the disk's, or a wait for space (see room).
func (s *Service) makeMaster(ctx context.Context, id, input, part string, op *onePass, info *media.Info, plan media.Plan,
	progress func(pct float64), log *slog.Logger) (madeMaster, error) {
	size, sum, onePassed, err := s.writeMaster(ctx, id, input, part, op, info, plan, progress, log)
	if err != nil {
		return madeMaster{OnePass: onePassed}, err
	}
	probe, described := describeMaster(ctx, part, log)
	return madeMaster{Size: size, SHA256: sum, OnePass: onePassed, Probe: probe, Info: described}, nil
}

// madeMaster is a master file makeMaster wrote: its length, hash, whether the one-pass remux
// wrote it, and ffprobe's view of it with the description made from that (both nil when
// ffprobe could not say).
type madeMaster struct {
	Size    int64
	SHA256  string
	OnePass bool
	Probe   *media.Info
	Info    *media.InputFile
}

// describeMaster probes the master just written (the app's own file, never one the user
// named) for the facts shown beside the source's. A probe that fails leaves the master
// undescribed rather than failing a good build.
func describeMaster(ctx context.Context, part string, log *slog.Logger) (*media.Info, *media.InputFile) {
	info, err := media.Probe(ctx, part)
	if err != nil {
		log.Warn("could not describe the master", "err", err)
		return nil, nil
	}
	d := media.Describe(info)
	return info, &d
}

// writeMaster is makeMaster's writing: the one-pass remux's file or ffmpeg's.
func (s *Service) writeMaster(ctx context.Context, id, input, part string, op *onePass, info *media.Info, plan media.Plan,
	progress func(pct float64), log *slog.Logger) (size int64, sum string, onePassed bool, err error) {
	onePassed = op != nil && op.fits(info, plan)
	if onePassed {
		stop := s.followTransfer(ctx, id, &op.copied, progress) // a large file copies for a while
		res, err := op.wait()
		stop()
		s.setSpeed(id, Speed{})
		switch {
		case err == nil:
			return res.Size, res.SHA256, true, nil
		case errors.Is(err, faststart.ErrNotEligible):
			log.Info("one-pass remux refused the input; ffmpeg makes the master", "reason", err)
		default:
			return 0, "", true, err // disk trouble, or cancelled: retried as any build
		}
	}
	if op != nil {
		op.stop() // ffmpeg writes the same path
		os.Remove(part)
	}
	if err := s.room(ctx, id, s.mastersDir(), s.roomToBuild(input, encodes(plan))); err != nil {
		return 0, "", false, err
	}
	defer s.setSpeed(id, Speed{}) // a rebuild's work (tracked by its own key) goes on without it
	lastWrite := time.Time{}
	transcode := encodes(plan)
	var copied byteRate
	onProgress := func(p media.Progress) {
		// A transcode goes at ffmpeg's multiple of real time; a remux copies bytes.
		sp := Speed{Realtime: p.Speed}
		if !transcode {
			bps, _ := copied.add(time.Now(), p.Bytes)
			sp = Speed{BytesPerSecond: bps}
		}
		// The UI polls; a write every half second is plenty and keeps the
		// database out of ffmpeg's way. The speed moves with the percentage.
		if time.Since(lastWrite) >= 500*time.Millisecond {
			lastWrite = time.Now()
			progress(math.Min(p.Percent, 99))
			s.setSpeed(id, sp)
		}
	}
	if err := media.BuildMaster(ctx, input, part, info, plan, onProgress); err != nil {
		return 0, "", false, err
	}
	size, sum, err = syncAndHash(part)
	return size, sum, false, err
}

// localInput gives a local path ffmpeg can read: the user's own file (read
// only), or the copy of an http(s) input its download job saved in tmp/
// (errNotDownloaded when there is none yet).
func (s *Service) localInput(a Asset) (string, error) {
	in, err := fetch.Parse(a.Input)
	if err != nil {
		return "", &fetch.Error{Message: err.Error()}
	}
	if in.Remote {
		dst := s.downloadPath(a.ID)
		if _, err := os.Stat(dst); err != nil {
			return "", errNotDownloaded
		}
		return dst, nil
	}
	if err := fetch.CheckLocal(in.Path); err != nil {
		var fe *fetch.Error
		if errors.As(err, &fe) {
			return "", &localInputError{fe.Message}
		}
		return "", err
	}
	return in.Path, nil
}

var errNotDownloaded = errors.New("the input is not downloaded")

// encodes reports whether a plan re-encodes a stream (the transcode lane's work).
func encodes(p media.Plan) bool {
	return (p.VideoIndex >= 0 && !p.VideoCopy) || (p.AudioIndex >= 0 && !p.AudioCopy)
}

// roomToBuild is the free space a build needs: about the input's size for
// a remux (the master holds the same packets), and at least the transcode
// margin for a transcode, whose size is not known before it is done.
func (s *Service) roomToBuild(input string, transcode bool) int64 {
	var size int64
	if st, err := os.Stat(input); err == nil {
		size = st.Size()
	}
	if transcode {
		return max(size, s.cfg.TranscodeMargin)
	}
	return size
}

// applyPlan records what the master is, from the probe and the plan.
func applyPlan(a *Asset, info *media.Info, plan media.Plan) {
	a.MasterMode, a.MasterReason, a.ResolutionTier = plan.Mode, plan.Reason, plan.ResolutionTier
	a.MasterChanges = append([]string{}, media.Changes(info, plan)...) // empty, not nil: built, nothing changed
	described := media.Describe(info)
	a.InputInfo = &described
	a.Duration = info.Duration
	a.Tracks = nil
	a.MasterVideoCodec, a.MasterAudioCodec, a.AspectRatio = "", "", ""
	if plan.Width > 0 && info.Video != nil {
		a.MasterVideoCodec = info.Video.Codec
		if !plan.VideoCopy {
			a.MasterVideoCodec = media.EncoderCodec(plan.Video.Encoder)
		}
		a.AspectRatio = aspectRatio(plan.Width, plan.Height)
		if info.Video.PixelAspect != [2]int{} {
			// Non-square pixels (anamorphic HDV, DV): the master keeps them, and plays at the
			// source's shape, 1440×1080 at 4:3 as 16:9, not the 4:3 its pixel count says.
			a.AspectRatio = playedAspectRatio(info.Video.PlaysAs())
		}
		a.Tracks = append(a.Tracks, Track{ID: "video", Type: "video", Duration: round3(info.Duration),
			MaxWidth: plan.Width, MaxHeight: plan.Height, MaxFrameRate: round3(plan.FrameRate), Primary: true, Status: "ready"})
	}
	// Every audio and subtitle track of the master, in the source's order, as Mux lists
	// them: the first audio track is the primary one.
	byIndex := make(map[int]media.Stream, len(info.Streams))
	for _, st := range info.Streams {
		byIndex[st.Index] = st
	}
	audio, text := 0, 0
	for _, sp := range plan.Streams {
		st := byIndex[sp.Index]
		switch {
		case sp.Action == media.ActionDrop || sp.Action == media.ActionTimecode || sp.Action == media.ActionChapters:
		case sp.Type == "audio":
			audio++
			id := "audio"
			if audio > 1 {
				id = fmt.Sprintf("audio-%d", audio)
			} else {
				a.MasterAudioCodec = sp.Codec
			}
			a.Tracks = append(a.Tracks, Track{ID: id, Type: "audio", Duration: round3(info.Duration),
				MaxChannels: st.Channels, Primary: audio == 1, Status: "ready", LanguageCode: st.Language, Name: st.Title})
		case sp.Type == "subtitle":
			text++
			a.Tracks = append(a.Tracks, Track{ID: fmt.Sprintf("text-%d", text), Type: "text", TextType: "subtitles",
				Status: "ready", LanguageCode: st.Language, Name: st.Title})
		}
	}
}

func aspectRatio(w, h int) string {
	a, b := w, h
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%d", w/a, h/a)
}

// playedAspectRatio is the ratio of a picture widened to square pixels, named 4:3 or 16:9 when
// within 3% of it: the pixel aspects of standard-definition video (10:11, 40:33) give such
// pictures a width a pixel or so off the one of the shape they are made for.
func playedAspectRatio(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	r := float64(w) / float64(h)
	for _, named := range []struct {
		ratio float64
		name  string
	}{{4.0 / 3, "4:3"}, {16.0 / 9, "16:9"}, {3.0 / 4, "3:4"}, {9.0 / 16, "9:16"}} {
		if math.Abs(r/named.ratio-1) <= 0.03 {
			return named.name
		}
	}
	return aspectRatio(w, h)
}

// failBuild ends a build: the asset becomes errored with a human reason when
// the input is at fault; other errors (disk, interruption) are retried.
func (s *Service) failBuild(ctx context.Context, id string, cause error) error {
	if ctx.Err() != nil {
		return ctx.Err() // cancelled (shutdown or delete): not the input's fault
	}
	if outOfSpace(cause) {
		return cause // a full disk is waited out (runBuildMaster)
	}
	if toolMissing(cause) {
		return s.waitForTools(id, cause) // nothing is wrong with the input
	}
	var me *media.Error
	var fe *fetch.Error
	var le *localInputError
	switch {
	case errors.As(cause, &me):
		typ := "invalid_input"
		if me.Kind == "ffmpeg_failed" || me.Kind == "timeout" || me.Kind == media.KindToolMissing || me.Kind == media.KindOutOfMemory {
			typ = "transcode_failed"
		}
		return s.markErrored(ctx, id, typ, me.Message)
	case errors.As(cause, &le):
		return s.markErrored(ctx, id, "invalid_input", le.message)
	case errors.As(cause, &fe):
		return s.markErrored(ctx, id, "download_failed", fe.Message)
	}
	return cause
}

// localInputError is a local input file that cannot be read (missing, a
// folder, no permission): the input is at fault, nothing was downloaded.
type localInputError struct{ message string }

func (e *localInputError) Error() string { return e.message }

// giveUpBuild is called when retries are exhausted.
func (s *Service) giveUpBuild(ctx context.Context, job jobs.Job, err error) {
	if s.giveUpRebuild(ctx, job.Ref, err) {
		return
	}
	if e := s.markErrored(ctx, job.Ref, "internal_error", "The master could not be built: "+withoutPaths(err)); e != nil {
		s.log.Error("mark asset errored", "asset", job.Ref, "err", e)
	}
}

// errorInTx records in tx that the asset cannot become ready, and why, with
// its events: the asset's, and its master's while access is on.
func (s *Service) errorInTx(ctx context.Context, tx *store.Tx, a *Asset, typ, message string) (err error) {
	a.Status, a.ErrorType, a.ErrorMessage = StatusErrored, typ, message
	a.ProgressState, a.Progress = ProgressErrored, -1
	if err := s.failRenditionsInTx(ctx, tx, a.ID, "the asset could not be made: "+message); err != nil {
		return err
	}
	if a.Renditions, err = renditionsList(ctx, tx, a.ID); err != nil {
		return err
	}
	if err := s.emit(ctx, tx, "video.asset.errored", *a); err != nil {
		return err
	}
	if a.MasterAccess == AccessTemporary {
		a.MasterStatus, a.MasterError = MasterErrored, message
		return s.emit(ctx, tx, "video.asset.master.errored", *a)
	}
	return nil
}

func (s *Service) markErrored(ctx context.Context, id, typ, message string) error {
	s.setWaiting(id, "")
	s.dropDownload(id) // the master will not be built from it
	_, err := s.change(ctx, id, func(tx *store.Tx, a *Asset) error {
		if a.Status != StatusPreparing {
			return nil
		}
		return s.errorInTx(ctx, tx, a, typ, message)
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	s.log.Warn("asset errored", "asset", id, "type", typ, "reason", message)
	return err
}

// setProgress records progress without an event (progress is polled).
func (s *Service) setProgress(ctx context.Context, id, state string, pct float64) {
	if _, err := s.db.ExecContext(ctx, `UPDATE assets SET progress_state = ?, progress = ? WHERE id = ? AND status = 'preparing'`,
		state, pct, id); err != nil && ctx.Err() == nil {
		s.log.Warn("record progress", "asset", id, "err", err)
	}
}

func (s *Service) cancelBuild(id string) {
	s.mu.Lock()
	cancel := s.building[id]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// syncAndHash flushes a finished file to disk and returns its size and
// SHA-256. The flush and the hash run at once: one waits on the disk, the
// other reads the page cache, so the master is durable and fingerprinted in
// the time of the slower of the two.
func syncAndHash(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	synced := make(chan error, 1)
	go func() { synced <- f.Sync() }()
	h := sha256.New()
	// 1 MiB reads: about 10% faster than io.Copy's 32 KiB on a large master.
	n, err := io.CopyBuffer(h, io.NewSectionReader(f, 0, 1<<62), make([]byte, 1<<20))
	if serr := <-synced; err == nil {
		err = serr
	}
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// runThumbnail makes the UI's thumbnail from the master.
func (s *Service) runThumbnail(ctx context.Context, job jobs.Job) error {
	a, err := s.Get(ctx, job.Ref)
	if errors.Is(err, ErrNotFound) || (err == nil && (a.Status != StatusReady || a.MasterVideoCodec == "")) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.cfg.Space.Check(s.thumbsDir(), 1<<20); diskspace.IsShort(err) {
		return jobs.Later(s.cfg.SpaceRecheck, err) // a small file, but the reserve is the database's
	}
	master := s.abs(a.MasterFile)
	info, err := media.Probe(ctx, master)
	if err != nil {
		return s.masterFault(ctx, a, err)
	}
	rel := filepath.Join("thumbs", a.ID+".jpg")
	part := s.abs(filepath.Join("thumbs", a.ID+partfile.Suffix+".jpg")) // ffmpeg picks the format by extension
	defer os.Remove(part)
	at := -1.0 // the default frame
	if a.ThumbnailTime != nil {
		at = *a.ThumbnailTime
	}
	if err := media.ThumbnailAt(ctx, master, part, info, at); err != nil {
		return s.masterFault(ctx, a, err)
	}
	if err := partfile.Finish(part, s.abs(rel)); err != nil {
		return err
	}
	if _, err = s.db.ExecContext(ctx, `UPDATE assets SET thumbnail_file = ? WHERE id = ?`, rel, a.ID); err != nil {
		return err
	}
	if s.cfg.Changed != nil {
		s.cfg.Changed(a.ID)
	}
	return nil
}

// masterFault is the error of work on a's master that failed: for good, unless a
// rebuild replaced the master meanwhile (then it is tried again on the new one).
func (s *Service) masterFault(ctx context.Context, a Asset, err error) error {
	if s.masterReplaced(ctx, a.ID, a.MasterFile) {
		return errMasterReplaced
	}
	return jobs.Permanent(err)
}

// round3 keeps a track's seconds and frame rate to the millisecond.
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// withoutPaths words an error for the asset's errors, which remote callers
// read: a file operation's error loses the server path it names.
func withoutPaths(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + ": " + le.Err.Error()
	}
	return err.Error()
}
