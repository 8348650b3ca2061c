package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/wire"
)

// maxJSONBody bounds request bodies of the JSON API; media never travels
// through these endpoints.
const maxJSONBody = 1 << 20

// jsonBodyTimeout bounds the time a JSON body may take to arrive (a var for tests).
var jsonBodyTimeout = 30 * time.Second

// Error types of Mux's error body.
const (
	errInvalid      = "invalid_parameters"
	errNotFound     = "not_found"
	errFailed       = "failed_request"
	errUnauthorized = "unauthorized"
	errForbidden    = "forbidden"
)

// writeData answers {"data": v}, Mux's envelope for single objects.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, wire.Data{Data: v})
}

// writeList answers {"data": [...], "next_cursor": ...}.
func writeList(w http.ResponseWriter, items any, nextCursor string) {
	writeJSON(w, http.StatusOK, wire.NewList(items, nextCursor))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError answers Mux's error body.
func writeError(w http.ResponseWriter, status int, typ string, messages ...string) {
	if messages == nil {
		messages = []string{http.StatusText(status)}
	}
	writeJSON(w, status, wire.Error{Error: wire.ErrorDetail{Type: typ, Messages: messages}})
}

// jsonMuxErrors answers the mux's own "404 page not found" and "405 Method
// Not Allowed" (plain text) with Mux's JSON error body, which API clients parse.
func jsonMuxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		probe := &statusProbe{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			writeError(w, http.StatusMethodNotAllowed, errInvalid,
				fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, probe.header.Get("Allow")))
			return
		}
		writeError(w, http.StatusNotFound, errNotFound, "There is no API endpoint at "+r.URL.Path)
	})
}

// statusProbe records the status a handler answers and drops its body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int)        { p.status = code }

// noContent answers 204 with an empty body (Mux's delete).
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// decodeJSON reads a JSON object body into v. Unknown fields are ignored (Mux
// clients send fields Reelvault has no use for), but a field of the wrong
// type, malformed JSON, trailing data or an oversized body is an error
// message naming what is wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &fail.InvalidError{Message: fmt.Sprintf("the body must be JSON (Content-Type: application/json), not %q", ct)}
	}
	// A body of at most maxJSONBody arrives in seconds; one sent a byte at a
	// time must not hold the connection (and a goroutine) for ever.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(jsonBodyTimeout))
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return &fail.InvalidError{Message: "the body must hold a single JSON object"}
	}
	return nil
}

// describeJSONError words a decoding error as the invalid request it is.
// A field's own UnmarshalJSON may return a *fail.InvalidError, which is kept.
func describeJSONError(err error) error {
	var invalid *fail.InvalidError
	if errors.As(err, &invalid) {
		return invalid
	}
	return &fail.InvalidError{Message: describeJSON(err)}
}

func describeJSON(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Sprintf("the body must be a JSON object, not %s", typeErr.Value)
		}
		return fmt.Sprintf("%s must be %s, not %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.As(err, &maxErr):
		return fmt.Sprintf("the body is larger than %d bytes", maxErr.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("the body did not arrive within %s", jsonBodyTimeout)
	case errors.Is(err, io.EOF):
		return "the body is empty; a JSON object is expected"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends too early"
	}
	return fmt.Sprintf("invalid JSON: %v", err)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int64", "int32", "uint", "uint64", "float64", "float32":
		return "a number"
	}
	return "a " + kind
}
