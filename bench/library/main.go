// Command library measures the asset list API with 5,000 assets (issue 6:
// the library must stay smooth; the list API answers in under 50 ms), over
// real HTTP and a real SQLite file, against a plain SQLite query for the same
// page as the baseline.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/httpapi"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

func main() {
	n := flag.Int("assets", 5000, "assets in the library")
	reps := flag.Int("reps", 200, "requests per case")
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rv-library-bench")
	must(err)
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, filepath.Join(dir, "reelvault.db"), quiet)
	must(err)
	defer db.Close()
	signer, err := links.NewSigner([]byte("0123456789abcdef0123456789abcdef"), "http://127.0.0.1:8911")
	must(err)
	assets := wire.NewAssets(signer)
	a, err := archive.New(db, jobs.New(db, quiet), archive.Config{DataDir: dir, AssetEvent: assets.Event, Log: quiet})
	must(err) // the job queue is not run: assets stay as created

	start := time.Now()
	for i := 0; i < *n; i++ {
		_, err := a.Create(ctx, archive.CreateParams{Input: fmt.Sprintf("/footage/day%02d/take-%05d.mov", i%30, i), AssetSettings: archive.AssetSettings{Meta: archive.Meta{Title: fmt.Sprintf("Interview take %d", i)}}})
		must(err)
	}
	fmt.Printf("created %d assets in %s\n", *n, time.Since(start).Round(time.Millisecond))

	srv := httptest.NewServer(httpapi.New(httpapi.Config{Archive: a, Assets: assets, Log: quiet, Credentials: httpapi.Credentials{TokenID: "b", TokenSecret: "b"}}).Handler())
	defer srv.Close()
	client := srv.Client()
	get := func(path string) time.Duration {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.SetBasicAuth("b", "b")
		t0 := time.Now()
		resp, err := client.Do(req)
		must(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			log.Fatalf("%s: %s", path, resp.Status)
		}
		return time.Since(t0)
	}
	raw := func(q string, args ...any) time.Duration {
		t0 := time.Now()
		rows, err := db.QueryContext(ctx, q, args...)
		must(err)
		var cnt int
		for rows.Next() {
			cnt++
		}
		rows.Close()
		return time.Since(t0)
	}
	var deepCursor string
	func() { // a cursor 4,000 assets deep
		_, next, err := a.List(ctx, archive.ListParams{Limit: 100, Page: 40})
		must(err)
		deepCursor = next
	}()

	cases := []struct {
		name, path, sql string
		args            []any
	}{
		{"first page (50)", "/video/v1/assets?limit=50", `SELECT * FROM assets ORDER BY created_ns DESC, id DESC LIMIT 50`, nil},
		{"page 4,000 deep by cursor", "/video/v1/assets?limit=50&cursor=" + deepCursor,
			`SELECT * FROM assets ORDER BY created_ns DESC, id DESC LIMIT 50 OFFSET 4000`, nil},
		{"search q=take 4999", "/video/v1/assets?limit=50&q=take+4999",
			`SELECT * FROM assets WHERE title LIKE ? OR input LIKE ? ORDER BY created_ns DESC LIMIT 50`, []any{"%take 4999%", "%take 4999%"}},
		{"filter status=ready (none)", "/video/v1/assets?limit=50&status=ready",
			`SELECT * FROM assets WHERE status = 'ready' ORDER BY created_ns DESC LIMIT 50`, nil},
	}
	fmt.Printf("\n%-28s %10s %10s %12s %8s\n", "list API, "+fmt.Sprint(*n)+" assets", "p50", "p99", "SQL p50", "ratio")
	for _, c := range cases {
		var api, base []time.Duration
		for i := 0; i < *reps; i++ {
			api = append(api, get(c.path))
			base = append(base, raw(c.sql, c.args...))
		}
		p50, p99, b50 := pct(api, 50), pct(api, 99), pct(base, 50)
		fmt.Printf("%-28s %10s %10s %12s %7.1fx\n", c.name, p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond),
			b50.Round(time.Microsecond), float64(p50)/float64(b50))
	}
	fmt.Println("\n* library: list API p99 must stay under 50 ms (ratio: API over HTTP / plain SQLite query of the same page)")
}

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
