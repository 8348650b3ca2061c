package archive

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"reelvault/backend/media"
)

// seedLibrary writes assets with varied names, durations, sizes and picture sizes,
// several sharing a value so the cursor must break ties by id.
func seedLibrary(t *testing.T, env *testEnv) []Asset {
	t.Helper()
	seeded := seedAssets(t, env, 23)
	widths := []int{640, 1280, 1920, 3840, 0}
	for i := range seeded {
		a := &seeded[i]
		a.Meta.Title = []string{"beach", "Alpine", "city", "", "delta"}[i%5]
		a.Duration = float64(i % 4 * 10)
		a.MasterSize = int64((i % 6) * 1000)
		a.MasterVideoCodec = []string{"h264", "hevc"}[i%2]
		a.Source = []string{SourceFile, SourceUpload, SourceLive}[i%3]
		a.Tracks = nil
		if w := widths[i%5]; w > 0 {
			a.Tracks = []Track{{ID: "v", Type: "video", MaxWidth: w, MaxHeight: w * 9 / 16}}
		}
		// A third say nothing of when they were recorded; the rest share a few dates.
		a.InputInfo = nil
		if i%3 != 0 {
			a.InputInfo = &media.InputFile{CapturedAt: time.Date(2024, 5, 1+i%4, 10, 0, 0, 0, time.UTC).Format(time.RFC3339)}
		}
		if err := saveAsset(context.Background(), env.db, a); err != nil {
			t.Fatal(err)
		}
	}
	return seeded
}

// pageThrough reads every page of p through cursors.
func pageThrough(t *testing.T, env *testEnv, p ListParams) []Asset {
	t.Helper()
	var all []Asset
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("cursor never ends")
		}
		page, next, err := env.svc.List(env.ctx(), p)
		if err != nil {
			t.Fatalf("List(%+v): %v", p, err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		p.Cursor = next
	}
}

func TestListOrderByEveryKeyPagesThroughInOrder(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seeded := seedLibrary(t, env)
	name := func(a Asset) string {
		if a.Meta.Title != "" {
			return strings.ToLower(a.Meta.Title)
		}
		return strings.ToLower(a.Input[strings.LastIndexAny(a.Input, `/\`)+1:])
	}
	captured := func(a Asset) string {
		if a.InputInfo == nil {
			return ""
		}
		return a.InputInfo.CapturedAt
	}
	pixels := func(a Asset) int {
		if len(a.Tracks) == 0 {
			return 0
		}
		return a.Tracks[0].MaxWidth * a.Tracks[0].MaxHeight
	}
	less := map[string]func(a, b Asset) int{
		"name":       func(a, b Asset) int { return strings.Compare(name(a), name(b)) },
		"duration":   func(a, b Asset) int { return int(a.Duration - b.Duration) },
		"size":       func(a, b Asset) int { return int(a.MasterSize - b.MasterSize) },
		"resolution": func(a, b Asset) int { return pixels(a) - pixels(b) },
		"captured":   func(a, b Asset) int { return strings.Compare(captured(a), captured(b)) },
	}
	for key, cmp := range less {
		for _, order := range []string{"asc", "desc"} {
			t.Run(key+" "+order, func(t *testing.T) {
				want := append([]Asset(nil), seeded...)
				sort.SliceStable(want, func(i, j int) bool {
					c := cmp(want[i], want[j])
					if c == 0 {
						c = strings.Compare(want[i].ID, want[j].ID)
					}
					if order == "desc" {
						return c > 0
					}
					return c < 0
				})
				got := pageThrough(t, env, ListParams{Limit: 4, OrderBy: key, Order: order})
				if len(got) != len(want) {
					t.Fatalf("%d assets over all pages, want %d", len(got), len(want))
				}
				for i := range want {
					if got[i].ID != want[i].ID {
						t.Fatalf("position %d: %s, want %s (%s %s)", i, got[i].ID, want[i].ID, key, order)
					}
				}
			})
		}
	}
}

// Untitled videos sort by the file name the window shows, whatever folder (or Windows path)
// they came from, and the order is read from its index, not a full sort.
func TestListOrderByNameUsesTheFileNameNotTheFolder(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seeded := seedAssets(t, env, 4)
	inputs := []string{"/zz/footage/apple.mp4", "/aa/zebra.mp4", `C:\Clips\Mango.mov`, "https://cdn.example.com/b/kiwi.mp4"}
	for i := range seeded {
		seeded[i].Input = inputs[i]
		if err := saveAsset(context.Background(), env.db, &seeded[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := env.svc.List(env.ctx(), ListParams{Limit: 10, OrderBy: "name", Order: "asc"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range got {
		order = append(order, a.Input)
	}
	want := []string{inputs[0], inputs[3], inputs[2], inputs[1]} // apple, kiwi, Mango, zebra
	if strings.Join(order, " | ") != strings.Join(want, " | ") {
		t.Fatalf("by name:\n got  %v\n want %v", order, want)
	}

	rows, err := env.db.QueryContext(env.ctx(), `EXPLAIN QUERY PLAN SELECT id FROM assets ORDER BY `+sortKeys["name"]+`, id LIMIT 25`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "assets_by_name") || strings.Contains(p, "TEMP B-TREE") {
		t.Fatalf("the name order is not read from its index: %s", p)
	}
}

func TestListFiltersAndCountAgree(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seeded := seedLibrary(t, env)
	count := func(keep func(Asset) bool) int {
		n := 0
		for _, a := range seeded {
			if keep(a) {
				n++
			}
		}
		return n
	}
	width := func(a Asset) int {
		if len(a.Tracks) == 0 {
			return 0
		}
		return a.Tracks[0].MaxWidth
	}
	cases := []struct {
		p    ListParams
		keep func(Asset) bool
	}{
		{ListParams{}, func(Asset) bool { return true }},
		{ListParams{Source: SourceUpload}, func(a Asset) bool { return a.Source == SourceUpload }},
		{ListParams{Codec: "hevc"}, func(a Asset) bool { return a.MasterVideoCodec == "hevc" }},
		{ListParams{Resolution: "4k"}, func(a Asset) bool { return width(a) >= 3840 }},
		{ListParams{Resolution: "sd"}, func(a Asset) bool { return width(a) > 0 && width(a) < 1280 }},
		{ListParams{Resolution: "full_hd", Source: SourceFile}, func(a Asset) bool {
			return width(a) >= 1920 && width(a) < 3840 && a.Source == SourceFile
		}},
	}
	for _, c := range cases {
		want := count(c.keep)
		if want == 0 {
			t.Fatalf("%+v: the seed has no match, the case proves nothing", c.p)
		}
		total, err := env.svc.Count(env.ctx(), c.p)
		if err != nil {
			t.Fatal(err)
		}
		c.p.Limit, c.p.OrderBy = 5, "size"
		got := pageThrough(t, env, c.p)
		if total != want || len(got) != want {
			t.Errorf("%+v: total %d, paged %d, want %d", c.p, total, len(got), want)
		}
		for _, a := range got {
			if !c.keep(a) {
				t.Errorf("%+v: %s does not match", c.p, a.ID)
			}
		}
	}
}

func TestListRefusesBadOrderFiltersAndForeignCursors(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seedLibrary(t, env)
	_, byName, err := env.svc.List(env.ctx(), ListParams{Limit: 3, OrderBy: "name"})
	if err != nil || byName == "" {
		t.Fatalf("first page by name: %q, %v", byName, err)
	}
	_, byDate, _ := env.svc.List(env.ctx(), ListParams{Limit: 3})
	for _, p := range []ListParams{
		{OrderBy: "title; DROP TABLE assets"},
		{OrderBy: "NAME"},
		{Source: "ftp"},
		{Resolution: "8k"},
		{Codec: "h264' OR 1=1 --"},
		{Codec: strings.Repeat("a", 33)},
		{OrderBy: "size", Cursor: byName},
		{OrderBy: "created_at", Cursor: byName},
		{OrderBy: "name", Cursor: byDate},
		{OrderBy: "duration", Cursor: "eyJvIjoiZHVyYXRpb24iLCJ2IjoieCIsImlkIjoiYSJ9"}, // a string value for a number
	} {
		if _, _, err := env.svc.List(env.ctx(), p); err == nil {
			t.Errorf("List(%+v) accepted", p)
		}
		if _, err := env.svc.Count(env.ctx(), p); err == nil && p.Cursor == "" {
			t.Errorf("Count(%+v) accepted", p)
		}
	}
	if n, _ := env.svc.Count(env.ctx(), ListParams{}); n != 23 {
		t.Fatalf("after refused requests %d assets, want 23", n)
	}
}
