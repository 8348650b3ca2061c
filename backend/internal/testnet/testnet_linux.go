package testnet

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"reelvault/backend/internal/lan"
)

// dummyNet is the second network's address: TEST-NET-2, which no real network uses.
const dummyNet = "198.51.100.1/24"

// Second adds a second network interface until the test ends: a Linux dummy interface (or,
// where the kernel has no dummy driver, a bridge without ports), up, multicast on, with address
// 198.51.100.1/24. Packets sent out of it go nowhere, but multicast
// sent on it loops back to this machine's sockets that joined the group there, as if it came
// in on it. Adding one needs root (CAP_NET_ADMIN): elsewhere the test is skipped and says why.
// One test at a time on the machine has it (a lock file): its address is fixed.
func Second(t testing.TB) lan.Address {
	t.Helper()
	lock, err := os.OpenFile("/tmp/reelvault-testnet.lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Skipf("a second network interface needs a lock file: %v", err)
	}
	t.Cleanup(func() { lock.Close() })
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Skipf("a second network interface needs a lock file: %v", err)
	}
	name := fmt.Sprintf("rvtest%d", os.Getpid()%100000)
	// A kernel without the dummy driver gets a bridge without ports, which is as alone.
	if err := ip("link", "add", name, "type", "dummy"); err != nil {
		if err2 := ip("link", "add", name, "type", "bridge"); err2 != nil {
			t.Skipf("this test needs a second network interface, and adding a dummy one or a bridge (root, iproute2) is not permitted here: %v; %v", err, err2)
		}
	}
	// Runs before the lock is let go (cleanups run last first).
	t.Cleanup(func() {
		if err := ip("link", "del", name); err != nil {
			t.Errorf("the test's dummy interface %s is left behind: %v", name, err)
		}
	})
	for _, args := range [][]string{
		{"link", "set", "dev", name, "multicast", "on"},
		{"addr", "add", dummyNet, "dev", name},
		{"link", "set", "dev", name, "up"},
	} {
		if err := ip(args...); err != nil {
			t.Fatal(err)
		}
	}
	addr, subnet, _ := net.ParseCIDR(dummyNet)
	return lan.Address{Interface: name, IP: addr.To4(), Net: subnet}
}

// AddAddress gives the interface of a (from Second) another address on its network, the n-th
// host of it, and returns it.
func AddAddress(t testing.TB, a lan.Address, n byte) lan.Address {
	t.Helper()
	b := lan.Address{Interface: a.Interface, IP: net.IPv4(a.Net.IP[0], a.Net.IP[1], a.Net.IP[2], n).To4(), Net: a.Net}
	ones, _ := a.Net.Mask.Size()
	if err := ip("addr", "add", fmt.Sprintf("%s/%d", b.IP, ones), "dev", a.Interface); err != nil {
		t.Fatal(err)
	}
	return b
}

// RemoveAddress takes a (from Second or AddAddress) off its interface, as leaving a network does.
func RemoveAddress(t testing.TB, a lan.Address) {
	t.Helper()
	ones, _ := a.Net.Mask.Size()
	if err := ip("addr", "del", fmt.Sprintf("%s/%d", a.IP, ones), "dev", a.Interface); err != nil {
		t.Fatal(err)
	}
}

// ip runs iproute2's ip.
func ip(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("ip %v: %v %s", args, err, out)
	}
	return nil
}
