package localname

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"

	"reelvault/backend/internal/lan"
)

// mdnsGroup is mDNS's IPv4 multicast group and port (RFC 6762).
var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// maxPacket is the largest mDNS message (RFC 6762 §17: 9000 bytes on any link).
const maxPacket = 9000

// responder answers mDNS queries on one interface, from its records (hashicorp/mdns's
// MDNSService, which holds this interface's addresses only). hashicorp/mdns's own server is
// not used: even with its Iface set, its socket gets the group's packets from every interface
// (Linux hands a socket bound to the group what arrives wherever any socket, Avahi's say,
// joined it: IP_MULTICAST_ALL), and it answers them all, not knowing where they came in. This
// one asks the kernel for each query's interface and checks its sender (onThisNetwork).
type responder struct {
	ifi  *net.Interface
	ips  []net.IP // the addresses announced
	nets []*net.IPNet
	zone *mdns.MDNSService
	conn *net.UDPConn
	pc   *ipv4.PacketConn
	done chan struct{}
	once sync.Once

	// seen, when set (tests), is told of every query read and whether it was answered.
	seen func(q *dns.Msg, from *net.UDPAddr, answered bool)
}

// seenByNew is the seen of responders made from now on (tests set it before Announce).
var seenByNew func(q *dns.Msg, from *net.UDPAddr, answered bool)

// respond starts answering on the interface of addrs (all on one interface).
func respond(host, instance string, port int, addrs []lan.Address) (*responder, error) {
	ifi, err := net.InterfaceByName(addrs[0].Interface)
	if err != nil {
		return nil, fmt.Errorf("mDNS on %s: %w", addrs[0].Interface, err)
	}
	r := &responder{ifi: ifi, done: make(chan struct{}), seen: seenByNew}
	for _, a := range addrs {
		r.ips = append(r.ips, a.IP)
		if a.Net != nil {
			r.nets = append(r.nets, a.Net)
		} else {
			r.nets = append(r.nets, &net.IPNet{IP: a.IP, Mask: net.CIDRMask(32, 32)})
		}
	}
	r.zone, err = mdns.NewMDNSService(instance, "_http._tcp", "local.", host+".", port, r.ips, []string{"path=/"})
	if err != nil {
		return nil, fmt.Errorf("mDNS record of %s: %w", host, err)
	}
	// Joins the group on ifi only, and sends from ifi.
	r.conn, err = net.ListenMulticastUDP("udp4", ifi, mdnsGroup)
	if err != nil {
		return nil, fmt.Errorf("mDNS responder for %s on %s (is UDP port 5353 usable here?): %w", host, ifi.Name, err)
	}
	r.pc = ipv4.NewPacketConn(r.conn)
	// The interface a query came in on; where the OS cannot tell (Windows), the sender's
	// address alone decides.
	_ = r.pc.SetControlMessage(ipv4.FlagInterface, true)
	go r.serve()
	return r, nil
}

func (r *responder) serve() {
	defer close(r.done)
	buf := make([]byte, maxPacket)
	for {
		n, cm, src, err := r.pc.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		from, ok := src.(*net.UDPAddr)
		if err != nil || !ok {
			continue
		}
		var q dns.Msg
		// RFC 6762 §18: only standard queries, without a response code, are answered; a
		// truncated one would need the known answers that follow it.
		if q.Unpack(buf[:n]) != nil || q.Response || q.Opcode != dns.OpcodeQuery || q.Rcode != 0 || q.Truncated {
			continue
		}
		answered := r.onThisNetwork(cm, from) && r.answer(&q, from)
		if r.seen != nil {
			r.seen(&q, from, answered)
		}
	}
}

// onThisNetwork is whether a query came in on this interface (when the OS says) from an
// address on one of its networks or a link-local one (RFC 6762 §11: a responder checks that
// a query's source is on the link, and ignores it otherwise).
func (r *responder) onThisNetwork(cm *ipv4.ControlMessage, from *net.UDPAddr) bool {
	if cm != nil && cm.IfIndex != 0 && cm.IfIndex != r.ifi.Index {
		return false
	}
	if from.IP.IsLinkLocalUnicast() {
		return true
	}
	for _, n := range r.nets {
		if n.Contains(from.IP) {
			return true
		}
	}
	return false
}

// answer replies to the querier with this interface's records for the questions, as
// hashicorp/mdns's server did: questions with the unicast-response bit get an answer with the
// query's ID, the others one with ID 0, unless the querier is a one-shot resolver (not on port
// 5353), which gets its ID and questions back (RFC 6762 §6.7). It reports whether it sent one.
func (r *responder) answer(q *dns.Msg, from *net.UDPAddr) bool {
	var multicast, unicast []dns.RR
	for _, question := range q.Question {
		records := r.zone.Records(question)
		if question.Qclass&(1<<15) != 0 {
			unicast = append(unicast, records...)
		} else {
			multicast = append(multicast, records...)
		}
	}
	if len(multicast)+len(unicast) == 0 || !r.holdsAnAddress() {
		return false
	}
	oneShot := from.Port != mdnsGroup.Port
	sent := false
	for _, part := range []struct {
		answer  []dns.RR
		unicast bool
	}{{multicast, false}, {unicast, true}} {
		if len(part.answer) == 0 {
			continue
		}
		m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true, Opcode: dns.OpcodeQuery},
			Compress: true, Answer: part.answer}
		if part.unicast || oneShot {
			m.Id = q.Id
		}
		if oneShot {
			m.Question = q.Question
		}
		b, err := m.Pack()
		if err != nil {
			continue
		}
		if _, err := r.conn.WriteToUDP(b, from); err == nil {
			sent = true
		}
	}
	return sent
}

// holdsAnAddress is whether the interface still has an address announced: a computer that
// left the network it shared on (a laptop taken from the office to a café, its address gone
// with the office's Wi-Fi) says nothing of itself on the network it is on now. Asked only
// when a query is about this computer. When the addresses cannot be read, it answers as before.
func (r *responder) holdsAnAddress() bool {
	addrs, err := r.ifi.Addrs()
	if err != nil {
		return true
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			for _, ip := range r.ips {
				if ipn.IP.Equal(ip) {
					return true
				}
			}
		}
	}
	return false
}

// close stops answering and waits for the reader to end.
func (r *responder) close() {
	r.once.Do(func() {
		r.conn.Close()
		<-r.done
	})
}
