package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"reelvault/backend/store"
)

// BenchmarkDelivery commits b.N events, each in its own transaction as the
// archive does (spread over 100 assets), to one local receiver that answers
// 200 at once, with the default configuration (4 POSTs in flight per
// endpoint). It reports events delivered per second and the latency from
// the commit to the receiver getting the POST.
//
//   - burst: events are committed as fast as SQLite takes them (~10,000/s,
//     far above the delivery rate), so events/s is the most the service
//     delivers, and latency is mostly time spent waiting in the backlog.
//   - paced-N: events are committed at N per second, an archive far busier
//     than a real one; latency is that of a service keeping up.
func BenchmarkDelivery(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchDelivery(b, 0) })
	b.Run("paced-500", func(b *testing.B) { benchDelivery(b, 500) })
	b.Run("paced-1000", func(b *testing.B) { benchDelivery(b, 1000) })
}

func benchDelivery(b *testing.B, perSecond int) {
	db := openDB(b, "")
	var mu sync.Mutex
	arrived := make(map[string]time.Time, b.N)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		var env struct {
			ID string `json:"id"`
		}
		json.NewDecoder(r.Body).Decode(&env)
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		if _, seen := arrived[env.ID]; !seen {
			arrived[env.ID] = at
			if len(arrived) == b.N {
				close(done)
			}
		}
		mu.Unlock()
	}))
	b.Cleanup(srv.Close)
	s := startService(b, db, Config{Log: testLogger(b)})
	if _, err := s.Create(context.Background(), srv.URL+"/hook"); err != nil {
		b.Fatal(err)
	}
	data := map[string]any{"id": "asset", "status": "ready", "created_at": 1764018000, "duration": 12.5,
		"master_access": "temporary", "master": map[string]any{"status": "ready", "url": "http://127.0.0.1:8911/m/x.mp4?sig=abc"}}
	committed := make(map[string]time.Time, b.N)

	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if perSecond > 0 {
			if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(perSecond))); wait > 0 {
				time.Sleep(wait) // paces the events at the rate under test on purpose
			}
		}
		var ev store.Event
		err := db.Tx(context.Background(), func(tx *store.Tx) error {
			var err error
			ev, err = tx.AppendEvent(context.Background(), time.Now(), "video.asset.updated", "asset", fmt.Sprintf("asset%d", i%100), data)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		committed[ev.ID] = time.Now()
	}
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		b.Fatalf("only %d of %d events arrived", len(arrived), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	mu.Lock()
	defer mu.Unlock()
	lat := make([]time.Duration, 0, b.N)
	for id, at := range committed {
		lat = append(lat, arrived[id].Sub(at))
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(0, "ns/op") // meaningless here: see events/s
}
