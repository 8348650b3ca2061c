package ingest

import (
	"bytes"
	"io"
	"os"
	"strings"
)

// sniffExtension names an uploaded file by its first bytes. An upload
// carries no file name; the extension only helps a person browsing the data
// folder (ffmpeg reads the content, not the name). Unknown content is .bin.
func sniffExtension(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ".bin"
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return extensionOf(head[:n])
}

func extensionOf(h []byte) string {
	has := func(off int, sig string) bool {
		return len(h) >= off+len(sig) && string(h[off:off+len(sig)]) == sig
	}
	switch {
	case has(4, "ftyp"):
		switch {
		case has(8, "qt  "):
			return ".mov"
		case has(8, "M4A "):
			return ".m4a"
		}
		return ".mp4"
	case has(0, "\x1a\x45\xdf\xa3"):
		if bytes.Contains(h, []byte("webm")) {
			return ".webm"
		}
		return ".mkv"
	case has(0, "RIFF") && has(8, "AVI "):
		return ".avi"
	case has(0, "RIFF") && has(8, "WAVE"):
		return ".wav"
	case len(h) > 188 && h[0] == 0x47 && h[188] == 0x47:
		return ".ts"
	case has(0, "\x00\x00\x01\xba"):
		return ".mpg"
	case has(0, "\x06\x0e\x2b\x34"):
		return ".mxf"
	case has(0, "\x30\x26\xb2\x75"):
		return ".wmv"
	case has(0, "FLV"):
		return ".flv"
	case has(0, "OggS"):
		return ".ogg"
	case has(0, "fLaC"):
		return ".flac"
	case has(0, "ID3"):
		return ".mp3"
	}
	return ".bin"
}

// mediaTypes are the Content-Types of the extensions sniffExtension gives.
var mediaTypes = map[string]string{
	".mp4": "video/mp4", ".mov": "video/quicktime", ".m4a": "audio/mp4", ".webm": "video/webm",
	".mkv": "video/x-matroska", ".avi": "video/x-msvideo", ".wav": "audio/wav", ".ts": "video/mp2t",
	".mpg": "video/mpeg", ".mxf": "application/mxf", ".wmv": "video/x-ms-wmv", ".flv": "video/x-flv",
	".ogg": "video/ogg", ".flac": "audio/flac", ".mp3": "audio/mpeg",
}

// MediaType is the Content-Type of an uploaded file named by sniffExtension:
// a fixed table, not the OS's, which can map an extension to text or HTML.
// Anything else is application/octet-stream.
func MediaType(ext string) string {
	if t, ok := mediaTypes[strings.ToLower(ext)]; ok {
		return t
	}
	return "application/octet-stream"
}
