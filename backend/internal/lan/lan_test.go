package lan

import (
	"net"
	"strings"
	"testing"
)

type addr string

func (a addr) Network() string { return "tcp" }
func (a addr) String() string  { return string(a) }

func TestReachableKeepsAConcreteHost(t *testing.T) {
	for _, in := range []string{"127.0.0.1:8911", "192.168.1.20:1935", "[::1]:80"} {
		if got := Reachable(addr(in)); got != in {
			t.Errorf("Reachable(%s) = %s, want it unchanged", in, got)
		}
	}
}

func TestReachableReplacesAWildcardHost(t *testing.T) {
	for _, in := range []string{"0.0.0.0:8911", "[::]:8911"} {
		got := Reachable(addr(in))
		host, port, err := net.SplitHostPort(got)
		if err != nil || port != "8911" || net.ParseIP(host) == nil || net.ParseIP(host).IsUnspecified() {
			t.Errorf("Reachable(%s) = %s, want a dialable address with port 8911", in, got)
		}
		if addrs := Addresses(); len(addrs) > 0 && host != addrs[0].IP.String() {
			t.Errorf("Reachable(%s) = %s, want the first LAN address %s", in, got, addrs[0].IP)
		}
	}
}

func TestAddressesAreLANIPv4(t *testing.T) {
	for _, a := range Addresses() {
		if a.IP.To4() == nil || a.IP.IsLoopback() || strings.TrimSpace(a.Interface) == "" || a.Net == nil || !a.Net.Contains(a.IP) {
			t.Errorf("%+v is not a LAN IPv4 address of a named interface", a)
		}
	}
}

func TestServing(t *testing.T) {
	_, office, _ := net.ParseCIDR("192.168.1.0/24")
	_, vpn, _ := net.ParseCIDR("10.8.0.0/16")
	addrs := []Address{
		{Interface: "eth0", IP: net.ParseIP("192.168.1.20").To4(), Net: office},
		{Interface: "tun0", IP: net.ParseIP("10.8.0.5").To4(), Net: vpn},
	}
	for bound, want := range map[string][]string{
		"0.0.0.0":      {"eth0", "tun0"},
		"::":           {"eth0", "tun0"},
		"10.8.0.5":     {"tun0"},
		"192.168.1.20": {"eth0"},
		"127.0.0.1":    nil,
		"192.168.1.21": nil,
	} {
		var got []string
		for _, a := range Serving(net.ParseIP(bound), addrs) {
			got = append(got, a.Interface)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("a listener on %s serves %v, want %v", bound, got, want)
		}
	}
}
