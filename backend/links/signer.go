package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

var (
	// ErrTampered means the request is not a link this machine signed
	// (malformed, edited, or signed with another secret).
	ErrTampered = errors.New("links: link is malformed or its signature does not match")
	// ErrExpired means the link was genuine but its expiry has passed.
	ErrExpired = errors.New("links: link has expired")
	// ErrRevoked is what a Resolver answers when a genuine, unexpired link
	// no longer grants access: generation bumped, access set to none, or the
	// asset deleted or unknown. Unknown and revoked must look the same.
	ErrRevoked = errors.New("links: link has been revoked")
)

const (
	// MinSecretLen is the shortest HMAC secret NewSigner accepts.
	MinSecretLen = 16
	// linkPrefix is the path segment, under the public base, of every link.
	linkPrefix = "/v/"
	// linkFileSegment is the last path segment, so "curl -O" and browsers
	// that ignore Content-Disposition still save an .mp4.
	linkFileSegment = "master.mp4"
	// maxAssetIDLen bounds the work done on a hostile path.
	maxAssetIDLen = 256
	// signatureDomain separates these MACs from any other use of the secret.
	signatureDomain = "reelvault/download-link/v1"
	// fileSignatureDomain signs links to an asset's other files (its static
	// renditions), whose name is part of what is signed.
	fileSignatureDomain = "reelvault/download-file/v1"
	// maxFileNameLen bounds a rendition file segment ("capped-1080p.mp4").
	maxFileNameLen = 32
)

// Claims is what a verified link says.
type Claims struct {
	AssetID    string
	Generation int64
	Expires    time.Time
	// DownloadName is the sanitised ?download= name (ending in the file's
	// extension), or "" when the link does not choose one.
	DownloadName string
	// File is the file the link names: "master.mp4", or a static
	// rendition's name ("720p.mp4", "audio.m4a").
	File string
}

// IsMaster reports whether the link is to the master.
func (c Claims) IsMaster() bool { return c.File == linkFileSegment }

// Ext is the extension of the file the link names (".mp4", ".m4a").
func (c Claims) Ext() string {
	if strings.HasSuffix(c.File, ".m4a") {
		return ".m4a"
	}
	return mp4Ext
}

// Signer makes and checks links for one public base URL and one secret.
type Signer struct {
	secret []byte
	base   *url.URL
}

// NewSigner returns a Signer whose links start with publicBase, an absolute
// http(s) URL such as "http://192.168.1.20:8911" (a path prefix is allowed).
func NewSigner(secret []byte, publicBase string) (*Signer, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("links: secret is %d bytes, need at least %d", len(secret), MinSecretLen)
	}
	base, err := url.Parse(publicBase)
	if err != nil {
		return nil, fmt.Errorf("links: public base %q: %w", publicBase, err)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("links: public base %q must start with http:// or https://", publicBase)
	}
	if base.Host == "" || base.User != nil || base.RawQuery != "" || base.Fragment != "" || base.Opaque != "" {
		return nil, fmt.Errorf("links: public base %q must be scheme://host[:port][/path] only", publicBase)
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawPath = ""
	return &Signer{secret: append([]byte(nil), secret...), base: base}, nil
}

// Base is the public base links are built on, without a trailing slash.
func (s *Signer) Base() string { return s.base.String() }

// URL returns the signed link for assetID, valid for this generation until
// expires (rounded down to the second).
func (s *Signer) URL(assetID string, generation int64, expires time.Time) string {
	return s.FileURL(assetID, generation, expires, linkFileSegment)
}

// FileURL is URL for another file of the asset (a static rendition's name,
// "720p.mp4"): valid while the master's link of this generation is.
func (s *Signer) FileURL(assetID string, generation int64, expires time.Time, file string) string {
	exp := expires.Unix()
	sig := hex.EncodeToString(s.macFor(assetID, generation, exp, file))
	return s.base.String() + linkPrefix + url.PathEscape(assetID) + "/" +
		strconv.FormatInt(generation, 10) + "/" + strconv.FormatInt(exp, 10) + "/" +
		sig + "/" + file
}

// macFor signs the master's links as they always were, and other files'
// with their name.
func (s *Signer) macFor(assetID string, generation, expiry int64, file string) []byte {
	if file == linkFileSegment {
		return s.mac(assetID, generation, expiry)
	}
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(fileSignatureDomain))
	m.Write([]byte{0})
	m.Write(binary.BigEndian.AppendUint32(nil, uint32(len(assetID))))
	m.Write([]byte(assetID))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(generation)))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(expiry)))
	m.Write([]byte(file))
	return m.Sum(nil)
}

// IsLinkPath reports whether path is under this signer's link prefix, so
// the handler can answer 404 (not 403) to anything else.
func (s *Signer) IsLinkPath(escapedPath string) bool {
	return strings.HasPrefix(escapedPath, s.base.EscapedPath()+linkPrefix)
}

// Verify checks the link in r's path and query. It returns ErrTampered for
// anything this signer did not produce, and ErrExpired (with the claims) for
// a genuine link whose expiry is not after now.
func (s *Signer) Verify(r *http.Request, now time.Time) (Claims, error) {
	if r == nil || r.URL == nil {
		return Claims{}, ErrTampered
	}
	claims, sig, ok := s.parse(r.URL.EscapedPath())
	if !ok {
		return Claims{}, ErrTampered
	}
	want := s.macFor(claims.AssetID, claims.Generation, claims.Expires.Unix(), claims.File)
	if !hmac.Equal(sig, want) {
		return Claims{}, ErrTampered
	}
	if name := r.URL.Query().Get("download"); strings.TrimSpace(name) != "" {
		claims.DownloadName = SafeFileNameExt(name, claims.Ext())
	}
	if !now.Before(claims.Expires) {
		return claims, ErrExpired
	}
	return claims, nil
}

// parse splits an escaped request path into its claims and raw signature.
// Numbers must be in canonical form so each link has exactly one spelling.
func (s *Signer) parse(escapedPath string) (Claims, []byte, bool) {
	rest, ok := strings.CutPrefix(escapedPath, s.base.EscapedPath()+linkPrefix)
	if !ok {
		return Claims{}, nil, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 5 || !validFileSegment(parts[4]) {
		return Claims{}, nil, false
	}
	assetID, err := url.PathUnescape(parts[0])
	if err != nil || assetID == "" || len(assetID) > maxAssetIDLen {
		return Claims{}, nil, false
	}
	gen, ok := parseCanonicalInt(parts[1])
	if !ok {
		return Claims{}, nil, false
	}
	exp, ok := parseCanonicalInt(parts[2])
	if !ok {
		return Claims{}, nil, false
	}
	if len(parts[3]) != 2*sha256.Size || strings.ToLower(parts[3]) != parts[3] {
		return Claims{}, nil, false
	}
	sig, err := hex.DecodeString(parts[3])
	if err != nil {
		return Claims{}, nil, false
	}
	return Claims{AssetID: assetID, Generation: gen, Expires: time.Unix(exp, 0), File: parts[4]}, sig, true
}

// validFileSegment accepts master.mp4 and rendition names: lowercase
// letters, digits and dashes, then .mp4 or .m4a.
func validFileSegment(f string) bool {
	stem, ok := strings.CutSuffix(f, ".mp4")
	if !ok {
		stem, ok = strings.CutSuffix(f, ".m4a")
	}
	if !ok || stem == "" || len(f) > maxFileNameLen {
		return false
	}
	for _, c := range stem {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func parseCanonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// mac signs a length-prefixed encoding so no two claim sets share a message.
func (s *Signer) mac(assetID string, generation, expiry int64) []byte {
	msg := make([]byte, 0, len(signatureDomain)+1+4+len(assetID)+16)
	msg = append(msg, signatureDomain...)
	msg = append(msg, 0)
	msg = binary.BigEndian.AppendUint32(msg, uint32(len(assetID)))
	msg = append(msg, assetID...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(generation))
	msg = binary.BigEndian.AppendUint64(msg, uint64(expiry))
	m := hmac.New(sha256.New, s.secret)
	m.Write(msg)
	return m.Sum(nil)
}
