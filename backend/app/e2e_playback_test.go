package app

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// Mux's delivery URLs through the real binary: an asset made with a public
// and a signed playback ID serves its master and thumbnails on the share
// listener; the signed one needs a token from a signing key made through the
// API; deleting the asset stops both at once.
func TestServePlaybackIDs(t *testing.T) {
	requireTools(t)
	clip := filepath.Join(t.TempDir(), "Harbour.mp4")
	testmedia.Make(t, clip, testmedia.Join(testmedia.LavfiVideo("320x240", "25", "2"), testmedia.LavfiAudio("2"), testmedia.H264AAC())...)
	dataDir := t.TempDir()
	serve := startServe(t, dataDir, childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret"))
	api := apiClient{t: t, base: serve.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/assets", `{"input":"`+clip+`","playback_policies":["public","signed"]}`)
	id := api.asset(status, body).ID
	var asset struct {
		Status       string                        `json:"status"`
		MasterSHA256 string                        `json:"master_sha256"`
		PlaybackURL  string                        `json:"playback_url"`
		PlaybackIDs  []struct{ ID, Policy string } `json:"playback_ids"`
	}
	testtime.Until(t, time.Minute, "the asset ready", func() bool {
		_, body := api.do("GET", "/video/v1/assets/"+id, "")
		var env struct{ Data json.RawMessage }
		json.Unmarshal(body, &env)
		json.Unmarshal(env.Data, &asset)
		return asset.Status == "ready" && asset.MasterSHA256 != ""
	})
	if len(asset.PlaybackIDs) != 2 || asset.PlaybackIDs[0].Policy != "public" || asset.PlaybackIDs[1].Policy != "signed" {
		t.Fatalf("playback_ids = %+v", asset.PlaybackIDs)
	}
	public, signed := asset.PlaybackIDs[0].ID, asset.PlaybackIDs[1].ID
	if want := serve.shareURL + "/" + public + "/highest.mp4"; asset.PlaybackURL != want {
		t.Errorf("playback_url = %q, want %q", asset.PlaybackURL, want)
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
	if code, file := get(asset.PlaybackURL); code != http.StatusOK || sha(file) != asset.MasterSHA256 {
		t.Fatalf("public highest.mp4: %d, %d bytes", code, len(file))
	}
	code, jpg := get(serve.shareURL + "/" + public + "/thumbnail.jpg?width=80")
	picture := filepath.Join(t.TempDir(), "thumb.jpg")
	os.WriteFile(picture, jpg, 0o644)
	if w, h := ffprobe(t, picture).video(); code != http.StatusOK || w != 80 || h != 60 {
		t.Fatalf("public thumbnail: %d, %dx%d", code, w, h)
	}
	signedURL := serve.shareURL + "/" + signed + "/highest.mp4"
	if code, _ := get(signedURL); code != http.StatusForbidden {
		t.Fatalf("signed without a token: %d", code)
	}

	status, body = api.do("POST", "/system/v1/signing-keys", "")
	var key struct {
		Data struct {
			ID         string `json:"id"`
			PrivateKey string `json:"private_key"`
		}
	}
	if err := json.Unmarshal(body, &key); status != http.StatusCreated || err != nil {
		t.Fatalf("signing key: %d %s", status, body)
	}
	pemBytes, _ := base64.StdEncoding.DecodeString(key.Data.PrivateKey)
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatalf("private_key is not a base64 PEM")
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"sub": signed, "aud": "v", "exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = key.Data.ID
	token, err := tok.SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	if code, file := get(signedURL + "?token=" + token); code != http.StatusOK || sha(file) != asset.MasterSHA256 {
		t.Fatalf("signed with a token: %d, %d bytes", code, len(file))
	}

	if kept, _ := filepath.Glob(filepath.Join(dataDir, "cache", "thumbnails", "*")); len(kept) != 1 {
		t.Errorf("%d thumbnails kept before the deletion, want the one made", len(kept))
	}
	if status, body := api.do("DELETE", "/video/v1/assets/"+id, ""); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, body)
	}
	for _, u := range []string{asset.PlaybackURL, signedURL + "?token=" + token} {
		if code, b := get(u); code != http.StatusNotFound || strings.Contains(string(b), id) {
			t.Errorf("after deleting the asset, %s: %d %q", u, code, b)
		}
	}
	// Its thumbnails are not kept either.
	testtime.Until(t, 10*time.Second, "the deleted asset's thumbnails removed", func() bool {
		left, _ := filepath.Glob(filepath.Join(dataDir, "cache", "thumbnails", "*"))
		return len(left) == 0
	})
}
