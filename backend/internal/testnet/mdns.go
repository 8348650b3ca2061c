package testnet

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"

	"reelvault/backend/internal/lan"
)

// Querier asks mDNS questions on one network, as a one-shot resolver there would: it sends
// from its address (port chosen by the system) to 224.0.0.251:5353 out of its interface, and
// reads the answers sent back to it.
type Querier struct {
	t    testing.TB
	conn *net.UDPConn
}

// NewQuerier queries on the network of on until the test ends. It joins the mDNS group on that
// interface, as the mDNS stack of every computer on a network does: Linux loops a query sent
// out of an interface back to this machine only where the group is joined.
func NewQuerier(t testing.TB, on lan.Address) *Querier {
	t.Helper()
	ifi, err := net.InterfaceByName(on.Interface)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: on.IP})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	pc := ipv4.NewPacketConn(conn)
	group := &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251)}
	for _, err := range []error{pc.SetMulticastInterface(ifi), pc.SetMulticastLoopback(true), pc.JoinGroup(ifi, group)} {
		if err != nil {
			t.Skipf("no multicast on %s here: %v", on.Interface, err)
		}
	}
	return &Querier{t: t, conn: conn}
}

// Ask sends a query for name's records of type qtype, with id.
func (q *Querier) Ask(id uint16, name string, qtype uint16) {
	q.t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.Id, m.RecursionDesired = id, false
	b, err := m.Pack()
	if err != nil {
		q.t.Fatal(err)
	}
	if _, err := q.conn.WriteToUDP(b, &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}); err != nil {
		q.t.Fatal(err)
	}
}

// Answer reads answers until one to the query with id comes, and returns its records; replies
// to other queries that come first are returned in before. The test fails if none comes
// within 5 seconds.
func (q *Querier) Answer(id uint16) (records []dns.RR, before []*dns.Msg) {
	q.t.Helper()
	q.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 9000)
	for {
		n, _, err := q.conn.ReadFromUDP(buf)
		if err != nil {
			q.t.Fatalf("no answer to mDNS query %d: %v", id, err)
		}
		m := new(dns.Msg)
		if m.Unpack(buf[:n]) != nil || !m.Response {
			continue
		}
		if m.Id == id {
			return m.Answer, before
		}
		before = append(before, m)
	}
}

// AddressesOf asks for host's A records with query id and returns their addresses.
func (q *Querier) AddressesOf(id uint16, host string) []string {
	q.t.Helper()
	q.Ask(id, host, dns.TypeA)
	records, _ := q.Answer(id)
	return Addresses(records)
}

// Addresses is the addresses of the A records among records.
func Addresses(records []dns.RR) []string {
	var ips []string
	for _, rr := range records {
		if a, ok := rr.(*dns.A); ok {
			ips = append(ips, a.A.String())
		}
	}
	return ips
}
