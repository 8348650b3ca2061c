// Package localname announces this computer on the local network with mDNS (RFC 6762): its
// name.local, so a share link built on it keeps working when DHCP gives the computer a new
// address, and a DNS-SD _http._tcp service for the share listener, so browsers and file
// managers that browse the network list it.
package localname

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"

	"github.com/hashicorp/mdns"
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
	server *mdns.Server
}

// Announce answers queries for host (from Host) with ips, and for a DNS-SD service of type
// _http._tcp named instance at host:port, on every multicast interface.
func Announce(host, instance string, port int, ips []net.IP) (*Announcement, error) {
	if host == "" {
		return nil, fmt.Errorf("this computer has no name to announce")
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("no local network address to announce %s on", host)
	}
	svc, err := mdns.NewMDNSService(instance, "_http._tcp", "local.", host+".", port, ips, []string{"path=/"})
	if err != nil {
		return nil, fmt.Errorf("mDNS record of %s: %w", host, err)
	}
	server, err := mdns.NewServer(&mdns.Config{Zone: svc, Logger: log.New(io.Discard, "", 0)})
	if err != nil {
		return nil, fmt.Errorf("mDNS responder for %s (is UDP port 5353 usable here?): %w", host, err)
	}
	return &Announcement{server: server}, nil
}

// Close stops answering.
func (a *Announcement) Close() error {
	if a == nil {
		return nil
	}
	return a.server.Shutdown()
}
