package links

import (
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeFileName(t *testing.T) {
	cases := []struct{ title, want string }{
		{"", "master.mp4"},
		{"   ", "master.mp4"},
		{"My clip", "My clip.mp4"},
		{"My clip.mp4", "My clip.mp4"},
		{"SHOUT.MP4", "SHOUT.mp4"},
		{"IMG_0042.MOV", "IMG_0042.mp4"},
		{"cut.final.v2", "cut.final.v2.mp4"},
		{`He said "action"`, "He said 'action'.mp4"},
		{"../../etc/passwd", "etc-passwd.mp4"},
		{`..\..\Windows\system32`, "Windows-system32.mp4"},
		{"Interview: part 1 | B-roll", "Interview- part 1 - B-roll.mp4"},
		{"what? <now> *star*", "what_ _now_ _star_.mp4"},
		{"tabs\tand\nnew\r\nlines", "tabs and new lines.mp4"},
		{"evil\u202Egnp.exe", "evilgnp.exe.mp4"},
		{"nul\x00byte", "nulbyte.mp4"},
		{"bad utf8 \xff\xfe here", "bad utf8 _ here.mp4"},
		{".hidden", "hidden.mp4"},
		{"-rf", "rf.mp4"},
		{"trailing dots...", "trailing dots.mp4"},
		{"CON", "_CON.mp4"},
		{"lpt1.txt", "_lpt1.txt.mp4"},
		{"Console", "Console.mp4"},
		{"Café — été 🎬", "Café — été 🎬.mp4"},
		{"東京の夜", "東京の夜.mp4"},
		{"👨‍👩‍👧 family", "👨‍👩‍👧 family.mp4"},
		{".mp4", "master.mp4"},
		{"...", "master.mp4"},
	}
	for _, c := range cases {
		if got := SafeFileName(c.title); got != c.want {
			t.Errorf("SafeFileName(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestSafeFileNameBoundsLength(t *testing.T) {
	got := SafeFileName(strings.Repeat("é", 500)) // 1000 bytes
	if len(got) > 255 {
		t.Fatalf("name is %d bytes, over the 255-byte limit", len(got))
	}
	if !utf8.ValidString(got) || !strings.HasSuffix(got, ".mp4") {
		t.Fatalf("truncated name %q is not valid UTF-8 ending in .mp4", got)
	}
}

func TestContentDispositionRoundTrips(t *testing.T) {
	for _, name := range []string{"plain.mp4", "Café — été 🎬.mp4", "100% done; ok=1.mp4", "a'b.mp4"} {
		header := contentDisposition(name)
		disp, params, err := mime.ParseMediaType(header)
		if err != nil {
			t.Fatalf("%q: header %q does not parse: %v", name, header, err)
		}
		if disp != "attachment" || params["filename"] != name {
			t.Errorf("%q: parsed back as %s filename=%q (header %q)", name, disp, params["filename"], header)
		}
		fallback := header[strings.Index(header, `filename="`)+len(`filename="`):]
		fallback = fallback[:strings.IndexByte(fallback, '"')]
		for _, r := range fallback {
			if r >= 0x7f || r < 0x20 || r == '\\' {
				t.Errorf("%q: ASCII fallback %q contains %q", name, fallback, r)
			}
		}
	}
}
