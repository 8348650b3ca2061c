package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
	"reelvault/backend/store"
	"reelvault/backend/webhooks"
	"reelvault/backend/wire"
)

// webhookAPI is the webhook routes over a real service, SQLite file and
// delivery loop, on a real TCP port.
type webhookAPI struct{ *apiEnv }

func newWebhookAPI(t *testing.T) webhookAPI {
	t.Helper()
	return webhookAPI{newAPIEnv(t, apiOptions{webhooks: true})}
}

func (a webhookAPI) do(method, path, body string) reply {
	a.t.Helper()
	return a.request(method, path, body)
}

// data decodes {"data": v} after checking the status.
func (a webhookAPI) data(r reply, status int, v any) {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var env struct{ Data json.RawMessage }
	if err := json.Unmarshal(r.body, &env); err != nil || env.Data == nil {
		a.t.Fatalf("no data in %s (%v)", r.body, err)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		a.t.Fatalf("data %s: %v", env.Data, err)
	}
}

func (a webhookAPI) fails(r reply, status int, typ, mentions string) {
	a.t.Helper()
	var e errorJSON
	json.Unmarshal(r.body, &e)
	if r.status != status || e.Error.Type != typ || len(e.Error.Messages) == 0 || !strings.Contains(e.Error.Messages[0], mentions) {
		a.t.Errorf("got %d %s, want %d %s mentioning %q", r.status, r.body, status, typ, mentions)
	}
}

func TestSystemWebhooksAPI(t *testing.T) {
	a := newWebhookAPI(t)
	var first map[string]any
	a.data(a.do("POST", "/system/v1/webhooks", `{"address":"https://hooks.example.com/one"}`), http.StatusCreated, &first)
	iso := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)
	if first["id"] == "" || first["address"] != "https://hooks.example.com/one" || first["enabled"] != true ||
		!iso.MatchString(first["created_at"].(string)) || len(first["signing_secret"].(string)) < 32 {
		t.Fatalf("created webhook = %v", first)
	}
	id := first["id"].(string)
	a.clock.Advance(time.Millisecond) // the second is newer
	var second map[string]any
	a.data(a.do("POST", "/system/v1/webhooks", `{"address":"http://127.0.0.1:9999/two"}`), http.StatusCreated, &second)

	var list []map[string]any
	a.data(a.do("GET", "/system/v1/webhooks", ""), http.StatusOK, &list)
	if len(list) != 2 || list[0]["id"] != second["id"] || list[1]["id"] != id {
		t.Fatalf("list = %v, want newest first", list)
	}
	for _, w := range list {
		if _, shown := w["signing_secret"]; shown {
			t.Errorf("list shows a signing secret: %v", w)
		}
	}
	var got map[string]any
	a.data(a.do("GET", "/system/v1/webhooks/"+id, ""), http.StatusOK, &got)
	if _, shown := got["signing_secret"]; shown || got["address"] != first["address"] {
		t.Errorf("get = %v, want the webhook without its secret", got)
	}

	a.data(a.do("PATCH", "/system/v1/webhooks/"+id, `{"enabled":false}`), http.StatusOK, &got)
	if got["enabled"] != false || got["address"] != first["address"] {
		t.Errorf("after disabling: %v", got)
	}
	a.data(a.do("PATCH", "/system/v1/webhooks/"+id, `{"address":"https://hooks.example.com/moved"}`), http.StatusOK, &got)
	if got["address"] != "https://hooks.example.com/moved" || got["enabled"] != false {
		t.Errorf("after moving: %v", got)
	}
	a.fails(a.do("PATCH", "/system/v1/webhooks/"+id, `{}`), 400, "invalid_parameters", "address")
	a.fails(a.do("PATCH", "/system/v1/webhooks/"+id, `{"enabled":"yes"}`), 400, "invalid_parameters", "enabled")
	a.fails(a.do("PATCH", "/system/v1/webhooks/"+id, `{"address":"ftp://x/y"}`), 400, "invalid_parameters", "address")

	for name, body := range map[string]string{
		"relative":  `{"address":"/hooks"}`,
		"ftp":       `{"address":"ftp://hooks.example.com/x"}`,
		"empty":     `{"address":""}`,
		"missing":   `{}`,
		"duplicate": `{"address":"http://127.0.0.1:9999/two"}`,
	} {
		t.Run(name, func(t *testing.T) {
			a.fails(a.do("POST", "/system/v1/webhooks", body), 400, "invalid_parameters", "address")
		})
	}
	a.fails(a.do("POST", "/system/v1/webhooks", `{"address":`), 400, "invalid_parameters", "JSON")

	r := a.do("DELETE", "/system/v1/webhooks/"+id, "")
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Errorf("delete = %d %q, want 204 with no body", r.status, r.body)
	}
	a.fails(a.do("GET", "/system/v1/webhooks/"+id, ""), 404, "not_found", "webhook")
	a.fails(a.do("DELETE", "/system/v1/webhooks/"+id, ""), 404, "not_found", "webhook")
	a.fails(a.do("PATCH", "/system/v1/webhooks/nope", `{"enabled":true}`), 404, "not_found", "webhook")
}

func TestWebhookDeliveryLogTestEventAndResend(t *testing.T) {
	a := newWebhookAPI(t)
	var mu sync.Mutex
	var got []string // event types, in arrival order
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env struct{ Type, ID string }
		json.NewDecoder(r.Body).Decode(&env)
		mu.Lock()
		got = append(got, env.Type)
		mu.Unlock()
	}))
	defer receiver.Close()
	received := func(n int) {
		t.Helper()
		count := func() int {
			mu.Lock()
			defer mu.Unlock()
			return len(got)
		}
		if !testtime.Poll(5*time.Second, func() bool { return count() >= n }) {
			t.Fatalf("receiver got %d POSTs, want %d", count(), n)
		}
	}

	var ep map[string]any
	a.data(a.do("POST", "/system/v1/webhooks", `{"address":"`+receiver.URL+`/hook"}`), http.StatusCreated, &ep)
	id := ep["id"].(string)

	var test wire.Delivery
	a.data(a.do("POST", "/ui/v1/webhooks/"+id+"/test", ""), http.StatusAccepted, &test)
	if test.EventType != webhooks.TestEventType || test.WebhookID != id {
		t.Fatalf("test delivery = %+v", test)
	}
	received(1)

	// An asset event, as the archive writes it.
	err := a.db.Tx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.AppendEvent(context.Background(), time.Now(), "video.asset.ready", "asset", "asset1", map[string]any{"id": "asset1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	received(2)

	var ds []wire.Delivery
	if !testtime.Poll(5*time.Second, func() bool {
		a.data(a.do("GET", "/ui/v1/webhooks/"+id+"/deliveries", ""), http.StatusOK, &ds)
		return len(ds) == 2 && ds[0].State == "delivered" && ds[1].State == "delivered"
	}) {
		t.Fatalf("deliveries = %+v, want 2 delivered", ds)
	}
	if ds[0].EventType != "video.asset.ready" || len(ds[0].Attempts) != 1 || *ds[0].Attempts[0].StatusCode != 200 {
		t.Errorf("newest delivery = %+v, want the asset event with its 200 attempt", ds[0])
	}

	var evs []wire.Event
	a.data(a.do("GET", "/ui/v1/events?object_id=asset1", ""), http.StatusOK, &evs)
	if len(evs) != 1 || evs[0].Type != "video.asset.ready" || len(evs[0].Deliveries) != 1 {
		t.Fatalf("events of asset1 = %+v", evs)
	}

	var resent wire.Delivery
	a.data(a.do("POST", "/ui/v1/deliveries/"+ds[0].ID+"/resend", ""), http.StatusAccepted, &resent)
	received(3)
	var again []wire.Delivery
	a.data(a.do("POST", "/ui/v1/events/"+evs[0].ID+"/resend", ""), http.StatusAccepted, &again)
	if len(again) != 1 {
		t.Errorf("event resend = %+v, want its one delivery", again)
	}
	received(4)
	mu.Lock()
	if strings.Join(got, " ") != "webhook.test video.asset.ready video.asset.ready video.asset.ready" {
		t.Errorf("receiver got %v", got)
	}
	mu.Unlock()

	var rotated map[string]any
	a.data(a.do("POST", "/ui/v1/webhooks/"+id+"/rotate-secret", ""), http.StatusOK, &rotated)
	if rotated["signing_secret"] == ep["signing_secret"] || rotated["signing_secret"] == nil {
		t.Errorf("rotated secret = %v", rotated["signing_secret"])
	}

	a.do("PATCH", "/system/v1/webhooks/"+id, `{"enabled":false}`)
	a.fails(a.do("POST", "/ui/v1/webhooks/"+id+"/test", ""), 412, "failed_request", "disabled")
	a.fails(a.do("POST", "/ui/v1/webhooks/nope/test", ""), 404, "not_found", "webhook")
	a.fails(a.do("POST", "/ui/v1/deliveries/nope/resend", ""), 404, "not_found", "delivery")
	a.fails(a.do("POST", "/ui/v1/events/nope/resend", ""), 404, "not_found", "event")
	a.fails(a.do("GET", "/ui/v1/webhooks/nope/deliveries", ""), 404, "not_found", "webhook")
	a.fails(a.do("GET", "/ui/v1/events?limit=x", ""), 400, "invalid_parameters", "limit")
}

// Mux's SDKs list by asking for pages until one comes back empty; a list
// that ignored limit and page never ended (issue 13).
func TestSystemWebhooksListPages(t *testing.T) {
	a := newWebhookAPI(t)
	var made []string
	for _, addr := range []string{"http://127.0.0.1:9001/a", "http://127.0.0.1:9002/b", "http://127.0.0.1:9003/c"} {
		var ep map[string]any
		a.data(a.do("POST", "/system/v1/webhooks", `{"address":"`+addr+`"}`), http.StatusCreated, &ep)
		made = append([]string{ep["id"].(string)}, made...) // newest first
		a.clock.Advance(time.Millisecond)
	}
	var seen []string
	for page := 1; page <= 10; page++ {
		var list []map[string]any
		a.data(a.do("GET", "/system/v1/webhooks?limit=2&page="+string(rune('0'+page)), ""), http.StatusOK, &list)
		if len(list) == 0 {
			break
		}
		if len(list) > 2 {
			t.Fatalf("page %d has %d webhooks, limit 2", page, len(list))
		}
		for _, w := range list {
			seen = append(seen, w["id"].(string))
		}
	}
	if strings.Join(seen, ",") != strings.Join(made, ",") {
		t.Errorf("paged through %v, want %v", seen, made)
	}
	a.fails(a.do("GET", "/system/v1/webhooks?limit=0x", ""), http.StatusBadRequest, "invalid_parameters", "limit")
	a.fails(a.do("GET", "/system/v1/webhooks?limit=101", ""), http.StatusBadRequest, "invalid_parameters", "limit")
}

// `mux login` checks its credentials with whoami; it needs the token.
func TestWhoami(t *testing.T) {
	a := newWebhookAPI(t)
	var who map[string]any
	a.data(a.do("GET", "/system/v1/whoami", ""), http.StatusOK, &who)
	for _, k := range []string{"access_token_name", "environment_id", "environment_name", "environment_type", "organization_id", "organization_name"} {
		if s, _ := who[k].(string); s == "" {
			t.Errorf("whoami %s = %v, want a string", k, who[k])
		}
	}
	if perms, _ := who["permissions"].([]any); len(perms) == 0 {
		t.Errorf("whoami permissions = %v", who["permissions"])
	}
	if r := a.anonymous("GET", "/system/v1/whoami", ""); r.status != http.StatusUnauthorized {
		t.Errorf("whoami without the token: %d %s", r.status, r.body)
	}
}
