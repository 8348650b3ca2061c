package lan

import (
	"net"
	"strings"
	"testing"
)

// A listener moves to another address on its port; asked to stay, it is left as it is; a host
// that cannot be bound keeps it where it was, listening.
func TestRebind(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	same, err := Rebind(ln, "127.0.0.1")
	if err != nil || same != ln {
		t.Fatalf("rebinding to the same address: %v, %v (want the listener itself)", same, err)
	}

	moved, err := Rebind(ln, "127.0.0.2") // all of 127/8 is loopback on Linux
	if err != nil {
		t.Fatal(err)
	}
	if want := net.JoinHostPort("127.0.0.2", port); moved.Addr().String() != want {
		t.Fatalf("moved to %s, want %s", moved.Addr(), want)
	}
	if c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", port)); err == nil {
		c.Close()
		t.Error("the old address still accepts after the move")
	}

	back, err := Rebind(moved, "192.0.2.1") // TEST-NET-1: never an address of this machine
	if err == nil || !strings.Contains(err.Error(), "192.0.2.1") {
		t.Fatalf("an address not of this machine: %v", err)
	}
	if back == nil || back.Addr().String() != moved.Addr().String() {
		t.Fatalf("after a failed move the listener is %v, want it back on %s", back, moved.Addr())
	}
	c, err := net.Dial("tcp", back.Addr().String())
	if err != nil {
		t.Fatalf("the kept address does not accept: %v", err)
	}
	c.Close()
	back.Close()
}
