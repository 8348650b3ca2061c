package localname

import (
	"context"
	"io"
	"log"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
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

// A real mDNS exchange: the announcement answers a multicast query for the _http._tcp service
// (DNS-SD browsing) with the share listener's port and address, and an A query for name.local
// with the address. Queries go to 224.0.0.251:5353 on this machine's multicast interface and
// come back to it (multicast loopback), which is as close to "on loopback" as mDNS gets: Linux's
// lo interface has no MULTICAST flag, so a responder cannot join the group there.
func TestAnnounceAnswersRealQueries(t *testing.T) {
	host := "reelvault-test-" + time.Now().Format("150405") + ".local"
	ip := net.ParseIP("192.0.2.77").To4() // a documentation address: only announced, never dialled
	a, err := Announce(host, "Reelvault test", 8911, []net.IP{ip})
	if err != nil {
		t.Skipf("no multicast here: %v", err)
	}
	defer a.Close()

	entries := make(chan *mdns.ServiceEntry, 16)
	params := mdns.DefaultParams("_http._tcp")
	params.Entries, params.Timeout, params.DisableIPv6 = entries, 3*time.Second, true
	params.Logger = log.New(io.Discard, "", 0)
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
	if found.Port != 8911 || !found.AddrV4.Equal(ip) {
		t.Errorf("the service answers %s port %d, want %s port 8911", found.AddrV4, found.Port, ip)
	}

	// name.local itself, as a browser resolving a link's host asks it.
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := new(dns.Msg)
	q.SetQuestion(host+".", dns.TypeA)
	q.RecursionDesired = false
	buf, _ := q.Pack()
	if _, err := conn.WriteToUDP(buf, &net.UDPAddr{IP: net.ParseIP("224.0.0.251"), Port: 5353}); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		b := make([]byte, 9000)
		n, _, err := conn.ReadFromUDP(b)
		if err != nil {
			t.Fatalf("no answer to an A query for %s: %v", host, err)
		}
		var m dns.Msg
		if m.Unpack(b[:n]) != nil {
			continue
		}
		for _, rr := range m.Answer {
			if arec, ok := rr.(*dns.A); ok && arec.Hdr.Name == host+"." && arec.A.Equal(ip) {
				return
			}
		}
	}
}

// Nothing to announce: an error, not a responder with empty records.
func TestAnnounceRefusesWithoutNameOrAddress(t *testing.T) {
	if _, err := Announce("", "x", 1, []net.IP{net.IPv4(192, 0, 2, 1)}); err == nil {
		t.Error("announced without a name")
	}
	if _, err := Announce("a.local", "x", 1, nil); err == nil {
		t.Error("announced without an address")
	}
}
