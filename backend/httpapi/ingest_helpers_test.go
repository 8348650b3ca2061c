package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// uploadJSON is Mux's upload object as a client reads it.
type uploadJSON struct {
	ID               string          `json:"id"`
	URL              string          `json:"url"`
	Status           string          `json:"status"`
	Timeout          int64           `json:"timeout"`
	NewAssetSettings json.RawMessage `json:"new_asset_settings"`
	CORSOrigin       string          `json:"cors_origin"`
	AssetID          string          `json:"asset_id"`
	Error            *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	ReceivedBytes int64 `json:"received_bytes"`
}

// newUpload creates an upload and returns it.
func (e *apiEnv) newUpload(body string) uploadJSON {
	e.t.Helper()
	r := e.request("POST", "/video/v1/uploads", body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST /video/v1/uploads %s: %s", body, r)
	}
	return e.decodeUpload(r)
}

func (e *apiEnv) getUpload(id string) uploadJSON {
	e.t.Helper()
	r := e.request("GET", "/video/v1/uploads/"+id, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET upload %s: %s", id, r)
	}
	return e.decodeUpload(r)
}

func (e *apiEnv) decodeUpload(r reply) uploadJSON {
	e.t.Helper()
	var env struct{ Data uploadJSON }
	if err := json.Unmarshal(r.body, &env); err != nil {
		e.t.Fatalf("upload JSON %s: %v", r.body, err)
	}
	return env.Data
}

// put sends bytes to an upload URL the way an uploader does: no
// credentials, optional Content-Range and headers.
func (e *apiEnv) put(url string, body []byte, contentRange string, headers ...string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest("PUT", url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentRange != "" {
		req.Header.Set("Content-Range", contentRange)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

// eventTypesOf lists the types of an object's events, oldest first.
func (e *apiEnv) eventTypesOf(id string) []string {
	e.t.Helper()
	all, err := e.db.EventsAfter(context.Background(), 0, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range all {
		if ev.ObjectID == id {
			out = append(out, ev.Type)
		}
	}
	return out
}

func hasAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

func errorMessage(r reply) string {
	var b struct {
		Error struct {
			Type     string   `json:"type"`
			Messages []string `json:"messages"`
		} `json:"error"`
	}
	json.Unmarshal(r.body, &b)
	return b.Error.Type + ": " + strings.Join(b.Error.Messages, "; ")
}
