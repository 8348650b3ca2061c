package localname

import (
	"context"
	"io"
	"log"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"

	"reelvault/backend/internal/lan"
	"reelvault/backend/internal/testnet"
)

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"Studio-PC":              "studio-pc.local",
		"edit01.corp.example":    "edit01.local",
		"Mac Book_Pro":           "mac-book-pro.local",
		"localhost":              "",
		"---":                    "",
		"":                       "",
		"caf\u00e9":              "caf.local",
		string(make([]byte, 70)): "",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func testHost() string { return "reelvault-test-" + time.Now().Format("150405.000000")[7:] + ".local" }

// announce announces a fresh name with port 8911 on the networks of on until the test ends,
// and returns the name.
func announce(t *testing.T, on ...lan.Address) string {
	t.Helper()
	host := testHost()
	a, err := Announce(host, "Reelvault test", 8911, on)
	if err != nil {
		t.Skipf("no multicast here: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return host
}

// wantAddressAlone checks that host's A records, asked on the network of on, are on's address.
func wantAddressAlone(t *testing.T, on lan.Address, id uint16, host string) {
	t.Helper()
	if got := testnet.NewQuerier(t, on).AddressesOf(id, host); !slices.Equal(got, []string{on.IP.String()}) {
		t.Errorf("asked on %s, the A records of %s are %v, want %s alone", on.Interface, host, got, on.IP)
	}
}

// A real mDNS exchange on this machine's LAN interface: the announcement answers a multicast
// query for the _http._tcp service (DNS-SD browsing) with the share listener's port and
// address, and an A query for name.local with that address alone. Queries go to
// 224.0.0.251:5353 out of the interface and come back to it (multicast loopback), which is as
// close to "on loopback" as mDNS gets: Linux's lo interface has no MULTICAST flag, so a
// responder cannot join the group there.
func TestAnnounceAnswersRealQueries(t *testing.T) {
	eth := testnet.LAN(t)
	host := announce(t, eth)

	entries := make(chan *mdns.ServiceEntry, 16)
	params := mdns.DefaultParams("_http._tcp")
	params.Entries, params.Timeout, params.DisableIPv6 = entries, 3*time.Second, true
	params.Logger = log.New(io.Discard, "", 0)
	ifi, _ := net.InterfaceByName(eth.Interface)
	params.Interface = ifi
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() { mdns.QueryContext(ctx, params); close(entries) }()
	var found *mdns.ServiceEntry
	for e := range entries {
		if e.Host == host+"." {
			found = e
			cancel()
		}
	}
	if found == nil {
		t.Fatal("a DNS-SD query for _http._tcp.local did not find the announced service")
	}
	if found.Port != 8911 || !found.AddrV4.Equal(eth.IP) {
		t.Errorf("the service answers %s port %d, want %s port 8911", found.AddrV4, found.Port, eth.IP)
	}

	// name.local itself, as a browser resolving a link's host asks it.
	wantAddressAlone(t, eth, 1, host)
}

// A computer on two networks, sharing on one: a query that comes in on the other network (whose
// mDNS stack joined the group there, as every computer's does) is not answered, while the
// same query on the shared network is, with that network's address alone. The second network
// is a second interface (testnet.Second: root only; skipped elsewhere).
func TestAnnounceOnlyOnTheSharedNetwork(t *testing.T) {
	eth, other := testnet.LAN(t), testnet.Second(t)
	type seen struct {
		id       uint16
		from     string
		answered bool
	}
	queries := make(chan seen, 64)
	seenByNew = func(q *dns.Msg, from *net.UDPAddr, answered bool) {
		queries <- seen{q.Id, from.IP.String(), answered}
	}
	defer func() { seenByNew = nil }()
	host := announce(t, eth)

	elsewhere := testnet.NewQuerier(t, other)
	elsewhere.Ask(7, host, dns.TypeA)
	deadline := time.After(10 * time.Second)
	for got := false; !got; {
		select {
		case s := <-queries:
			if s.id != 7 {
				continue
			}
			got = true
			if s.answered || s.from != other.IP.String() {
				t.Errorf("a query from %s on the other network was answered: %v (want it read and ignored)", s.from, s.answered)
			}
		case <-deadline:
			t.Skip("the responder on the shared network never read the other network's query: this kernel keeps the networks apart on its own")
		}
	}

	wantAddressAlone(t, eth, 8, host)
}

// A computer that leaves the network it shared on (its address there is gone, say it joined a
// café's Wi-Fi on the same interface) says nothing about itself on what that interface is on
// now, even to a querier whose address is on the old network's range.
func TestAnnounceStopsWhenTheAddressIsGone(t *testing.T) {
	neighbour := testnet.Second(t)
	// A second address on the interface is the one shared on: taking away the first would take
	// the others with it.
	shared := testnet.AddAddress(t, neighbour, 2)
	answered := make(chan bool, 64)
	seenByNew = func(q *dns.Msg, from *net.UDPAddr, ok bool) {
		if q.Id == 31 {
			answered <- ok
		}
	}
	defer func() { seenByNew = nil }()
	host := announce(t, shared)
	if got := testnet.NewQuerier(t, neighbour).AddressesOf(30, host); !slices.Equal(got, []string{shared.IP.String()}) {
		t.Fatalf("while the address is there the A records of %s are %v, want %s", host, got, shared.IP)
	}

	testnet.RemoveAddress(t, shared)
	testnet.NewQuerier(t, neighbour).Ask(31, host, dns.TypeA)
	select {
	case ok := <-answered:
		if ok {
			t.Error("answered with an address this computer no longer has")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the responder never read the query")
	}
}

// A listener on every network (0.0.0.0) is announced on each, and each network is told its own
// address only: the address on another network would not be reachable from it.
func TestAnnounceGivesEachNetworkItsOwnAddress(t *testing.T) {
	eth, other := testnet.LAN(t), testnet.Second(t)
	host := announce(t, eth, other)
	wantAddressAlone(t, eth, 20, host)
	wantAddressAlone(t, other, 21, host)
}

// Nothing to announce: an error, not a responder with empty records.
func TestAnnounceRefusesWithoutNameOrAddress(t *testing.T) {
	eth := lan.Address{Interface: "eth0", IP: net.IPv4(192, 0, 2, 1)}
	if _, err := Announce("", "x", 1, []lan.Address{eth}); err == nil {
		t.Error("announced without a name")
	}
	if _, err := Announce("a.local", "x", 1, nil); err == nil {
		t.Error("announced without an address")
	}
}

// Current tells an announcement still true from one the networks have moved past: another
// address, one more network, or the interface made anew under the same name.
func TestAnnouncementCurrent(t *testing.T) {
	other := testnet.Second(t)
	a, err := Announce(testHost(), "Reelvault test", 8911, []lan.Address{other})
	if err != nil {
		t.Skipf("no multicast here: %v", err)
	}
	defer a.Close()
	if !a.Current([]lan.Address{other}) {
		t.Error("not current for the networks it was made for")
	}
	moved := other
	moved.IP = net.IPv4(198, 51, 100, 9).To4()
	if a.Current([]lan.Address{moved}) {
		t.Error("current for another address")
	}
	if a.Current([]lan.Address{other, moved}) {
		t.Error("current with a network more")
	}
	if a.Current(nil) {
		t.Error("current with no network")
	}
	a.responders[0].ifi = &net.Interface{Name: other.Interface, Index: a.responders[0].ifi.Index + 1000}
	if a.Current([]lan.Address{other}) {
		t.Error("current although the interface of that name is another one now")
	}
}
