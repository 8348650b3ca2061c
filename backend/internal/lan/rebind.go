package lan

import (
	"fmt"
	"net"
)

// Rebind moves the TCP listener ln to host, keeping its port, and returns the listener to
// accept on from now on. ln itself comes back when it is already there. The old listener is
// closed first (0.0.0.0:P cannot be bound while 127.0.0.1:P is); connections it accepted go
// on. When host cannot be bound, the old address is bound again and returned with the
// error; when even that fails, the listener is nil. The error starts with the address it
// could not bind, for the caller to say what it was for ("cannot share on " + err).
func Rebind(ln net.Listener, host string) (net.Listener, error) {
	old := ln.Addr().String()
	_, port, _ := net.SplitHostPort(old)
	addr := net.JoinHostPort(host, port)
	if addr == old {
		return ln, nil
	}
	ln.Close()
	moved, err := net.Listen("tcp", addr)
	if err == nil {
		return moved, nil
	}
	back, berr := net.Listen("tcp", old)
	if berr != nil {
		return nil, fmt.Errorf("%s (%v), and could not go back to %s: %w", addr, err, old, berr)
	}
	return back, fmt.Errorf("%s: %w", addr, err)
}
