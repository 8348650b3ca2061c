package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// Share links through the real binary: a real master, a link made through
// the API, its landing page and file on the share listener (beside Mux's
// master links, which keep working), and revoking it.
func TestServeShareLinks(t *testing.T) {
	requireTools(t)
	clip := filepath.Join(t.TempDir(), "Pier interview.mp4")
	testmedia.Make(t, clip, testmedia.Join(testmedia.LavfiVideo("320x240", "25", "1"), testmedia.LavfiAudio("1"),
		[]string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"})...)
	serve := startServe(t, t.TempDir(), childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret"))
	api := apiClient{t: t, base: serve.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`","master_access":"temporary"}`)
	id := api.asset(status, body).ID
	testtime.Until(t, time.Minute, "the asset's master link", func() bool {
		a := api.get(id)
		return a.Master != nil && a.Master.Status == "ready"
	})
	asset := api.get(id)

	status, body = api.do("POST", "/reelvault/v1/share-links", `{"asset_ids":["`+id+`"],"label":"for the mixer"}`)
	if status != http.StatusCreated {
		t.Fatalf("create share link: %d %s", status, body)
	}
	var link struct {
		Data struct {
			ID    string
			URL   string
			Files []struct{ URL, Name, SHA256 string }
		}
	}
	if err := json.Unmarshal(body, &link); err != nil || len(link.Data.Files) != 1 {
		t.Fatalf("share link: %s", body)
	}
	if !strings.HasPrefix(link.Data.URL, serve.shareURL+"/s/") || link.Data.Files[0].SHA256 != asset.MasterSHA256 ||
		link.Data.Files[0].Name != "Pier interview.mp4" {
		t.Fatalf("share link %+v, asset %+v", link.Data, asset)
	}
	get := func(u string) (int, []byte) {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	if code, page := get(link.Data.URL); code != 200 || !strings.Contains(string(page), "Pier interview") ||
		!strings.Contains(string(page), "320×240") {
		t.Fatalf("landing page: %d\n%s", code, page)
	}
	code, file := get(link.Data.Files[0].URL)
	if code != 200 || sha(file) != asset.MasterSHA256 {
		t.Fatalf("file: %d, %d bytes", code, len(file))
	}
	// Mux's master link is its own thing and still serves.
	if code, m := get(asset.Master.URL); code != 200 || sha(m) != asset.MasterSHA256 {
		t.Fatalf("master link: %d", code)
	}
	if status, body := api.do("DELETE", "/reelvault/v1/share-links/"+link.Data.ID, ""); status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", status, body)
	}
	if code, page := get(link.Data.URL); code != http.StatusGone || strings.Contains(string(page), "Pier") {
		t.Fatalf("revoked landing page: %d", code)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
