// Package lan finds this computer's addresses on its local networks, so
// that a listener bound to a wildcard address can be shown as an address a
// colleague (or an encoder on the LAN) can actually dial.
package lan

import "net"

// Address is an IPv4 address of an interface that is up and not loopback.
type Address struct {
	Interface string
	IP        net.IP
	Net       *net.IPNet // the network it is on: IP with the interface's mask
}

// Addresses walks the network interfaces once and returns their LAN
// addresses, in the system's order.
func Addresses() []Address {
	var out []Address
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() {
				ip := ipn.IP.To4()
				out = append(out, Address{Interface: ifc.Name, IP: ip, Net: &net.IPNet{IP: ip.Mask(ipn.Mask), Mask: ipn.Mask}})
			}
		}
	}
	return out
}

// Same is whether a and b are one address on one network of one interface.
func (a Address) Same(b Address) bool {
	return a.Interface == b.Interface && a.IP.Equal(b.IP) && a.Net.String() == b.Net.String()
}

// Serving is those of addrs (from Addresses) that a listener bound at ip
// accepts on: all of them for a wildcard ip, the one that is ip otherwise,
// none for loopback.
func Serving(ip net.IP, addrs []Address) []Address {
	if ip.IsUnspecified() {
		return addrs
	}
	for _, a := range addrs {
		if a.IP.Equal(ip) {
			return []Address{a}
		}
	}
	return nil
}

// Reachable is host:port of a bound address as others should dial it: a
// wildcard host (0.0.0.0, ::) becomes this computer's first LAN address,
// or 127.0.0.1 when it has none.
func Reachable(bound net.Addr) string { return ReachableAmong(bound, Addresses) }

// ReachableAmong is Reachable with the computer's addresses from addresses,
// asked only for a wildcard host.
func ReachableAmong(bound net.Addr, addresses func() []Address) string {
	host, port, err := net.SplitHostPort(bound.String())
	if err != nil {
		return bound.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if addrs := addresses(); len(addrs) > 0 {
			host = addrs[0].IP.String()
		}
	}
	return net.JoinHostPort(host, port)
}
