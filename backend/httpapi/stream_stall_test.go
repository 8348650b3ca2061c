package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A client that opens an event stream and stops reading is let go once a write has waited
// streamWriteTimeout, instead of holding its connection and goroutines for ever.
func TestEventStreamLetsGoOfAClientThatStopsReading(t *testing.T) {
	old := streamWriteTimeout
	streamWriteTimeout = 200 * time.Millisecond
	t.Cleanup(func() { streamWriteTimeout = old })

	events := make(chan string)
	ended := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(ended)
		serveEventStream(w, r, ": connected\n\n", events, func(e string) { fmt.Fprintf(w, "data: %s\n\n", e) })
	}))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read the answer

	big := strings.Repeat("x", 64<<10)
	deadline := time.After(time.Minute)
	for {
		select {
		case events <- big: // the socket's buffers fill, then a write waits out its deadline
		case <-ended:
			return
		case <-deadline:
			t.Fatal("the stream still holds a client that stopped reading a minute ago")
		}
	}
}
