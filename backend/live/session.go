package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"reelvault/backend/store"
)

// stopReason says why a publisher's connection ended, which decides what
// happens to its recording.
type stopReason int32

const (
	reasonEncoderLeft stopReason = iota // closed, silent or broken: the reconnect window applies
	reasonAPI                           // complete, disable or delete: the caller finishes the recording
	reasonKeyReset                      // the key it used was replaced: the window applies
	reasonMaxDuration                   // max_continuous_duration reached: finished now
	reasonShutdown                      // the app is stopping: the next start finishes it
)

// Reasons a publisher is refused.
var (
	errUnknownKey = errors.New("unknown stream key")
	errDisabled   = errors.New("the live stream is disabled")
	errBusy       = errors.New("an encoder is already publishing to this live stream")
)

// session is one connected publisher.
type session struct {
	streamID string
	conn     net.Conn
	done     chan struct{}
	reason   atomic.Int32
	stopOnce sync.Once

	// Set when its recording part opens.
	assetID          string
	part             int
	recordingStarted time.Time

	meter *meter // health and preview, counted as packets arrive
}

// stop drops the publisher; its goroutine then ends the session.
func (sess *session) stop(r stopReason) {
	sess.stopOnce.Do(func() {
		sess.reason.Store(int32(r))
		sess.conn.Close()
	})
}

// bg is a context for recording a session's state changes: they must be
// written even while the server is shutting down.
func bg() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// beginSession admits a publisher with key, or says why not.
func (s *Service) beginSession(key string, conn net.Conn) (*session, error) {
	ctx, cancel := bg()
	defer cancel()
	// Held across the transaction so two encoders with the same key cannot
	// both get in.
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := getStreamByKey(ctx, s.db, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errUnknownKey
	case err != nil:
		return nil, err
	case st.Status == StatusDisabled:
		return nil, errDisabled
	case s.sessions[st.ID] != nil || s.closing[st.ID] > 0:
		return nil, errBusy
	}
	if err := s.cfg.Space.Check(s.cfg.DataDir, s.cfg.RecordingRoom); err != nil {
		return nil, fmt.Errorf("no room to record: %w", err)
	}
	_, err = s.change(ctx, st.ID, func(tx *store.Tx, st *Stream) error {
		st.Connected, st.DisconnectedAt = true, time.Time{}
		return s.emit(ctx, tx, "video.live_stream.connected", *st)
	})
	if err != nil {
		return nil, err
	}
	sess := &session{streamID: st.ID, conn: conn, done: make(chan struct{}), meter: newMeter()}
	s.sessions[st.ID] = sess
	return sess, nil
}

// startRecording opens the session's part of the stream's recording: a
// new asset for a new recording, the next part of the open one when the
// encoder is back within the reconnect window.
func (s *Service) startRecording(sess *session, tracks []*recTrack) (*recorder, error) {
	ctx, cancel := bg()
	defer cancel()
	now := s.now()
	var assetID string
	var part int
	var started time.Time
	_, err := s.change(ctx, sess.streamID, func(tx *store.Tx, st *Stream) error {
		if !st.recording() {
			p, err := st.NewAssetSettings.createParams(st.ID, s.streamDir(st.ID))
			if err != nil {
				return err
			}
			a, err := s.archive.CreateLiveInTx(ctx, tx, p)
			if err != nil {
				return err
			}
			st.ActiveAssetID, st.RecordingStartedAt, st.PartCount = a.ID, now, 0
			st.RecentAssetIDs = appendRecent(st.RecentAssetIDs, a.ID)
		}
		st.PartCount++
		assetID, part, started = st.ActiveAssetID, st.PartCount, st.RecordingStartedAt
		if err := s.emit(ctx, tx, "video.live_stream.recording", *st); err != nil {
			return err
		}
		if st.Status == StatusIdle {
			st.Status = StatusActive
			return s.emit(ctx, tx, "video.live_stream.active", *st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	sess.assetID, sess.part, sess.recordingStarted = assetID, part, started
	s.mu.Unlock()
	rec, err := newRecorder(s.partPath(sess.streamID, sess.assetID, sess.part), s.cfg.FragmentDuration, tracks)
	if err == nil {
		rec.meter = sess.meter
		go s.runPreviews(sess)
		go s.reportHealth(sess)
	}
	if err == nil && s.fragmentWritten != nil {
		path := rec.path
		rec.fragmentWritten = func(n int) { s.fragmentWritten(path, n) }
	}
	return rec, err
}

// maxRecentAssets bounds recent_asset_ids (Mux keeps a short history too).
const maxRecentAssets = 50

func appendRecent(ids []string, id string) []string {
	ids = append(ids, id)
	if len(ids) > maxRecentAssets {
		ids = ids[len(ids)-maxRecentAssets:]
	}
	return ids
}

// endSession records that the publisher is gone, once its recording part
// is closed: the recording waits for the encoder within the reconnect
// window, or is finished now.
func (s *Service) endSession(sess *session) {
	defer func() {
		s.mu.Lock()
		if s.sessions[sess.streamID] == sess {
			delete(s.sessions, sess.streamID)
		}
		s.mu.Unlock()
		close(sess.done)
		s.poke()
	}()
	ctx, cancel := bg()
	defer cancel()
	reason := stopReason(sess.reason.Load())
	_, err := s.change(ctx, sess.streamID, func(tx *store.Tx, st *Stream) error {
		if st.Connected {
			st.Connected = false
			if err := s.emit(ctx, tx, "video.live_stream.disconnected", *st); err != nil {
				return err
			}
		}
		if !st.recording() {
			return nil
		}
		finishNow := reason == reasonMaxDuration ||
			((reason == reasonEncoderLeft || reason == reasonKeyReset) && st.ReconnectWindow == 0)
		if finishNow {
			return s.finishInTx(ctx, tx, st)
		}
		st.DisconnectedAt = s.now()
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.log.Error("record disconnect", "stream", sess.streamID, "err", err)
	}
}

// stopPublisher drops the stream's publisher, if any, and waits until its
// session has ended. It reports whether there was one.
func (s *Service) stopPublisher(id string, r stopReason) bool {
	s.mu.Lock()
	sess := s.sessions[id]
	s.mu.Unlock()
	if sess == nil {
		return false
	}
	sess.stop(r)
	select {
	case <-sess.done:
	case <-time.After(30 * time.Second):
		s.log.Error("publisher did not stop in time", "stream", id)
	}
	return true
}

// withPublisherStopped runs fn with the stream's publisher dropped and new
// ones refused, so fn's change (complete, disable, delete) is not raced by
// an encoder reconnecting.
func (s *Service) withPublisherStopped(ctx context.Context, id string, fn func() error) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	s.mu.Lock()
	s.closing[id]++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.closing[id]--; s.closing[id] <= 0 {
			delete(s.closing, id)
		}
		s.mu.Unlock()
	}()
	s.stopPublisher(id, reasonAPI)
	return fn()
}

// recordingInProgress reports whether a publisher is still writing a part
// of assetID.
func (s *Service) recordingInProgress(assetID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.sessions {
		if sess.assetID == assetID {
			return true
		}
	}
	return false
}

// Recording is how many streams are being recorded now: what closing the app would cut off.
func (s *Service) Recording() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sess := range s.sessions {
		if sess.assetID != "" {
			n++
		}
	}
	return n
}
