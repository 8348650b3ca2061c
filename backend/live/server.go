package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/bluenviron/gortmplib"

	"reelvault/backend/internal/lan"
)

// trackDetectionTime is what gortmplib needs to learn an encoder's tracks:
// it reads 2 s of media (then replays it, so none is lost).
const trackDetectionTime = 5 * time.Second

// rtmpApp is the application name in rtmp://HOST:PORT/app/STREAM_KEY, as Mux.
const rtmpApp = "app"

// Addr is the bound RTMP address (nil when live ingest is off).
func (s *Service) Addr() net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Move binds the RTMP listener to host (same port) and returns the new base
// URL. Encoders already publishing go on; new ones connect to the new
// address. If it cannot be bound, the old address is kept and an error says
// why. Before Run, or with live ingest off, it refuses.
func (s *Service) Move(host string) (string, error) {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln == nil || s.runCtx == nil {
		return "", errors.New("live ingest is off: the RTMP port could not be bound when Reelvault started")
	}
	ln, err := lan.Rebind(s.ln, host)
	if ln == s.ln {
		return s.rtmpURL, nil
	}
	s.ln = ln // nil when neither address could be bound: live ingest is off from now on
	if ln != nil {
		s.acceptOn(s.runCtx, ln)
	}
	if err != nil {
		return "", fmt.Errorf("cannot receive streams on %w", err)
	}
	s.rtmpURL = rtmpURLOf(ln.Addr())
	s.log.Info("RTMP ingest moved", "address", ln.Addr().String(), "url", s.rtmpURL)
	return s.rtmpURL, nil
}

// serve accepts encoders on ln until ctx ends (then it closes ln) or ln is
// closed by Move. Publishers are dropped by Run, once every listener is done.
func (s *Service) serve(ctx context.Context, ln net.Listener) {
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				// Out of file descriptors and the like: it passes.
				s.log.Error("RTMP accept", "err", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			break // closed: shut down, or moved (Move closed it)
		}
		s.conns.Add(1)
		go func() {
			defer s.conns.Done()
			s.handleConn(conn)
		}()
	}
}

// dropPublishers ends every publisher (their parts are closed cleanly) and
// waits for their connections: the service is shutting down.
func (s *Service) dropPublishers() {
	s.mu.Lock()
	for _, sess := range s.sessions {
		sess.stop(reasonShutdown)
	}
	s.mu.Unlock()
	s.conns.Wait()
}

func (s *Service) handleConn(conn net.Conn) {
	defer conn.Close()
	log := s.log.With("remote", conn.RemoteAddr().String())
	// Every step has a deadline: a frozen or silent peer must not hold a
	// goroutine, a stream key or a recording.
	conn.SetDeadline(time.Now().Add(s.cfg.ReadTimeout))
	sc := &gortmplib.ServerConn{RW: conn}
	if err := sc.Initialize(); err != nil {
		log.Debug("RTMP handshake failed", "err", err)
		return
	}
	if err := sc.AcceptConn(); err != nil {
		log.Debug("RTMP connect failed", "err", err)
		return
	}
	if !sc.Publish {
		log.Info("RTMP playback refused: Reelvault only records")
		sc.RejectAction()
		return
	}
	key, err := streamKeyFromURL(sc.URL)
	if err != nil {
		log.Info("RTMP publish refused", "reason", err)
		sc.RejectAction()
		return
	}
	sess, err := s.beginSession(key, conn)
	if err != nil {
		log.Info("RTMP publish refused", "reason", err)
		sc.RejectAction()
		return
	}
	log = log.With("stream", sess.streamID)
	log.Info("encoder connected")
	var rec *recorder
	defer func() {
		if rec != nil {
			if err := rec.close(); err != nil {
				log.Error("recording part not closed cleanly", "path", rec.path, "err", err)
			}
			log.Info("recording part closed", "path", rec.path, "bytes", rec.bytes, "fragments", rec.seq)
		}
		s.endSession(sess)
		log.Info("encoder disconnected", "reason", stopReason(sess.reason.Load()).String())
	}()
	err = s.publish(sc, conn, sess, &rec, log)
	if err != nil && stopReason(sess.reason.Load()) == reasonEncoderLeft && !isClosed(err) {
		log.Info("encoder dropped", "err", err)
	}
}

// publish reads the encoder's tracks, opens the recording part and copies
// media into it until the connection ends.
func (s *Service) publish(sc *gortmplib.ServerConn, conn net.Conn, sess *session, recp **recorder, log *slog.Logger) error {
	// Learning the tracks takes ~2 s of media on top of the usual silence allowed.
	conn.SetDeadline(time.Now().Add(s.cfg.ReadTimeout + trackDetectionTime))
	r := &gortmplib.Reader{Conn: sc}
	if err := r.Initialize(); err != nil { // accepts the publish, then reads ~2 s to learn the tracks
		return err
	}
	tracks, err := wireTracks(r, recp)
	if err != nil {
		log.Warn("encoder refused", "reason", err)
		return err
	}
	rec, err := s.startRecording(sess, tracks)
	if err != nil {
		log.Warn("recording could not start", "err", err)
		return err
	}
	*recp = rec
	log.Info("recording", "path", rec.path, "tracks", len(tracks))
	maxDuration := time.Duration(s.maxContinuous(sess.streamID)) * time.Second
	for {
		conn.SetDeadline(time.Now().Add(s.cfg.ReadTimeout))
		if err := r.Read(); err != nil {
			return err
		}
		if rec.err != nil {
			log.Warn("recording failed", "err", rec.err)
			return rec.err
		}
		if maxDuration > 0 && s.now().Sub(sess.recordingStarted) >= maxDuration {
			log.Info("max_continuous_duration reached: finishing the recording")
			sess.stop(reasonMaxDuration)
			return nil
		}
	}
}

// maxContinuous is the stream's max_continuous_duration in seconds.
func (s *Service) maxContinuous(id string) int {
	ctx, cancel := bg()
	defer cancel()
	st, err := s.Get(ctx, id)
	if err != nil {
		return DefaultMaxContinuousDuration
	}
	return st.MaxContinuousDuration
}

// streamKeyFromURL takes the key from rtmp://HOST:PORT/app/KEY.
func streamKeyFromURL(u *url.URL) (string, error) {
	if u == nil {
		return "", errors.New("no URL")
	}
	path := strings.Trim(u.Path, "/")
	app, key, _ := strings.Cut(path, "/")
	if app != rtmpApp {
		return "", fmt.Errorf("unknown application %q: publish to rtmp://HOST:PORT/%s/STREAM_KEY", app, rtmpApp)
	}
	if key == "" {
		return "", errors.New("no stream key in the URL")
	}
	return key, nil
}

func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "EOF")
}

func (r stopReason) String() string {
	switch r {
	case reasonAPI:
		return "stopped by the API"
	case reasonKeyReset:
		return "stream key reset"
	case reasonMaxDuration:
		return "max_continuous_duration reached"
	case reasonShutdown:
		return "shutting down"
	}
	return "encoder left"
}
