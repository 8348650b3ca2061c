// Package localname announces this computer on the local network with mDNS (RFC 6762): its
// name.local, so a share link built on it keeps working when DHCP gives the computer a new
// address, and a DNS-SD _http._tcp service for the share listener, so browsers and file
// managers that browse the network list it.
package localname

import (
	"fmt"
	"os"
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
	a := &Announcement{}
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
