package kit

import (
	"log"
	"net/url"
	"time"
)

// Asset is the part of a Mux-style asset the benchmarks read.
type Asset struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Input  string `json:"input"`
	Master *struct {
		Status string `json:"status"`
		URL    string `json:"url"`
	} `json:"master"`
	MasterSize int64   `json:"master_size"`
	MasterMode string  `json:"master_mode"`
	Duration   float64 `json:"duration"`
	Errors     any     `json:"errors"`
}

// pollEvery is short so that polling adds little to a measured time.
const pollEvery = 5 * time.Millisecond

// Ingest creates an asset from input with a temporary master link and
// returns it once the master is ready, with the time from the request.
func (s *Server) Ingest(input string) (Asset, time.Duration) {
	start := time.Now()
	var created struct{ Data Asset }
	s.Call("POST", "/video/v1/assets", map[string]any{"input": input, "master_access": "temporary"}, &created)
	a := s.WaitMasterReady(created.Data.ID)
	return a, time.Since(start)
}

// WaitMasterReady polls the asset until its master is ready (10 min at
// most) and returns it; an errored asset exits the program.
func (s *Server) WaitMasterReady(id string) Asset {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		var a struct{ Data Asset }
		s.Call("GET", "/video/v1/assets/"+id, nil, &a)
		if a.Data.Status == "errored" {
			log.Fatalf("asset errored: %v", a.Data.Errors)
		}
		if a.Data.Master != nil && a.Data.Master.Status == "ready" {
			return a.Data
		}
		if time.Now().After(deadline) {
			log.Fatalf("asset %s not ready after 10 min", id)
		}
		time.Sleep(pollEvery)
	}
}

// FindAsset polls the asset list until an asset made from input appears
// (a watch folder's, say) and returns its id.
func (s *Server) FindAsset(input string, timeout time.Duration) string {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var l struct{ Data []Asset }
		s.Call("GET", "/video/v1/assets?limit=5&q="+url.QueryEscape(input), nil, &l)
		for _, a := range l.Data {
			if a.Input == input {
				return a.ID
			}
		}
		time.Sleep(pollEvery)
	}
	log.Fatalf("no asset for %s after %s", input, timeout)
	return ""
}
