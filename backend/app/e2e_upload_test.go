package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reelvault/backend/internal/testmedia"
	"reelvault/backend/internal/testtime"
)

// A direct upload survives SIGKILL: every chunk answered 308 before the kill
// is still there after a restart (a chunk's answer promises the app's death
// does not lose it), a chunk cut by the kill keeps what reached the file,
// nothing under uploads/ or masters/ looks finished, and the status query
// tells the uploader where to resume. The upload then completes over real
// HTTP, and the faststart clip becomes its master as the same file, whose
// SHA-256 (computed from the chunks as they arrived, across the restart) is
// the one recorded.
func TestServeUploadSurvivesSIGKILL(t *testing.T) {
	requireTools(t)
	src := testmedia.TempClip(t, "upload.mp4", append(testmedia.Join(testmedia.LavfiVideo("640x360", "25", "4"),
		testmedia.LavfiAudio("4"), testmedia.H264AAC()), "-b:v", "4M", "-movflags", "+faststart")...)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	total := len(data)
	const chunk = 256 << 10
	if total < 6*chunk {
		t.Fatalf("the clip is %d bytes, too small for the chunks this test sends", total)
	}
	dataDir := t.TempDir()
	env := childEnv(t, "REELVAULT_TOKEN_ID=e2e", "REELVAULT_TOKEN_SECRET=e2e-secret")
	first := startServe(t, dataDir, env)
	api := apiClient{t: t, base: first.apiURL, id: "e2e", secret: "e2e-secret"}
	status, body := api.do("POST", "/video/v1/uploads", `{"new_asset_settings":{"master_access":"temporary"}}`)
	var created struct {
		Data struct{ ID, URL string } `json:"data"`
	}
	if status != http.StatusCreated || json.Unmarshal(body, &created) != nil {
		t.Fatalf("create upload: %d %s", status, body)
	}
	uploadURL := created.Data.URL

	acked := 0
	for ; acked < 3*chunk; acked += chunk {
		if code, _ := putChunk(t, uploadURL, data, acked, acked+chunk, total); code != http.StatusPermanentRedirect {
			t.Fatalf("chunk at %d: %d, want 308", acked, code)
		}
	}
	// The next chunk is cut by the kill: half of it is sent, and the kill
	// comes once the server has written that half.
	part := filepath.Join(dataDir, "uploads", created.Data.ID+".part")
	conn := startChunk(t, uploadURL, data[acked:acked+chunk], acked, total)
	defer conn.Close()
	if !testtime.Poll(10*time.Second, func() bool {
		st, err := os.Stat(part)
		return err == nil && st.Size() >= int64(acked+chunk/2)
	}) {
		t.Fatal("the half chunk never reached the part file")
	}
	first.kill()

	uploads, _ := os.ReadDir(filepath.Join(dataDir, "uploads"))
	for _, e := range uploads {
		if e.Name() != created.Data.ID+".part" {
			t.Errorf("after the kill uploads/ holds %s", e.Name())
		}
	}
	if masters, _ := filepath.Glob(filepath.Join(dataDir, "masters", "*")); len(masters) > 0 {
		t.Errorf("after the kill mid-upload masters/ holds %v", masters)
	}

	second := startServe(t, dataDir, env)
	api.base = second.apiURL
	if !strings.HasPrefix(uploadURL, first.apiURL) {
		t.Fatalf("upload URL %s is not on the API address %s", uploadURL, first.apiURL)
	}
	uploadURL = second.apiURL + strings.TrimPrefix(uploadURL, first.apiURL) // the new process listens elsewhere
	code, rng := putChunk(t, uploadURL, nil, 0, 0, total)                   // status query
	var last int
	if code != http.StatusPermanentRedirect || func() bool { _, err := fmt.Sscanf(rng, "bytes=0-%d", &last); return err != nil }() {
		t.Fatalf("status query after the restart: %d, Range %q", code, rng)
	}
	kept := last + 1
	if kept < acked+chunk/2 || kept > acked+chunk {
		t.Fatalf("after the restart %d bytes are kept; %d were acknowledged and %d more written", kept, acked, chunk/2)
	}
	for off := kept; off < total; off += chunk {
		end := min(off+chunk, total)
		want := map[bool]int{true: http.StatusOK, false: http.StatusPermanentRedirect}[end == total]
		if code, _ := putChunk(t, uploadURL, data, off, end, total); code != want {
			t.Fatalf("chunk at %d after the restart: %d, want %d", off, code, want)
		}
	}

	status, body = api.do("GET", "/video/v1/uploads/"+created.Data.ID, "")
	var done struct {
		Data struct {
			Status  string `json:"status"`
			AssetID string `json:"asset_id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &done) != nil || done.Data.Status != "asset_created" {
		t.Fatalf("upload after its last chunk: %d %s", status, body)
	}
	var a e2eAsset
	if !testtime.Poll(2*time.Minute, func() bool { a = api.get(done.Data.AssetID); return a.Status != "preparing" }) || a.Status != "ready" {
		t.Fatalf("asset %+v, want ready", a)
	}
	sum := sha256.Sum256(data)
	master := filepath.Join(dataDir, "masters", a.ID+".mp4")
	if got := testmedia.FileSHA256(t, master); got != a.MasterSHA256 || got != hex.EncodeToString(sum[:]) {
		t.Errorf("master file SHA-256 %s, recorded %s, the clip's %x", got, a.MasterSHA256, sum)
	}
	decodeAll(t, master)
}

// putChunk PUTs data[start:end] as bytes start-(end-1)/total (a status query,
// bytes */total, when data is nil) and returns the status and Range header.
func putChunk(t *testing.T, uploadURL string, data []byte, start, end, total int) (int, string) {
	t.Helper()
	var body io.Reader
	cr := fmt.Sprintf("bytes */%d", total)
	if data != nil {
		body, cr = bytes.NewReader(data[start:end]), fmt.Sprintf("bytes %d-%d/%d", start, end-1, total)
	}
	req, err := http.NewRequest("PUT", uploadURL, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Range", cr)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("PUT %s: %v", cr, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Range")
}

// startChunk opens a raw connection and sends a chunk's headers and the first
// half of its body, as a client whose transfer is under way.
func startChunk(t *testing.T, uploadURL string, body []byte, start, total int) net.Conn {
	t.Helper()
	u, err := url.Parse(uploadURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nContent-Range: bytes %d-%d/%d\r\n\r\n",
		u.RequestURI(), u.Host, len(body), start, start+len(body)-1, total)
	if _, err := conn.Write(body[:len(body)/2]); err != nil {
		t.Fatal(err)
	}
	return conn
}
