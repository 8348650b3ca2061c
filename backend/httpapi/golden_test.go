package httpapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
)

// -update rewrites the golden files from what the API answers now. Only for
// a change of the wire format that is meant; review the diff.
var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from the current answers")

// golden holds what the API answered, normalised, for comparison with
// testdata/golden/<name>.json.
type golden struct {
	t     *testing.T
	subst []string // pairs: literal, placeholder (paths, hosts)
	ids   map[string]string
}

func newGolden(t *testing.T) *golden { return &golden{t: t, ids: map[string]string{}} }

// literal replaces every occurrence of s by placeholder (temp folders, ports).
func (g *golden) literal(s, placeholder string) { g.subst = append(g.subst, s, placeholder) }

var (
	// Ids: UUIDs with or without dashes, 32-hex tokens and stream keys.
	goldenUUID = regexp.MustCompile(`[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}`)
	// Unix seconds as a string or a number, RFC 3339 times.
	goldenUnix = regexp.MustCompile(`("(?:created_at|master_expires_at|recording_started_at|last_scan_at|at)":)("?)\d{9,}("?)`)
	goldenTime = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)
	// The parts of a signed link and a secret that are random.
	goldenQuery    = regexp.MustCompile(`([?&](?:exp|sig|token|expires|signature)=)[A-Za-z0-9_\-%.]+`)
	goldenSecret   = regexp.MustCompile(`("signing_secret":")[^"]+`)
	goldenStreamKy = regexp.MustCompile(`("stream_key":")[^"]+`)
	goldenDuration = regexp.MustCompile(`("duration_ms":)\d+`)
	goldenDate     = regexp.MustCompile(`("date":")[^"]+`)
	goldenCursor   = regexp.MustCompile(`("next_cursor":")[^"]+`)
	goldenLinkExp  = regexp.MustCompile(`(/v/[^/"]+/\d+/)\d+/[^/"]+/`)
	goldenSHA      = regexp.MustCompile(`("master_sha256":")[0-9a-f]{64}`)
)

// normalise replaces what differs from run to run (ids, times, signatures,
// temp paths, ports) and nothing else. The same id gets the same
// placeholder everywhere in one test, so links between objects stay checked.
func (g *golden) normalise(b []byte) []byte {
	s := string(b)
	for i := 0; i < len(g.subst); i += 2 {
		s = strings.ReplaceAll(s, g.subst[i], g.subst[i+1])
	}
	s = goldenSecret.ReplaceAllString(s, `${1}<secret>`)
	s = goldenStreamKy.ReplaceAllString(s, `${1}<stream-key>`)
	s = goldenQuery.ReplaceAllString(s, `${1}<random>`)
	s = goldenLinkExp.ReplaceAllString(s, `${1}<expiry>/<signature>/`)
	s = goldenSHA.ReplaceAllString(s, `${1}<sha256>`)
	s = goldenCursor.ReplaceAllString(s, `${1}<cursor>`)
	s = goldenUUID.ReplaceAllStringFunc(s, func(id string) string {
		p, ok := g.ids[id]
		if !ok {
			p = fmt.Sprintf("<id%d>", len(g.ids)+1)
			g.ids[id] = p
		}
		return p
	})
	s = goldenUnix.ReplaceAllString(s, `${1}${2}<unix>${3}`)
	s = goldenTime.ReplaceAllString(s, `"<time>"`)
	s = goldenDuration.ReplaceAllString(s, `${1}<ms>`)
	s = goldenDate.ReplaceAllString(s, `${1}<date>`)
	return []byte(s)
}

// check compares an answer's status and exact body bytes with the golden file.
func (g *golden) check(name string, r reply, status int) {
	g.t.Helper()
	if r.status != status {
		g.t.Errorf("%s: status %d, want %d: %s", name, r.status, status, r.body)
		return
	}
	g.compare(name, r.body)
}

func (g *golden) compare(name string, body []byte) {
	g.t.Helper()
	got := g.normalise(body)
	path := filepath.Join("testdata", "golden", name+".json")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			g.t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			g.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		g.t.Fatalf("%s: %v (run with -update to create it)", name, err)
	}
	if !bytes.Equal(got, want) {
		g.t.Errorf("%s: the answer differs from %s\n got: %s\nwant: %s", name, path, got, want)
	}
}

// TestGoldenWireFormat pins the exact JSON bytes of every object the API
// answers with, and of an asset event's data as stored in the outbox, so a
// change of how they are rendered cannot change what clients and webhook
// receivers see. Real archive, ffmpeg, SQLite and HTTP.
func TestGoldenWireFormat(t *testing.T) {
	clip := makeClip(t, "320x240", "1")
	env := newAPIEnv(t, apiOptions{runJobs: true, ingest: true, live: true, webhooks: true})
	g := newGolden(t)
	g.literal(filepath.Dir(clip), "<clipdir>")
	g.literal(env.dataDir, "<datadir>")
	g.literal(env.server.Listener.Addr().String(), "<api-host>")
	if env.api.Live != nil {
		g.literal(env.api.Live.RTMPURL(), "<rtmp-url>")
	}

	// An asset with master access, through preparing to ready with its link.
	r := env.request("POST", "/video/v1/assets", `{"input":`+jsonString("file://"+clip)+`,"master_access":"temporary",`+
		`"max_resolution_tier":"1440p","video_quality":"plus","passthrough":"pass <&> \"x\"","meta":{"title":"Golden","creator_id":"c1","external_id":"e1"}}`)
	g.check("asset_preparing", r, http.StatusCreated)
	id := asset(t, r).ID
	// The thumbnail is its own job after ready, so wait for its URL too.
	r = env.poll("/video/v1/assets/"+id, 60*time.Second, "ready with its master link and thumbnail", func(r reply) bool {
		a := asset(t, r)
		return a.Status == "errored" || (a.Master != nil && a.Master.Status == "ready" && bytes.Contains(r.body, []byte(`"thumbnail_url"`)))
	})
	g.check("asset_ready", r, http.StatusOK)

	// The outbox's data of every event of that asset (created_at an integer).
	g.compare("asset_events", eventData(env, id))

	// An errored asset: the input is no video.
	junk := filepath.Join(filepath.Dir(clip), "junk.mp4")
	if err := os.WriteFile(junk, []byte("this is not a video"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := env.create(`{"input":` + jsonString("file://"+junk) + `}`)
	env.waitAsset(bad.ID, 30*time.Second, "errored", func(a assetJSON) bool { return a.Status != "preparing" })
	g.check("asset_errored", env.request("GET", "/video/v1/assets/"+bad.ID, ""), http.StatusOK)

	// The list envelope with a next cursor, and the last page without one.
	g.check("asset_list_page1", env.request("GET", "/video/v1/assets?limit=1", ""), http.StatusOK)
	var page1 struct {
		NextCursor string `json:"next_cursor"`
	}
	json.Unmarshal(env.request("GET", "/video/v1/assets?limit=1", "").body, &page1)
	g.check("asset_list_page2", env.request("GET", "/video/v1/assets?limit=1&cursor="+page1.NextCursor, ""), http.StatusOK)

	// A direct upload, and the list of uploads.
	r = env.request("POST", "/video/v1/uploads", `{"new_asset_settings":{"master_access":"temporary","encoding_tier":"baseline","meta":{"title":"Up"}},"cors_origin":"https://example.com","timeout":600}`)
	g.check("upload", r, http.StatusCreated)
	g.check("upload_list", env.request("GET", "/video/v1/uploads", ""), http.StatusOK)
	g.compare("upload_events", eventData(env, dataID(t, r)))

	// A live stream, and the list of live streams.
	r = env.request("POST", "/video/v1/live-streams", `{"new_asset_settings":{"master_access":"temporary","max_resolution_tier":"2160p","encoding_tier":"smart","passthrough":"lp","meta":{"title":"Live"},"playback_policies":["public"]},"passthrough":"stream","reconnect_window":30,"latency_mode":"low","max_continuous_duration":600}`)
	g.check("live_stream", r, http.StatusCreated)
	g.check("live_stream_list", env.request("GET", "/video/v1/live-streams", ""), http.StatusOK)
	g.compare("live_stream_events", eventData(env, dataID(t, r)))

	// A watch folder, and the list of watch folders.
	folder := t.TempDir()
	g.literal(folder, "<folder>")
	r = env.request("POST", "/ui/v1/watch-folders", `{"path":`+jsonString(folder)+`,"master_access":"temporary","video_quality":"premium","max_resolution_tier":"2160p"}`)
	g.check("watch_folder", r, http.StatusCreated)
	g.check("watch_folder_list", env.request("GET", "/ui/v1/watch-folders", ""), http.StatusOK)

	// Error bodies.
	g.check("error_400_field", env.request("POST", "/video/v1/assets", `{"input":"/a.mp4","max_resolution_tier":"720p"}`), http.StatusBadRequest)
	g.check("error_400_json", env.request("POST", "/video/v1/assets", `{"input":5}`), http.StatusBadRequest)
	g.check("error_400_limit", env.request("GET", "/video/v1/assets?limit=101", ""), http.StatusBadRequest)
	g.check("error_400_live_settings", env.request("POST", "/video/v1/live-streams", `{"new_asset_settings":{"video_quality":"best"}}`), http.StatusBadRequest)
	g.check("error_400_upload_settings", env.request("POST", "/video/v1/uploads", `{"new_asset_settings":{"max_resolution_tier":"4k"}}`), http.StatusBadRequest)
	g.check("error_404_asset", env.request("GET", "/video/v1/assets/nope", ""), http.StatusNotFound)
	g.check("error_404_upload", env.request("GET", "/video/v1/uploads/nope", ""), http.StatusNotFound)
	g.check("error_404_live", env.request("GET", "/video/v1/live-streams/nope", ""), http.StatusNotFound)
	g.check("error_404_route", env.request("GET", "/video/v1/nothing", ""), http.StatusNotFound)
	g.check("error_401", env.anonymous("GET", "/video/v1/assets", ""), http.StatusUnauthorized)
	g.check("error_405", env.request("DELETE", "/video/v1/assets", ""), http.StatusMethodNotAllowed)

	preparing := newAPIEnv(t, apiOptions{}) // no job runner: the asset stays preparing
	a := preparing.create(`{"input":"/videos/a.mp4"}`)
	g.check("error_412", preparing.request("PUT", "/video/v1/assets/"+a.ID+"/master-access", `{"master_access":"temporary"}`), http.StatusPreconditionFailed)
}

// TestGoldenWebhookWireFormat pins a webhook endpoint (the create answer with
// its secret, the list without) and a delivery with its attempt.
func TestGoldenWebhookWireFormat(t *testing.T) {
	env := newAPIEnv(t, apiOptions{webhooks: true})
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Receiver", "golden")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "thanks")
	}))
	defer receiver.Close()
	g := newGolden(t)
	g.literal(receiver.Listener.Addr().String(), "<receiver-host>")

	r := env.request("POST", "/system/v1/webhooks", `{"address":"`+receiver.URL+`/hook"}`)
	g.check("webhook_create", r, http.StatusCreated)
	id := dataID(t, r)
	g.check("webhook_list", env.request("GET", "/system/v1/webhooks", ""), http.StatusOK)
	g.check("webhook_get", env.request("GET", "/system/v1/webhooks/"+id, ""), http.StatusOK)
	g.check("error_404_webhook", env.request("GET", "/system/v1/webhooks/nope", ""), http.StatusNotFound)
	g.check("error_400_webhook", env.request("POST", "/system/v1/webhooks", `{"address":"ftp://x"}`), http.StatusBadRequest)

	// The 202 answer races with the delivery loop (pending or already
	// delivered), so the delivery is pinned once delivered, in the list.
	if r := env.request("POST", "/ui/v1/webhooks/"+id+"/test", ""); r.status != http.StatusAccepted {
		t.Fatalf("test event: %s", r)
	}
	r = env.poll("/ui/v1/webhooks/"+id+"/deliveries", 10*time.Second, "delivered", func(r reply) bool {
		return bytes.Contains(r.body, []byte(`"state":"delivered"`))
	})
	g.check("delivery_list", r, http.StatusOK)
	g.compare("webhook_test_events", eventData(env, id))
}

// eventData lists the outbox events of one object, oldest first, one line
// each: the type and the data exactly as stored.
func eventData(env *apiEnv, objectID string) []byte {
	env.t.Helper()
	r := env.request("GET", "/ui/v1/events?object_id="+objectID, "")
	if r.status != http.StatusOK {
		env.t.Fatalf("events: %s", r)
	}
	var evs struct {
		Data []struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		} `json:"data"`
	}
	decodeStrict(env.t, r, &evs)
	if len(evs.Data) == 0 {
		env.t.Fatalf("no events of %s", objectID)
	}
	var out bytes.Buffer
	for i := len(evs.Data) - 1; i >= 0; i-- {
		fmt.Fprintf(&out, "%s %s\n", evs.Data[i].Type, evs.Data[i].Data)
	}
	return out.Bytes()
}

// poll GETs path until done says so, or fails after timeout.
func (e *apiEnv) poll(path string, timeout time.Duration, what string, done func(reply) bool) reply {
	e.t.Helper()
	var r reply
	if !testtime.Poll(timeout, func() bool {
		r = e.request("GET", path, "")
		return r.status == http.StatusOK && done(r)
	}) {
		e.t.Fatalf("GET %s: not %s after %s; last answer %s", path, what, timeout, r)
	}
	return r
}

// dataID is the id of the object in a {"data": {...}} answer.
func dataID(t *testing.T, r reply) string {
	t.Helper()
	var v struct {
		Data struct{ ID string } `json:"data"`
	}
	decodeStrict(t, r, &v)
	return v.Data.ID
}
