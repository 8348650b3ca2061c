package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"reelvault/backend/links"
)

// shareListener serves download links. It can move to another address
// while running (the settings page's "share on the local network"):
// downloads in progress finish on the old address; new links use the new one.
type shareListener struct {
	cfg Config
	key []byte
	log *slog.Logger

	mu     sync.Mutex
	ln     net.Listener
	signer *links.Signer
	srv    *http.Server
	served sync.WaitGroup

	handler atomic.Pointer[links.Handler]
	// Resolver and OnDamaged are set before Start.
	Resolver  links.Resolver
	OnDamaged func(assetID, reason string)
}

func newShareListener(cfg Config, key []byte, log *slog.Logger) (*shareListener, error) {
	s := &shareListener{cfg: cfg, key: key, log: log}
	ln, err := net.Listen("tcp", cfg.ShareListen)
	if err != nil {
		return nil, fmt.Errorf("share listener %s: %w", cfg.ShareListen, err)
	}
	if err := s.use(ln); err != nil {
		ln.Close()
		return nil, err
	}
	return s, nil
}

// use makes ln the listener and builds the signer for its address.
func (s *shareListener) use(ln net.Listener) error {
	signer, err := links.NewSigner(s.key, publicBase(s.cfg, ln.Addr()))
	if err != nil {
		return err
	}
	s.ln, s.signer = ln, signer
	s.handler.Store(s.newHandler(signer))
	return nil
}

func (s *shareListener) newHandler(signer *links.Signer) *links.Handler {
	return &links.Handler{Signer: signer, Resolver: s.Resolver, OnDamaged: s.OnDamaged, Logger: s.log}
}

// Start serves links until Close.
func (s *shareListener) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler.Store(s.newHandler(s.signer)) // now with the resolver
	s.srv = links.NewServer("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.handler.Load().ServeHTTP(w, r)
	}), s.log)
	s.serve(s.ln)
}

func (s *shareListener) serve(ln net.Listener) {
	s.served.Add(1)
	go func() {
		defer s.served.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.log.Error("share listener stopped", "err", err)
		}
	}()
}

// Signer signs links for the current address.
func (s *shareListener) Signer() *links.Signer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signer
}

// Addr is the bound address.
func (s *shareListener) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ln.Addr().String()
}

// Move binds the listener to host (same port) and returns the new signer.
// If the new address cannot be bound, the old one is kept.
func (s *shareListener) Move(host string) (*links.Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	addr := net.JoinHostPort(host, port)
	if addr == s.ln.Addr().String() {
		return s.signer, nil
	}
	old := s.ln
	// The old listener must go first: 0.0.0.0:P cannot be bound while
	// 127.0.0.1:P is. Connections already open keep being served.
	old.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		back, berr := net.Listen("tcp", old.Addr().String())
		if berr != nil {
			return nil, fmt.Errorf("cannot share on %s (%v), and could not go back to %s: %w", addr, err, old.Addr(), berr)
		}
		s.ln = back
		s.serve(back)
		return nil, fmt.Errorf("cannot share on %s: %w", addr, err)
	}
	if err := s.use(ln); err != nil {
		ln.Close()
		return nil, err
	}
	s.serve(ln)
	s.log.Info("download links moved", "address", ln.Addr().String(), "base", s.signer.Base())
	return s.signer, nil
}

// Close stops accepting and waits up to ctx for downloads to finish.
func (s *shareListener) Close(ctx context.Context) {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.mu.Unlock()
	if srv != nil {
		srv.Shutdown(ctx)
	}
	ln.Close()
	s.served.Wait()
}
