package testnet

import (
	"net"
	"testing"

	"reelvault/backend/internal/lan"
)

// LAN is this machine's first LAN address on an interface that can multicast; the test is
// skipped when it has none (Linux's lo cannot join a multicast group).
func LAN(t testing.TB) lan.Address {
	t.Helper()
	for _, a := range lan.Addresses() {
		if ifi, err := net.InterfaceByName(a.Interface); err == nil && ifi.Flags&net.FlagMulticast != 0 {
			return a
		}
	}
	t.Skip("this machine has no LAN interface that can multicast")
	return lan.Address{}
}
