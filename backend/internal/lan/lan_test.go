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
		if a.IP.To4() == nil || a.IP.IsLoopback() || strings.TrimSpace(a.Interface) == "" {
			t.Errorf("%+v is not a LAN IPv4 address of a named interface", a)
		}
	}
}
