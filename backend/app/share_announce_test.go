package app

import (
	"net"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"reelvault/backend/internal/lan"
	"reelvault/backend/internal/testnet"
	"reelvault/backend/internal/testtime"
	"reelvault/backend/links"
)

// announcedNow is whether s announces its name now.
func announcedNow(s *shareServer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.announced != nil
}

// waitServing waits until s's Run has started serving.
func waitServing(t *testing.T, s *shareServer) {
	t.Helper()
	testtime.Until(t, 5*time.Second, "the share server to start", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.serving
	})
}

// The name.local announcement follows the share listener: none while it is on loopback; on
// the network it moves to, with that address; none again once it is back on loopback. The
// network is a second, private interface (testnet.Second: root only, skipped elsewhere), so the
// listener binds nothing reachable from outside this machine.
func TestShareAnnouncementFollowsTheListener(t *testing.T) {
	other := testnet.Second(t)
	host := "reelvault-share-" + time.Now().Format("150405.000000")[7:] + ".local"
	s := startShareServerWith(t, fixedResolver{}, func(s *shareServer) { s.localName = host })
	announced := func() bool { return announcedNow(s) }
	waitServing(t, s)
	if announced() {
		t.Error("announced while the listener is on loopback")
	}

	if _, err := s.Move(other.IP.String()); err != nil {
		t.Fatal(err)
	}
	if got := testnet.NewQuerier(t, other).AddressesOf(1, host); !slices.Equal(got, []string{other.IP.String()}) {
		t.Errorf("after the move to %s, the A records of %s are %v, want that address alone", other.IP, host, got)
	}

	if _, err := s.Move("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if announced() {
		t.Error("still announced after the listener went back to loopback")
	}
}

// The announcement follows the computer's networks while the listener stays put: when its
// address leaves the interface (Wi-Fi off, a lease lost) the name is no longer announced;
// when the address comes back, it is announced again without anyone touching Settings.
func TestShareAnnouncementFollowsTheNetworks(t *testing.T) {
	other := testnet.Second(t)
	host := "reelvault-net-" + time.Now().Format("150405.000000")[7:] + ".local"
	s := startShareServerWith(t, fixedResolver{}, func(s *shareServer) {
		s.localName = host
		s.networksEvery = 20 * time.Millisecond
	})
	announced := func() bool { return announcedNow(s) }
	waitServing(t, s)
	if _, err := s.Move(other.IP.String()); err != nil {
		t.Fatal(err)
	}
	if !announced() {
		t.Fatal("not announced on the second network")
	}

	testnet.RemoveAddress(t, other)
	testtime.Until(t, 5*time.Second, "the announcement to end once the address is gone", func() bool { return !announced() })

	testnet.AddAddress(t, other, other.IP[3])
	testtime.Until(t, 5*time.Second, "the name to be announced again once the address is back", announced)
	if got := testnet.NewQuerier(t, other).AddressesOf(2, host); !slices.Equal(got, []string{other.IP.String()}) {
		t.Errorf("with the address back, the A records of %s are %v, want %s alone", host, got, other.IP)
	}
}

// wildcardListener is a listener on loopback that says it is on every network (0.0.0.0),
// so a test sees what a listener on all networks does without binding one.
type wildcardListener struct{ net.Listener }

func (l wildcardListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4zero, Port: l.Listener.Addr().(*net.TCPAddr).Port}
}

// With sharing on every network and links by address, a new address (a new DHCP lease)
// moves both: the name is announced with the new address, and links made from then on
// start with it. The computer's networks are, for the test, the second interface alone.
func TestShareLinksFollowANewAddress(t *testing.T) {
	other := testnet.Second(t)
	host := "reelvault-lease-" + time.Now().Format("150405.000000")[7:] + ".local"
	var resigned atomic.Pointer[links.Signer]
	s := startShareServerWith(t, fixedResolver{}, func(s *shareServer) {
		s.localName = host
		s.networksEvery = 20 * time.Millisecond
		s.ln = wildcardListener{s.ln}
		s.addresses = func() []lan.Address {
			return slices.DeleteFunc(lan.Addresses(), func(a lan.Address) bool { return a.Interface != other.Interface })
		}
		s.resigned = resigned.Store
		signer, err := s.signerFor(s.ln.Addr())
		if err != nil {
			t.Fatal(err)
		}
		s.signer = signer
	})
	port := s.ln.Addr().(*net.TCPAddr).Port
	base := func(ip net.IP) string { return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(port)) }
	if got := s.Signer().Base(); got != base(other.IP) {
		t.Fatalf("links start with %s, want %s", got, base(other.IP))
	}

	// The old lease goes, then the new one comes (Linux takes an interface's other addresses
	// on a network away with its first one, so not the other way round).
	testnet.RemoveAddress(t, other)
	lease := testnet.AddAddress(t, other, 77)
	testtime.Until(t, 5*time.Second, "links to start with the new address", func() bool {
		return s.Signer().Base() == base(lease.IP)
	})
	if got := resigned.Load(); got == nil || got.Base() != base(lease.IP) {
		t.Errorf("the composition root was not given the new signer: %v", got)
	}
	if got := testnet.NewQuerier(t, lease).AddressesOf(3, host); !slices.Equal(got, []string{lease.IP.String()}) {
		t.Errorf("after the new lease, the A records of %s are %v, want %s alone", host, got, lease.IP)
	}
}
