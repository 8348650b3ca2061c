package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCreateAnswersMuxAssetObject(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	r := env.request("POST", "/video/v1/assets",
		`{"input":"/videos/interview.mp4","passthrough":"job-7","meta":{"title":"Interview","external_id":"ext-1"},"max_resolution_tier":"2160p","video_quality":"premium"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %s", r)
	}
	a := asset(t, r)
	var createdAt string
	if err := json.Unmarshal(a.CreatedAt, &createdAt); err != nil {
		t.Fatalf("created_at must be a string of Unix seconds (as Mux), got %s", a.CreatedAt)
	}
	var unix int64
	if _, err := fmt.Sscan(createdAt, &unix); err != nil || time.Since(time.Unix(unix, 0)).Abs() > time.Minute {
		t.Errorf("created_at = %q, want the Unix seconds of now", createdAt)
	}
	want := assetJSON{Status: "preparing", MaxResolutionTier: "2160p", VideoQuality: "premium",
		MasterAccess: "none", Passthrough: "job-7", Input: "/videos/interview.mp4"}
	if a.ID == "" || a.Status != want.Status || a.MaxResolutionTier != want.MaxResolutionTier ||
		a.VideoQuality != want.VideoQuality || a.MasterAccess != want.MasterAccess ||
		a.Passthrough != want.Passthrough || a.Input != want.Input {
		t.Errorf("created asset = %s", r.body)
	}
	if a.Meta["title"] != "Interview" || a.Meta["external_id"] != "ext-1" {
		t.Errorf("meta = %v, want title and external_id kept", a.Meta)
	}
	if a.Master != nil {
		t.Errorf("master must be absent while master_access is none (as Mux): %s", r.body)
	}

	got := env.request("GET", "/video/v1/assets/"+a.ID, "")
	if got.status != http.StatusOK {
		t.Fatalf("GET: %s", got)
	}
	if g := asset(t, got); g.ID != a.ID || g.Passthrough != "job-7" || string(g.CreatedAt) != string(a.CreatedAt) {
		t.Errorf("GET returned %s, want the created asset", got.body)
	}
}

func TestCreateDefaults(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":"/videos/a.mp4"}`)
	if a.MaxResolutionTier != "1080p" || a.VideoQuality != "plus" || a.MasterAccess != "none" {
		t.Errorf("defaults: tier %q quality %q access %q, want 1080p plus none", a.MaxResolutionTier, a.VideoQuality, a.MasterAccess)
	}
	// A master asked for at creation is accepted before the asset is ready.
	b := env.create(`{"input":"/videos/b.mp4","master_access":"temporary"}`)
	if b.MasterAccess != "temporary" || b.Master == nil || b.Master.Status != "preparing" || b.Master.URL != "" {
		t.Errorf("master_access temporary at creation: got access %q master %+v, want temporary / preparing without url", b.MasterAccess, b.Master)
	}
}

func TestCreateAcceptsMuxInputForms(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	cases := []struct{ name, body, wantInput string }{
		{"input string", `{"input":"/videos/one.mp4"}`, "/videos/one.mp4"},
		{"input object", `{"input":{"url":"/videos/two.mp4"}}`, "/videos/two.mp4"},
		{"inputs array", `{"inputs":[{"url":"/videos/three.mp4"}]}`, "/videos/three.mp4"},
		{"file URL", `{"input":"file:///videos/with%20space.mp4"}`, "/videos/with space.mp4"},
		{"file URL in inputs", `{"inputs":[{"url":"file:///videos/five.mp4"}]}`, "/videos/five.mp4"},
		{"http URL", `{"input":"http://127.0.0.1:1/clip.mp4"}`, "http://127.0.0.1:1/clip.mp4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := env.create(c.body)
			if a.Input != c.wantInput {
				t.Errorf("input = %q, want %q", a.Input, c.wantInput)
			}
		})
	}
}

func TestGetPatchDelete(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":"/videos/a.mp4","passthrough":"before","meta":{"title":"Old"}}`)

	r := env.request("PATCH", "/video/v1/assets/"+a.ID, `{"passthrough":"after"}`)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH passthrough: %s", r)
	}
	if p := asset(t, r); p.Passthrough != "after" || p.Meta["title"] != "Old" {
		t.Errorf("PATCH passthrough only: passthrough %q meta %v, want after and the old meta untouched", p.Passthrough, p.Meta)
	}
	r = env.request("PATCH", "/video/v1/assets/"+a.ID, `{"meta":{"title":"New","creator_id":"ed"}}`)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH meta: %s", r)
	}
	if p := asset(t, r); p.Meta["title"] != "New" || p.Meta["creator_id"] != "ed" || p.Passthrough != "after" {
		t.Errorf("PATCH meta: %s", r.body)
	}
	// The change is stored, not only echoed.
	if g := asset(t, env.request("GET", "/video/v1/assets/"+a.ID, "")); g.Meta["title"] != "New" || g.Passthrough != "after" {
		t.Errorf("GET after PATCH: meta %v passthrough %q", g.Meta, g.Passthrough)
	}

	r = env.request("DELETE", "/video/v1/assets/"+a.ID, "")
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("DELETE: status %d body %q, want 204 with an empty body", r.status, r.body)
	}
	apiError(t, env.request("GET", "/video/v1/assets/"+a.ID, ""), http.StatusNotFound, "not_found")
	apiError(t, env.request("DELETE", "/video/v1/assets/"+a.ID, ""), http.StatusNotFound, "not_found")
}

func TestUnknownAssetIs404(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/video/v1/assets/nope", ""},
		{"PATCH", "/video/v1/assets/nope", `{"passthrough":"x"}`},
		{"DELETE", "/video/v1/assets/nope", ""},
		{"PUT", "/video/v1/assets/nope/master-access", `{"master_access":"temporary"}`},
	} {
		apiError(t, env.request(c.method, c.path, c.body), http.StatusNotFound, "not_found")
	}
}

func TestListPagination(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	var ids []string // oldest first
	for i := range 5 {
		ids = append(ids, env.create(fmt.Sprintf(`{"input":"/videos/%d.mp4"}`, i)).ID)
	}
	newestFirst := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}

	all := env.list("")
	if got := idsOf(all.Data); strings.Join(got, ",") != strings.Join(newestFirst, ",") {
		t.Fatalf("list = %v, want newest first %v", got, newestFirst)
	}
	if all.NextCursor != nil {
		t.Errorf("next_cursor = %q on the only page, want null", *all.NextCursor)
	}
	var createdAt string
	if err := json.Unmarshal(all.Data[0].CreatedAt, &createdAt); err != nil {
		t.Errorf("created_at in a list must be a string too: %s", all.Data[0].CreatedAt)
	}

	// limit + cursor walks every asset exactly once.
	var walked []string
	query := "?limit=2"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatalf("cursor walk does not end: %v", walked)
		}
		p := env.list(query)
		if len(p.Data) > 2 {
			t.Fatalf("limit=2 gave %d assets", len(p.Data))
		}
		walked = append(walked, idsOf(p.Data)...)
		if p.NextCursor == nil {
			break
		}
		query = "?limit=2&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	if strings.Join(walked, ",") != strings.Join(newestFirst, ",") {
		t.Errorf("cursor walk = %v, want %v", walked, newestFirst)
	}

	// page numbers (1-based) give the same order.
	if got := idsOf(env.list("?limit=2&page=2").Data); strings.Join(got, ",") != strings.Join(newestFirst[2:4], ",") {
		t.Errorf("page 2 = %v, want %v", got, newestFirst[2:4])
	}
	if got := idsOf(env.list("?limit=2&page=3").Data); strings.Join(got, ",") != newestFirst[4] {
		t.Errorf("page 3 = %v, want [%s]", got, newestFirst[4])
	}
	if got := env.list("?limit=2&page=9").Data; len(got) != 0 {
		t.Errorf("a page past the end = %v, want an empty array", idsOf(got))
	}
}

// Reelvault's library params: order_by, filters and a total beside Mux's envelope.
func TestListOrderByFiltersAndTotal(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	for _, name := range []string{"charlie", "Alpha", "bravo"} {
		env.create(fmt.Sprintf(`{"input":"/videos/%s.mp4","meta":{"title":%q}}`, name, name))
	}
	var walked []string
	query := "?limit=2&order_by=name&order=asc"
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatalf("cursor walk does not end: %v", walked)
		}
		p := env.list(query)
		if p.Total == nil || *p.Total != 3 {
			t.Fatalf("total = %v, want 3 on every page", p.Total)
		}
		for _, a := range p.Data {
			walked = append(walked, a.Meta["title"])
		}
		if p.NextCursor == nil {
			break
		}
		query = "?limit=2&order_by=name&order=asc&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	if got := strings.Join(walked, ","); got != "Alpha,bravo,charlie" {
		t.Errorf("by name = %s, want Alpha,bravo,charlie", got)
	}
	if l := env.list("?source=live"); len(l.Data) != 0 || l.Total == nil || *l.Total != 0 {
		t.Errorf("source=live: %d assets, total %v; want none", len(l.Data), l.Total)
	}
	if l := env.list("?q=bra"); l.Total == nil || *l.Total != 1 {
		t.Errorf("q=bra: total %v, want 1", l.Total)
	}
	for _, q := range []string{"?order_by=title", "?order_by=name&order=up", "?source=ftp", "?resolution=8k", "?codec=x%27"} {
		apiError(t, env.request("GET", "/video/v1/assets"+q, ""), http.StatusBadRequest, "invalid_parameters")
	}
}

func idsOf(assets []assetJSON) []string {
	out := make([]string, len(assets))
	for i, a := range assets {
		out[i] = a.ID
	}
	return out
}

// A path that does not exist is accepted (the file is read by the job) and
// ends as errored with a reason a person reads.
func TestMissingInputErrorsWithReason(t *testing.T) {
	env := newAPIEnv(t, apiOptions{runJobs: true})
	missing := filepath.Join(t.TempDir(), "gone.mp4")
	a := env.create(`{"input":` + jsonString(missing) + `}`)
	done := env.waitAsset(a.ID, 20*time.Second, "errored", func(a assetJSON) bool { return a.Status != "preparing" })
	if done.Status != "errored" || done.Errors == nil || len(done.Errors.Messages) == 0 ||
		!strings.Contains(done.Errors.Messages[0], "does not exist") {
		t.Fatalf("asset from a missing file: status %q errors %+v, want errored saying the file does not exist", done.Status, done.Errors)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("the missing input was created: %v", err)
	}
}
