package ingest

import (
	"strings"
	"testing"
)

// Every extension an upload can be given has a media type of its own, fixed
// here rather than read from the OS's table (Debian's calls .ts Qt Linguist
// text; a Windows registry entry can say anything): a shared original is
// never served as text or HTML, even with ?inline.
func TestEveryUploadExtensionHasAMediaType(t *testing.T) {
	heads := map[string]string{
		".mp4": "\x00\x00\x00\x18ftypisom", ".mov": "\x00\x00\x00\x14ftypqt  ", ".m4a": "\x00\x00\x00\x18ftypM4A ",
		".mkv": "\x1a\x45\xdf\xa3matroska", ".webm": "\x1a\x45\xdf\xa3webm", ".avi": "RIFF\x00\x00\x00\x00AVI ",
		".wav": "RIFF\x00\x00\x00\x00WAVE", ".ts": "\x47" + strings.Repeat("\x00", 187) + "\x47",
		".mpg": "\x00\x00\x01\xba", ".mxf": "\x06\x0e\x2b\x34", ".wmv": "\x30\x26\xb2\x75", ".flv": "FLV",
		".ogg": "OggS", ".flac": "fLaC", ".mp3": "ID3", ".bin": "hello",
	}
	for want, head := range heads {
		if got := extensionOf([]byte(head)); got != want {
			t.Fatalf("%q sniffs as %s, want %s", head, got, want)
		}
		typ := MediaType(want)
		if !strings.HasPrefix(typ, "video/") && !strings.HasPrefix(typ, "audio/") && typ != "application/mxf" && typ != "application/octet-stream" {
			t.Errorf("%s: media type %q", want, typ)
		}
	}
	for ext, want := range map[string]string{".ts": "video/mp2t", ".mov": "video/quicktime", ".bin": "application/octet-stream", ".html": "application/octet-stream"} {
		if got := MediaType(ext); got != want {
			t.Errorf("MediaType(%s) = %q, want %q", ext, got, want)
		}
	}
}
