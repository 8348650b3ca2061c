package kit

import (
	"log"
	"net/http"
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

// WaitThumbnail polls until the asset's thumbnail is served (2 min at most): the
// thumbnail job runs after ready, and a measurement that follows must not share the
// cores with it.
func (s *Server) WaitThumbnail(id string) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if s.Get("/ui/v1/assets/"+id+"/thumbnail.jpg") == http.StatusOK {
			return
		}
		time.Sleep(pollEvery)
	}
	log.Fatalf("asset %s has no thumbnail after 2 min", id)
}
