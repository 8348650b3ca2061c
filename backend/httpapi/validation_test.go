package httpapi_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"reelvault/backend/httpapi"
)

// Every bad request answers 400 invalid_parameters with a message naming
// what is wrong, and creates nothing.
func TestBadCreateRequestsAre400NamingTheField(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	existing := env.create(`{"input":"/videos/kept.mp4"}`)

	cases := []struct {
		name, body, wantInMessage string
	}{
		{"bad max_resolution_tier", `{"input":"/v/a.mp4","max_resolution_tier":"4320p"}`, "max_resolution_tier"},
		{"bad master_access", `{"input":"/v/a.mp4","master_access":"public"}`, "master_access"},
		{"bad video_quality", `{"input":"/v/a.mp4","video_quality":"ultra"}`, "video_quality"},
		{"relative path", `{"input":"videos/a.mp4"}`, "input"},
		{"ftp URL", `{"input":"ftp://example.com/a.mp4"}`, "ftp"},
		{"file URL of another host", `{"input":"file://nas/share/a.mp4"}`, "input"},
		{"missing input", `{"passthrough":"x"}`, "input"},
		{"empty input", `{"input":""}`, "input"},
		{"empty inputs", `{"inputs":[]}`, "input"},
		{"input of wrong type", `{"input":5}`, "input must be"},
		{"inputs url of wrong type", `{"inputs":[{"url":5}]}`, "inputs.url"},
		{"input list url of wrong type", `{"input":[{"url":5}]}`, "input must be"},
		{"audio input", `{"inputs":[{"url":"/v/a.mp4"},{"url":"/v/a.wav","type":"audio"}]}`, "inputs[1].type"},
		{"subtitle input in an input list", `{"input":[{"url":"/v/a.mp4"},{"url":"/v/a.vtt","type":"text"}]}`, "input[1].type"},
		{"clipping", `{"inputs":[{"url":"/v/a.mp4","start_time":2}]}`, "inputs[0].start_time"},
		{"overlay", `{"inputs":[{"url":"/v/a.mp4","overlay_settings":{"width":"10%"}}]}`, "overlay_settings"},
		{"mp4_support bogus", `{"input":"/v/a.mp4","mp4_support":"bogus"}`, "mp4_support"},
		{"mp4_support with static_renditions", `{"input":"/v/a.mp4","mp4_support":"standard","static_renditions":[{"resolution":"highest"}]}`, "mp4_support"},
		{"static_renditions resolution", `{"input":"/v/a.mp4","static_renditions":[{"resolution":"4k"}]}`, "static_renditions[0].resolution"},
		{"static_renditions passthrough", `{"input":"/v/a.mp4","static_renditions":[{"resolution":"720p","passthrough":"` + strings.Repeat("p", 256) + `"}]}`, "static_renditions[0].passthrough"},
		{"static_renditions not a list", `{"input":"/v/a.mp4","static_renditions":"720p"}`, "static_renditions"},
		{"normalize_audio", `{"input":"/v/a.mp4","normalize_audio":true}`, "normalize_audio"},
		{"drm policy", `{"input":"/v/a.mp4","playback_policy":["drm"]}`, "playback_policies"},
		{"unknown policy", `{"input":"/v/a.mp4","playback_policies":["private"]}`, "playback_policies"},
		{"meta of wrong type", `{"input":"/v/a.mp4","meta":5}`, "meta"},
		{"meta.title of wrong type", `{"input":"/v/a.mp4","meta":{"title":7}}`, "meta.title"},
		{"passthrough of wrong type", `{"input":"/v/a.mp4","passthrough":{"a":1}}`, "passthrough"},
		{"passthrough too long", `{"input":"/v/a.mp4","passthrough":"` + strings.Repeat("p", 256) + `"}`, "passthrough"},
		{"malformed JSON", `{"input":"/v/a.mp4",`, "JSON"},
		{"not an object", `["/v/a.mp4"]`, "object"},
		{"two objects", `{"input":"/v/a.mp4"}{"input":"/v/b.mp4"}`, "single"},
		{"empty body", ``, "empty"},
		{"2 MB body", `{"input":"/v/a.mp4","passthrough":"` + strings.Repeat("x", 2<<20) + `"}`, "larger"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.request("POST", "/video/v1/assets", c.body)
			e := apiError(t, r, http.StatusBadRequest, "invalid_parameters")
			if !strings.Contains(e.Error.Messages[0], c.wantInMessage) {
				t.Errorf("message %q does not name %q", e.Error.Messages[0], c.wantInMessage)
			}
		})
	}
	if got := idsOf(env.list("").Data); len(got) != 1 || got[0] != existing.ID {
		t.Errorf("after rejected requests the list is %v, want only %s", got, existing.ID)
	}
}

func TestWrongContentTypeIs400(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	req := env.newRequest("POST", "/video/v1/assets", `{"input":"/v/a.mp4"}`, true)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e := apiError(t, env.send(req), http.StatusBadRequest, "invalid_parameters")
	if !strings.Contains(e.Error.Messages[0], "JSON") {
		t.Errorf("message %q should say the body must be JSON", e.Error.Messages[0])
	}
	if n := len(env.list("").Data); n != 0 {
		t.Errorf("a form post created %d assets", n)
	}
}

func TestBadListParametersAre400(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	for _, c := range []struct{ query, field string }{
		{"?limit=1000", "limit"},
		{"?limit=0x10", "limit"},
		{"?limit=abc", "limit"},
		{"?limit=-1", "limit"},
		{"?page=abc", "page"},
		{"?page=-2", "page"},
		{"?cursor=not-a-cursor", "cursor"},
		{"?cursor=bm9wZQ", "cursor"}, // base64 of "nope": decodes, but is not ours
		{"?status=ready-ish", "status"},
	} {
		t.Run(c.query, func(t *testing.T) {
			e := apiError(t, env.request("GET", "/video/v1/assets"+c.query, ""), http.StatusBadRequest, "invalid_parameters")
			if !strings.Contains(e.Error.Messages[0], c.field) {
				t.Errorf("message %q does not name %q", e.Error.Messages[0], c.field)
			}
		})
	}
}

func TestBadPatchAndMasterAccessBodiesAre400(t *testing.T) {
	env := newAPIEnv(t, apiOptions{})
	a := env.create(`{"input":"/videos/a.mp4","passthrough":"kept","meta":{"title":"Kept"}}`)
	for _, c := range []struct{ name, method, path, body, field string }{
		{"PATCH meta of wrong type", "PATCH", "", `{"meta":5}`, "meta"},
		{"PATCH passthrough of wrong type", "PATCH", "", `{"passthrough":false}`, "passthrough"},
		{"PATCH malformed", "PATCH", "", `{"meta":`, "JSON"},
		{"PATCH title too long", "PATCH", "", `{"meta":{"title":"` + strings.Repeat("t", 513) + `"}}`, "meta.title"},
		{"PUT master_access missing", "PUT", "/master-access", `{}`, "master_access"},
		{"PUT master_access bad", "PUT", "/master-access", `{"master_access":"public"}`, "master_access"},
		{"PUT master_access wrong type", "PUT", "/master-access", `{"master_access":true}`, "master_access"},
		{"PUT malformed", "PUT", "/master-access", `master_access=temporary`, "JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := env.request(c.method, "/video/v1/assets/"+a.ID+c.path, c.body)
			e := apiError(t, r, http.StatusBadRequest, "invalid_parameters")
			if !strings.Contains(e.Error.Messages[0], c.field) {
				t.Errorf("message %q does not name %q", e.Error.Messages[0], c.field)
			}
		})
	}
	g := asset(t, env.request("GET", "/video/v1/assets/"+a.ID, ""))
	if g.Passthrough != "kept" || g.Meta["title"] != "Kept" || g.MasterAccess != "none" {
		t.Errorf("rejected changes altered the asset: %+v", g)
	}
}

// A JSON body sent a byte at a time (or not at all after its first byte)
// is cut off at the deadline with a 400, instead of holding the connection.
func TestSlowJSONBodyIsCutOff(t *testing.T) {
	defer httpapi.SetJSONBodyTimeout(300 * time.Millisecond)()
	e := newAPIEnv(t, apiOptions{})
	conn, err := net.Dial("tcp", e.server.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	auth := base64.StdEncoding.EncodeToString([]byte(testTokenID + ":" + testTokenSecret))
	fmt.Fprintf(conn, "POST /video/v1/assets HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
		e.server.Listener.Addr(), auth)
	conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a backstop: the server must answer long before
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "did not arrive within") {
		t.Errorf("a stalled body: %d %s, want 400 saying it did not arrive in time", resp.StatusCode, body)
	}
	if n := len(e.list("").Data); n != 0 {
		t.Errorf("%d assets after a refused request", n)
	}
}
