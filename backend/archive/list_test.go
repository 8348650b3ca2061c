package archive

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// seedAssets writes n assets straight into the table, newest last. Every
// third shares its created time with the previous one, so the cursor must
// order by id too.
func seedAssets(t *testing.T, env *testEnv, n int) []Asset {
	t.Helper()
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var out []Asset
	for i := 0; i < n; i++ {
		created := base.Add(time.Duration(i) * time.Second)
		if i%3 == 2 {
			created = out[i-1].CreatedAt
		}
		a := Asset{
			ID: fmt.Sprintf("asset%02d", i), CreatedAt: created, Status: StatusReady, Source: SourceFile,
			Input: fmt.Sprintf("/videos/clip%02d.mp4", i), IngestType: "on_demand_url", MaxResolutionTier: "1080p",
			VideoQuality: "plus", ProgressState: ProgressCompleted, Progress: 100, MasterAccess: AccessNone, LinkGeneration: 1,
		}
		switch {
		case i%5 == 0:
			a.Status, a.ProgressState, a.ErrorType, a.ErrorMessage = StatusErrored, ProgressErrored, "invalid_input", "bad"
		case i == 7:
			a.LiveStreamID = "live1"
		case i == 8:
			a.UploadID = "up1"
		}
		if i == 11 {
			a.Meta.Title = "Summer 50% off"
		}
		if err := saveAsset(context.Background(), env.db, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestListCursorCoversEveryAssetOnce(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seeded := seedAssets(t, env, 31)
	seen := map[string]int{}
	var order []Asset
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("cursor never ends")
		}
		page, next, err := env.svc.List(env.ctx(), ListParams{Limit: 7, Cursor: cursor})
		if err != nil {
			t.Fatalf("List(cursor %q): %v", cursor, err)
		}
		if len(page) > 7 {
			t.Fatalf("page of %d, limit 7", len(page))
		}
		for _, a := range page {
			seen[a.ID]++
			order = append(order, a)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(seen) != len(seeded) {
		t.Errorf("cursor pages listed %d distinct assets, want %d", len(seen), len(seeded))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
	for i := 1; i < len(order); i++ {
		p, c := order[i-1], order[i]
		if c.CreatedAt.After(p.CreatedAt) || (c.CreatedAt.Equal(p.CreatedAt) && c.ID > p.ID) {
			t.Errorf("not newest first: %s (%v) after %s (%v)", c.ID, c.CreatedAt, p.ID, p.CreatedAt)
		}
	}
}

func TestListPagesAndFilters(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seedAssets(t, env, 31)
	ctx := env.ctx()

	all, _, err := env.svc.List(ctx, ListParams{Limit: 100})
	if err != nil || len(all) != 31 {
		t.Fatalf("List(limit 100) = %d assets, %v", len(all), err)
	}
	if all[0].ID != "asset30" {
		t.Errorf("first listed %s, want the newest asset30", all[0].ID)
	}
	page2, _, err := env.svc.List(ctx, ListParams{Limit: 10, Page: 2})
	if err != nil || len(page2) != 10 || page2[0].ID != all[10].ID || page2[9].ID != all[19].ID {
		t.Errorf("page 2 of 10: %v, %v; want the 11th to 20th", ids(page2), err)
	}
	if def, _, _ := env.svc.List(ctx, ListParams{}); len(def) != 25 {
		t.Errorf("default limit gave %d, want 25", len(def))
	}

	for _, c := range []struct {
		name string
		p    ListParams
		want []string
	}{
		{"errored", ListParams{Status: StatusErrored}, []string{"asset30", "asset25", "asset20", "asset15", "asset10", "asset05", "asset00"}},
		{"live stream", ListParams{LiveStreamID: "live1"}, []string{"asset07"}},
		{"upload", ListParams{UploadID: "up1"}, []string{"asset08"}},
		{"search title, % is literal", ListParams{Search: "50%"}, []string{"asset11"}},
		{"search input", ListParams{Search: "clip2"}, []string{"asset29", "asset28", "asset27", "asset26", "asset25", "asset24", "asset23", "asset22", "asset21", "asset20"}},
		{"search _ is literal", ListParams{Search: "clip_"}, nil},
	} {
		got, _, err := env.svc.List(ctx, c.p)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(c.want) {
			t.Errorf("%s: listed %v, want %v", c.name, ids(got), c.want)
		}
	}

	for _, c := range []struct {
		p     ListParams
		field string
	}{
		{ListParams{Cursor: "not-a-cursor"}, "cursor"},
		{ListParams{Cursor: "bm9jb2xvbg"}, "cursor"}, // base64 of "nocolon"
		{ListParams{Limit: 101}, "limit"},
		{ListParams{Limit: -1}, "limit"},
		{ListParams{Page: -1}, "page"},
		{ListParams{Status: "done"}, "status"},
	} {
		if _, _, err := env.svc.List(ctx, c.p); !isValidation(err, c.field) {
			t.Errorf("List(%+v): %v, want a ValidationError on %s", c.p, err, c.field)
		}
	}
}

func ids(list []Asset) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestListOldestFirstByCursor(t *testing.T) {
	env := openEnv(t, t.TempDir())
	seeded := seedAssets(t, env, 31)
	var order []Asset
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("cursor never ends")
		}
		page, next, err := env.svc.List(env.ctx(), ListParams{Limit: 7, Cursor: cursor, Order: "asc"})
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(order) != len(seeded) {
		t.Fatalf("listed %d, want %d", len(order), len(seeded))
	}
	for i := 1; i < len(order); i++ {
		p, c := order[i-1], order[i]
		if c.CreatedAt.Before(p.CreatedAt) || (c.CreatedAt.Equal(p.CreatedAt) && c.ID < p.ID) {
			t.Errorf("not oldest first: %s (%v) after %s (%v)", c.ID, c.CreatedAt, p.ID, p.CreatedAt)
		}
	}
	if _, _, err := env.svc.List(env.ctx(), ListParams{Order: "sideways"}); err == nil {
		t.Error("order=sideways was accepted")
	}
}
