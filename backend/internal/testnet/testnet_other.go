//go:build !linux

package testnet

import (
	"testing"

	"reelvault/backend/internal/lan"
)

// Second skips: the second interface is a Linux dummy interface.
func Second(t testing.TB) lan.Address {
	t.Skip("this test needs a second network interface, which only Linux's dummy interfaces give here")
	return lan.Address{}
}

func AddAddress(t testing.TB, a lan.Address, n byte) lan.Address { t.Fatal("Linux only"); return a }
func RemoveAddress(t testing.TB, a lan.Address)                  { t.Fatal("Linux only") }
