package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// An uploaded file is kept as its asset's input: the panel shows it under the
// name it had on the sender's computer, with its size, and downloads it byte
// for byte; a bad file_name is refused; an asset added by path has none.
func TestKeptUploadedOriginalKeepsItsName(t *testing.T) {
	e := newAPIEnv(t, apiOptions{ingest: true})
	data, err := os.ReadFile(makeClip(t, "320x240", "1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`"../etc/passwd"`, `"a/b.mov"`, `"` + strings.Repeat("x", 300) + `"`} {
		if r := e.request("POST", "/video/v1/uploads", `{"file_name": `+bad+`}`); r.status != http.StatusBadRequest {
			t.Errorf("file_name %s: %s, want 400", bad[:min(len(bad), 20)], r)
		}
	}
	u := e.newUpload(`{"file_name": "Interview take 2 (Kamera B).MOV", "new_asset_settings": {"meta": {"title": "Interview take 2"}}}`)
	if r := e.put(u.URL, data, ""); r.status != http.StatusOK {
		t.Fatalf("PUT the file: %s", r)
	}
	assetID := e.getUpload(u.ID).AssetID
	if assetID == "" {
		t.Fatal("the upload made no asset")
	}
	r := e.request("GET", "/ui/v1/assets/"+assetID+"/original", "")
	var info struct {
		Data struct {
			Name        string `json:"name"`
			Size        int64  `json:"size"`
			DownloadURL string `json:"download_url"`
		}
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &info) != nil {
		t.Fatalf("GET original: %s", r)
	}
	if info.Data.Name != "Interview take 2 (Kamera B).MOV" || info.Data.Size != int64(len(data)) {
		t.Errorf("original = %+v, want the name as sent and %d bytes", info.Data, len(data))
	}
	file := e.request("GET", info.Data.DownloadURL, "")
	if file.status != http.StatusOK || !bytes.Equal(file.body, data) {
		t.Fatalf("download: status %d, %d bytes (want %d, the same bytes)", file.status, len(file.body), len(data))
	}
	if cd := file.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "Kamera B") {
		t.Errorf("Content-Disposition %q, want an attachment under the original name", cd)
	}

	byPath := e.create(`{"input": ` + jsonString(makeClip(t, "320x240", "1")) + `}`)
	apiError(t, e.request("GET", "/ui/v1/assets/"+byPath.ID+"/original", ""), http.StatusNotFound, "not_found")
}
