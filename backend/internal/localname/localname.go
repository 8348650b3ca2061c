// Package localname announces this computer on the local network with mDNS (RFC 6762): its
// name.local, so a share link built on it keeps working when DHCP gives the computer a new
// address, and a DNS-SD _http._tcp service for the share listener, so browsers and file
// managers that browse the network list it.
package localname

import (
	"fmt"
	"net"
	"os"
	"slices"
	"strings"

	"reelvault/backend/internal/lan"
)

// Host is this computer's mDNS name, "studio-pc.local": the first label of its host name, in
// lower case, with anything but letters, digits and '-' made '-'. "" when it has no usable name.
func Host() string {
	name, err := os.Hostname()
	if err != nil {
		return ""
	}
	return hostOf(name)
}

func hostOf(name string) string {
	name, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(name)), ".")
	var b strings.Builder
	for _, r := range name {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	label := strings.Trim(b.String(), "-")
	if label == "" || len(label) > 63 || label == "localhost" {
		return ""
	}
	return label + ".local"
}

// Announcement answers mDNS queries until Close.
type Announcement struct {
	on         []lan.Address
	responders []*responder
}

// Announce answers queries for host (from Host) and for a DNS-SD service of type _http._tcp
// named instance at host:port, on the networks of on (lan.Serving: the addresses the share
// listener accepts on) and no others: each interface's responder answers only queries that
// arrive on that interface from its networks, with that interface's addresses only. A laptop
// sharing on its office LAN thus says nothing about itself on the VPN or café network it is
// also on.
func Announce(host, instance string, port int, on []lan.Address) (*Announcement, error) {
	if host == "" {
		return nil, fmt.Errorf("this computer has no name to announce")
	}
	if len(on) == 0 {
		return nil, fmt.Errorf("no local network address to announce %s on", host)
	}
	a := &Announcement{on: slices.Clone(on)}
	for _, group := range byInterface(on) {
		r, err := respond(host, instance, port, group)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.responders = append(a.responders, r)
	}
	return a, nil
}

// byInterface groups addresses by their interface, in the order given.
func byInterface(addrs []lan.Address) [][]lan.Address {
	var groups [][]lan.Address
	at := map[string]int{}
	for _, a := range addrs {
		i, ok := at[a.Interface]
		if !ok {
			i = len(groups)
			at[a.Interface] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], a)
	}
	return groups
}

// Current is whether a announces on exactly the networks of on, through interfaces that
// are still the ones it joined: false when an address came or went (a new DHCP lease, a
// network joined or left) or an interface was made anew (a USB adapter plugged in again, a
// VPN reconnected), whose old responder hears nothing any more.
func (a *Announcement) Current(on []lan.Address) bool {
	if a == nil || !slices.EqualFunc(a.on, on, lan.Address.Same) {
		return false
	}
	for _, r := range a.responders {
		if ifi, err := net.InterfaceByName(r.ifi.Name); err != nil || ifi.Index != r.ifi.Index {
			return false
		}
	}
	return true
}

// Close stops answering.
func (a *Announcement) Close() error {
	if a == nil {
		return nil
	}
	for _, r := range a.responders {
		r.close()
	}
	return nil
}
