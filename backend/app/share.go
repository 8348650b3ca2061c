package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"reelvault/backend/delivery"
	"reelvault/backend/internal/lan"
	"reelvault/backend/internal/localname"
	"reelvault/backend/links"
	"reelvault/backend/sharing"
)

// shareServer serves download links on the share listener, which the
// composition root binds. It can move to another address while running
// (the settings page's "share on the local network"): downloads in
// progress finish on the old address; new links use the new one.
type shareServer struct {
	key       []byte
	publicURL string // --public-url: links keep this base wherever the listener is
	resolver  links.Resolver
	onDamaged func(assetID, reason string)
	log       *slog.Logger

	srv        *http.Server
	cancelBase context.CancelFunc // ends the requests still open when the drain time is over
	failed     chan error         // a listener that stopped accepting on its own

	mu      sync.Mutex
	ln      net.Listener
	serving bool // Run ran: the server owns ln and closes it at Shutdown
	signer  *links.Signer
	handler atomic.Pointer[links.Handler]
	// shares serves share links (/s/...); set once before Run.
	shares *sharing.Handler
	// delivery serves Mux's delivery URLs (/{playback id}/...); set once before Run.
	delivery *delivery.Handler
	served   sync.WaitGroup

	// This computer's name.local (localname.Host), announced with mDNS while the listener is on
	// a network; links are built on it when byName (--share-base name).
	localName string
	byName    bool
	announced *localname.Announcement
	// announcedOn is the networks the last announcement was for, made or failed: a failure
	// is tried again when they change, not at every look.
	announcedOn []lan.Address
	// networksEvery is how often the computer's networks are looked at (0: networksCheckEvery).
	networksEvery time.Duration
	closed        bool // Shutdown ran: nothing is announced any more
	// resigned is told of the signer made when the computer's address changed under a
	// listener on every network (links by address then start with the new one); set once
	// before Run.
	resigned func(*links.Signer)
	// addresses lists the computer's network addresses (nil: lan.Addresses; tests give one network).
	addresses func() []lan.Address
}

// networksCheckEvery is how often the share server looks whether the computer's networks
// changed, so its name.local follows a new DHCP lease or a network joined after start.
const networksCheckEvery = 5 * time.Second

// shareSigner signs links for a share listener bound at addr; name is the name.local links
// use on a network, "" for the address.
func shareSigner(key []byte, publicURL, name string, addr net.Addr) (*links.Signer, error) {
	return links.NewSigner(key, publicBase(publicURL, name, addr))
}

// addrs is the computer's network addresses now.
func (s *shareServer) addrs() []lan.Address {
	if s.addresses != nil {
		return s.addresses()
	}
	return lan.Addresses()
}

// signerFor signs links for the listener bound at addr. The caller holds s.mu.
func (s *shareServer) signerFor(addr net.Addr) (*links.Signer, error) {
	return links.NewSigner(s.key, publicBaseAmong(s.publicURL, s.nameInLinks(), addr, s.addrs))
}

// nameInLinks is the name links are built on, "" for the address. The caller holds s.mu.
func (s *shareServer) nameInLinks() string {
	if s.byName {
		return s.localName
	}
	return ""
}

// announce answers mDNS queries for this computer's name and the share listener's service
// on the networks the listener is on, and only there (nothing on loopback, where no one else
// could use it; nothing on a second network, a VPN or a café's, that sharing is not on).
// Called whenever the listener moves. A failure is logged: links by address still work. The
// caller holds s.mu.
func (s *shareServer) announce() {
	s.announced.Close()
	s.announced, s.announcedOn = nil, nil
	on := s.networks()
	if len(on) == 0 {
		return
	}
	s.announcedOn = on
	tcp := s.ln.Addr().(*net.TCPAddr)
	a, err := localname.Announce(s.localName, "Reelvault on "+strings.TrimSuffix(s.localName, ".local"), tcp.Port, on)
	if err != nil {
		s.log.Warn("this computer's name is not announced on the network: links by name will not resolve", "name", s.localName, "err", err)
		return
	}
	s.announced = a
	var where []string
	for _, a := range on {
		where = append(where, a.Interface+" "+a.IP.String())
	}
	s.log.Info("announced on the local network", "name", s.localName, "port", tcp.Port, "on", strings.Join(where, ", "))
}

// networks is where the name is to be announced now: the networks the listener accepts on,
// none on loopback, none without a name or after Shutdown. The caller holds s.mu.
func (s *shareServer) networks() []lan.Address {
	tcp, ok := s.ln.Addr().(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() || s.localName == "" || s.closed {
		return nil
	}
	return lan.Serving(tcp.IP, s.addrs())
}

// followNetworks announces again whenever the networks the listener is on change (an
// address given or taken by DHCP, Wi-Fi joined after start, an adapter plugged in), until
// ctx ends.
func (s *shareServer) followNetworks(ctx context.Context) {
	every := s.networksEvery
	if every == 0 {
		every = networksCheckEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.mu.Lock()
		var signer *links.Signer
		on := s.networks()
		if !slices.EqualFunc(on, s.announcedOn, lan.Address.Same) || (s.announced != nil && !s.announced.Current(on)) {
			s.log.Info("the computer's networks changed: announcing its name again", "name", s.localName)
			s.announce()
			signer = s.followAddress()
		}
		s.mu.Unlock()
		if signer != nil && s.resigned != nil {
			s.resigned(signer)
		}
	}
}

// followAddress makes a new signer when the base of links changed with the computer's
// addresses (a listener on every network, links by address, the first address another
// now), and returns it; nil when the base is the same. The caller holds s.mu.
func (s *shareServer) followAddress() *links.Signer {
	if s.publicURL != "" {
		return nil
	}
	signer, err := s.signerFor(s.ln.Addr())
	if err != nil {
		s.log.Warn("links keep their old address", "err", err)
		return nil
	}
	if signer.Base() == s.signer.Base() {
		return nil
	}
	s.signer = signer
	s.handler.Store(s.newHandler(signer))
	s.log.Info("download links follow the computer's new address", "base", signer.Base())
	return signer
}

// SetByName builds links on this computer's name.local (true) or its address, and returns
// the new signer.
func (s *shareServer) SetByName(byName bool) (*links.Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byName = byName
	signer, err := s.signerFor(s.ln.Addr())
	if err != nil {
		return nil, err
	}
	s.signer = signer
	s.handler.Store(s.newHandler(signer))
	return signer, nil
}

// ByName is whether links are built on this computer's name.local.
func (s *shareServer) ByName() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byName
}

// LocalName is this computer's name.local, "" if it has none.
func (s *shareServer) LocalName() string { return s.localName }

// newShareServer serves links on ln, signed by signer (made by shareSigner
// for ln), once Run runs. It does no I/O.
func newShareServer(ln net.Listener, signer *links.Signer, key []byte, publicURL string, resolver links.Resolver,
	onDamaged func(assetID, reason string), log *slog.Logger) *shareServer {
	s := &shareServer{key: key, publicURL: publicURL, resolver: resolver, onDamaged: onDamaged, log: log,
		failed: make(chan error, 1), ln: ln, signer: signer}
	s.handler.Store(s.newHandler(signer))
	base, cancel := context.WithCancel(context.Background())
	s.cancelBase = cancel
	s.srv = links.NewServer("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.shares != nil && s.shares.Owns(r.URL.EscapedPath()) {
			s.shares.ServeHTTP(w, r)
			return
		}
		if s.delivery != nil && s.delivery.Owns(r.URL.EscapedPath()) {
			s.delivery.ServeHTTP(w, r)
			return
		}
		s.handler.Load().ServeHTTP(w, r)
	}), log)
	s.srv.BaseContext = func(net.Listener) context.Context { return base }
	return s
}

func (s *shareServer) newHandler(signer *links.Signer) *links.Handler {
	return &links.Handler{Signer: signer, Resolver: s.resolver, OnDamaged: s.onDamaged, Logger: s.log}
}

// Run serves links until ctx ends (Shutdown then drains them) or the
// listener fails.
func (s *shareServer) Run(ctx context.Context) error {
	s.mu.Lock()
	s.serving = true
	s.serve(s.ln)
	s.announce()
	s.mu.Unlock()
	go s.followNetworks(ctx)
	select {
	case <-ctx.Done():
		return nil
	case err := <-s.failed:
		return err
	}
}

func (s *shareServer) serve(ln net.Listener) {
	s.served.Add(1)
	go func() {
		defer s.served.Done()
		err := s.srv.Serve(ln)
		// A listener closed by Move or Shutdown is no failure.
		if err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			select {
			case s.failed <- fmt.Errorf("share listener %s: %w", ln.Addr(), err):
			default:
			}
		}
	}()
}

// Signer signs links for the current address.
func (s *shareServer) Signer() *links.Signer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signer
}

// Addr is the bound address.
func (s *shareServer) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ln.Addr().String()
}

// Move binds the listener to host (same port) and returns the new signer.
// If the new address cannot be bound, the old one is kept.
func (s *shareServer) Move(host string) (*links.Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	oldHost, _, _ := net.SplitHostPort(s.ln.Addr().String())
	ln, err := lan.Rebind(s.ln, host)
	if ln == s.ln {
		return s.signer, nil
	}
	if ln == nil {
		return nil, fmt.Errorf("cannot share on %w", err)
	}
	if err != nil {
		s.ln = ln
		s.serve(ln)
		return nil, fmt.Errorf("cannot share on %w", err)
	}
	signer, err := s.signerFor(ln.Addr())
	if err != nil {
		// Links for the new address cannot be made: back to the old one, whose links hold.
		if back, _ := lan.Rebind(ln, oldHost); back != nil {
			s.ln = back
			s.serve(back)
		}
		return nil, err
	}
	s.ln, s.signer = ln, signer
	s.handler.Store(s.newHandler(signer))
	s.serve(ln)
	s.announce()
	s.log.Info("download links moved", "address", ln.Addr().String(), "base", signer.Base())
	return signer, nil
}

// Shutdown stops accepting and lets downloads in progress finish until ctx
// ends; those still running then are cut off. It is called once, by the
// composition root.
func (s *shareServer) Shutdown(ctx context.Context) {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.log.Warn("downloads cut off at shutdown", "err", err)
		s.cancelBase()
		s.srv.Close()
	}
	s.cancelBase()
	s.mu.Lock()
	if !s.serving {
		s.ln.Close() // the server closed it if it served it
	}
	s.closed = true
	s.announced.Close()
	s.announced, s.announcedOn = nil, nil
	s.mu.Unlock()
	s.served.Wait()
}
