package sharing

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// The problem pages. Each says what happened and what to do, and nothing
// about what the link was for.
const (
	pageTampered    = "tampered"
	pageExpired     = "expired"
	pageRevoked     = "revoked"
	pageExhausted   = "exhausted"
	pageUnavailable = "unavailable"
)

var problems = map[string]struct{ Title, Text string }{
	pageTampered:    {"This link is not valid", "Check that the whole link was copied, or ask the sender for it again."},
	pageExpired:     {"This link has expired", "Ask the sender for a new link."},
	pageRevoked:     {"This link was turned off", "The sender no longer shares it. Ask them for a new link."},
	pageExhausted:   {"This link has been used up", "It allowed a set number of downloads, and they have been made. Ask the sender for a new link."},
	pageUnavailable: {"This can't be shown right now", "Try again in a moment."},
}

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"size":     humanSize,
	"kind":     KindLabel,
	"duration": humanDuration,
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"utc":      func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") },
}).Parse(pageSource))

// pageData is what the template shows: one of a landing page, a password
// form or a problem.
type pageData struct {
	Title    string
	Nonce    string
	Problem  string // a problem page's text
	Password bool
	Message  string // the password form's message
	View     *View
	Sender   string
	Multi    bool
}

func problemPage(kind string) pageData {
	p := problems[kind]
	return pageData{Title: p.Title, Problem: p.Text}
}

func passwordPage(msg string) pageData {
	return pageData{Title: "This link is protected", Password: true, Message: msg}
}

func landingPage(v View, sender string) pageData {
	title := "Shared videos"
	if len(v.Assets) == 1 {
		title = v.Assets[0].Title
	}
	return pageData{Title: title, View: &v, Sender: sender, Multi: len(v.Assets) > 1}
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request, code int, p pageData) {
	p.Nonce = nonce()
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		h.log().Error("share page failed", "err", err)
		http.Error(w, "This page cannot be shown.", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; img-src 'self' data:; media-src 'self'; "+
		"style-src 'nonce-%s'; script-src 'nonce-%s'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", p.Nonce, p.Nonce))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func humanDuration(sec float64) string {
	s := int(sec + 0.5)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
