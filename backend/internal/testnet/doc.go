// Package testnet gives tests network interfaces to announce and query on: the machine's
// own LAN interface, and a second, private one (a Linux dummy interface with a documentation
// address), so "a computer on two networks" is two real interfaces, not a fake.
package testnet
