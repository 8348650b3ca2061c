package live

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"reelvault/backend/archive"
)

// The settings page moves the RTMP listener to every network while an
// encoder publishes: that recording goes on to a whole master, a new
// encoder connects on the new address, and an address that cannot be bound
// is refused with the old one kept.
func TestMoveKeepsPublishersAndReceivesOnTheNewAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := e.createStream(0, nil)
	_, port, _ := net.SplitHostPort(e.live.Addr().String())

	p := push(t, e.publishURL(st.StreamKey), videoPush(4))
	live := e.waitRecording(st.ID)
	url, err := e.live.Move("0.0.0.0")
	if err != nil {
		t.Fatalf("Move(0.0.0.0): %v", err)
	}
	if !everyNetwork(e.live.Addr(), port) {
		t.Errorf("bound to %s after the move, want every network on port %s", e.live.Addr(), port)
	}
	if url != e.live.RTMPURL() || strings.Contains(url, "0.0.0.0") || !strings.HasSuffix(url, ":"+port+"/app") {
		t.Errorf("RTMP URL %q: want an address a camera can reach, on port %s", url, port)
	}
	if err := p.wait(t, 30*time.Second); err != nil {
		t.Fatalf("the encoder publishing during the move failed: %v: %s", err, p.stderr.String())
	}
	if done := e.waitAssetDone(live.ActiveAssetID, 60*time.Second); done.Status != archive.StatusReady || !near(done.Duration, 4, 0.6) {
		t.Fatalf("the recording made across the move: %s, %.2f s (%s)", done.Status, done.Duration, done.ErrorMessage)
	}

	// A new encoder on the moved listener (its loopback is one of every network's).
	// Long enough for the server to learn its tracks (it reads up to 5 s) under load.
	p2 := push(t, "rtmp://"+net.JoinHostPort("127.0.0.1", port)+"/app/"+st.StreamKey, videoPush(6))
	e.waitStream(st.ID, "a second recording", 30*time.Second, func(s Stream) bool {
		return s.ActiveAssetID != "" && s.ActiveAssetID != live.ActiveAssetID
	})
	if err := p2.wait(t, 30*time.Second); err != nil {
		t.Fatalf("publishing on the moved listener: %v: %s", err, p2.stderr.String())
	}

	if _, err := e.live.Move("192.0.2.1"); err == nil { // TEST-NET-1: no interface has it
		t.Fatal("Move to an address of no interface succeeded")
	}
	if !everyNetwork(e.live.Addr(), port) {
		t.Errorf("after a refused move the listener is on %s, want every network on port %s still", e.live.Addr(), port)
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", port), 5*time.Second)
	if err != nil {
		t.Fatalf("after a refused move nothing listens: %v", err)
	}
	conn.Close()
}

// everyNetwork reports whether a is the wildcard address (0.0.0.0 or [::]) on port.
func everyNetwork(a net.Addr, port string) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsUnspecified() && strconv.Itoa(tcp.Port) == port
}
