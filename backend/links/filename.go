package links

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	defaultFileName = "master.mp4"
	mp4Ext          = ".mp4"
	// maxStemBytes keeps "stem.mp4" well under the 255-byte name limit of
	// common file systems, with room for a browser's " (1)" suffix.
	maxStemBytes    = 200
	zeroWidthJoiner = '\u200d'
)

// otherMediaExts are replaced by .mp4 rather than kept before it, because
// titles are often the original file name ("IMG_0042.MOV") and the master
// is an MP4 whatever the source was.
var otherMediaExts = []string{
	".m4a", ".mov", ".mkv", ".avi", ".m4v", ".webm", ".mts", ".m2ts", ".ts",
	".flv", ".wmv", ".mpg", ".mpeg", ".3gp", ".mxf", ".ogv",
}

// windowsReserved are device names Windows refuses as a file name, with or
// without an extension.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"COM¹": true, "COM²": true, "COM³": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"LPT¹": true, "LPT²": true, "LPT³": true,
}

// SafeFileName turns a title into a file name that is valid on Windows,
// macOS and Linux and ends in .mp4: no path separators, no characters
// Windows forbids, no control or bidi-override characters, no leading dots
// or dashes, no reserved device names. "" gives "master.mp4".
func SafeFileName(title string) string {
	return SafeFileNameExt(title, mp4Ext)
}

// SafeFileNameExt is SafeFileName with another extension (".m4a", ".mov"):
// a media extension the title ends with is replaced by ext.
func SafeFileNameExt(title, ext string) string {
	name := cleanRunes(strings.ToValidUTF8(title, "_"))
	stem := stripMP4Ext(name)
	stem = strings.TrimLeft(stem, " .-")
	stem = strings.TrimRight(stem, " .")
	stem = truncateUTF8(stem, maxStemBytes)
	stem = strings.TrimRight(stem, " .")
	if stem == "" {
		stem = strings.TrimSuffix(defaultFileName, mp4Ext)
	}
	if isWindowsReserved(stem) {
		stem = "_" + stem
	}
	return stem + ext
}

// cleanRunes replaces forbidden characters and collapses whitespace runs
// into one space.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	lastSpace := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !lastSpace {
				b.WriteByte(' ')
			}
			lastSpace = true
			continue
		case r == '/' || r == '\\' || r == ':' || r == '|':
			b.WriteByte('-')
		case r == '"':
			b.WriteByte('\'')
		case r == '<' || r == '>' || r == '?' || r == '*':
			b.WriteByte('_')
		case r == zeroWidthJoiner:
			b.WriteRune(r) // part of emoji sequences, harmless
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			// Control and format characters (bidi overrides can make
			// "evil\u202Eexe.mp4" read as "evilmp4.exe"): drop.
			continue
		default:
			b.WriteRune(r)
		}
		lastSpace = false
	}
	return strings.TrimSpace(b.String())
}

func stripMP4Ext(name string) string {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, mp4Ext) {
		return name[:len(name)-len(mp4Ext)]
	}
	for _, ext := range otherMediaExts {
		if strings.HasSuffix(lower, ext) && len(name) > len(ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

func truncateUTF8(s string, maxBytes int) string {
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func isWindowsReserved(stem string) bool {
	base, _, _ := strings.Cut(stem, ".")
	return windowsReserved[strings.ToUpper(strings.TrimRight(base, " "))]
}

// contentDisposition builds an RFC 6266 attachment header with an ASCII
// fallback for old clients and the exact UTF-8 name in filename* (RFC 5987).
func contentDisposition(fileName string) string {
	var ascii strings.Builder
	for _, r := range fileName {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
			continue
		}
		ascii.WriteRune(r)
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + encodeRFC5987(fileName)
}

// encodeRFC5987 percent-encodes every byte that is not an RFC 5987 attr-char.
func encodeRFC5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
