package app

import (
	"encoding/json"
	"testing"
	"time"

	"reelvault/backend/httpapi"
)

// FuzzSettingsPatch feeds arbitrary JSON to the settings page's parser and
// checks: nothing panics, and a lifetime that passes is one a link can have.
func FuzzSettingsPatch(f *testing.F) {
	for _, s := range []string{`{"link_ttl_seconds": 600}`, `{"link_ttl_seconds": 18446744134}`, `{"link_ttl_seconds": -60}`,
		`{"link_ttl_seconds": 1e30}`, `{"share_host": "127.0.0.1"}`, `{"share_host": "0.0.0.0"}`, `{"share_host": "192.0.2.1"}`,
		`{"share_host": "[::1]"}`, `{"ffmpeg_path": ""}`, `{"ffmpeg_path": "relative/dir"}`, `{"ffmpeg_path": "/\u0000"}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var p httpapi.SettingsPatch
		if json.Unmarshal(raw, &p) != nil {
			return
		}
		if checkSettingsPatch(p) != nil {
			return
		}
		if p.LinkTTLSeconds != nil {
			d := time.Duration(*p.LinkTTLSeconds) * time.Second
			if d < time.Minute || d > maxLinkTTL {
				t.Fatalf("%s accepted as a link lifetime of %v", raw, d)
			}
		}
	})
}
