package archive

import (
	"context"
	"log/slog"
	"os"

	"reelvault/backend/media"
	"reelvault/backend/media/faststart"
)

// onePass is the one-pass remux of an input (package media/faststart), started on the
// strength of its index alone while ffprobe describes the file: when the plan then keeps
// every stream and tag as it is, the master is already written, fsynced and hashed in
// one read and one write; otherwise it is stopped and ffmpeg makes the master.
type onePass struct {
	index  faststart.Index
	cancel context.CancelFunc
	done   chan struct{}
	res    faststart.Result
	err    error
	linked bool // part is a hard link of the input: the input needed no relocation and its hash was known
	copied transferred
}

// startOnePass starts writing part from input if its index allows it, once there is
// room for a copy of the input; nil if the index does not allow it. A room error is the
// build's to return (it waits for space). An input whose index is at the front already
// and whose hash its source knew (inputSHA256: an upload, the app's own file) becomes
// the master without a copy: part is a hard link of it, the two names one file.
func (s *Service) startOnePass(ctx context.Context, id, input, inputSHA256, part string, log *slog.Logger) (*onePass, error) {
	idx, err := faststart.Inspect(input)
	if err != nil {
		log.Debug("no one-pass remux", "reason", err)
		return nil, nil
	}
	if idx.MajorBrand == "qt  " || idx.MajorBrand == "" {
		return nil, nil // a QuickTime movie (old ones have no file type box) stays one when relocated; ffmpeg writes it as MP4
	}
	if inputSHA256 != "" && idx.Faststart {
		if st, err := os.Stat(input); err == nil && st.Size() == idx.Size {
			err := os.Link(input, part)
			if err == nil {
				op := &onePass{index: idx, cancel: func() {}, done: make(chan struct{}), linked: true,
					res: faststart.Result{Size: idx.Size, SHA256: inputSHA256, Index: idx}}
				close(op.done)
				return op, nil
			}
			log.Info("the master cannot be a link of the upload; it is copied", "reason", err)
		}
	}
	if err := s.room(ctx, id, s.mastersDir(), idx.Size); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	op := &onePass{index: idx, cancel: cancel, done: make(chan struct{})}
	op.copied.total.Store(idx.Size) // the master is the input's bytes, its index moved
	go func() {
		defer close(op.done)
		op.res, op.err = faststart.WriteCounting(ctx, input, part, &op.copied.done)
	}()
	return op, nil
}

// fits reports whether the plan's master is the input stored as it is, track for track:
// ffprobe's streams are the index's tracks, in order, with the same sample entries.
func (op *onePass) fits(info *media.Info, plan media.Plan) bool {
	if !plan.StoresInputAsIs(info) || len(op.index.Tracks) != len(info.Streams) {
		return false
	}
	for i, t := range op.index.Tracks {
		if len(t.SampleEntries) != 1 || t.SampleEntries[0] != info.Streams[i].CodecTag {
			return false
		}
	}
	return true
}

// wait returns the finished copy.
func (op *onePass) wait() (faststart.Result, error) {
	<-op.done
	return op.res, op.err
}

// stop abandons the copy and waits until it has let go of the file; the caller removes
// it. Stopping a finished copy does nothing.
func (op *onePass) stop() {
	op.cancel()
	<-op.done
}
