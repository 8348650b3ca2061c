package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxJSONBody bounds request bodies of the JSON API; media never travels
// through these endpoints.
const maxJSONBody = 1 << 20

// Error types of Mux's error body.
const (
	errInvalid      = "invalid_parameters"
	errNotFound     = "not_found"
	errFailed       = "failed_request"
	errUnauthorized = "unauthorized"
	errForbidden    = "forbidden"
)

type errorBody struct {
	Error struct {
		Type     string   `json:"type"`
		Messages []string `json:"messages"`
	} `json:"error"`
}

// writeData answers {"data": v}, Mux's envelope for single objects.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, map[string]any{"data": v})
}

// writeList answers {"data": [...], "next_cursor": ...}.
func writeList(w http.ResponseWriter, items any, nextCursor string) {
	var cur any
	if nextCursor != "" {
		cur = nextCursor
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": items, "next_cursor": cur})
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
	var b errorBody
	b.Error.Type = typ
	b.Error.Messages = messages
	if b.Error.Messages == nil {
		b.Error.Messages = []string{http.StatusText(status)}
	}
	writeJSON(w, status, b)
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
		return fmt.Errorf("the body must be JSON (Content-Type: application/json), not %q", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return errors.New("the body must hold a single JSON object")
	}
	return nil
}

// fieldError is a well-formed value the API cannot use; its message names
// the field, so it reaches the client as it is.
type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

func describeJSONError(err error) error {
	var fieldErr *fieldError
	if errors.As(err, &fieldErr) {
		return fieldErr
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Errorf("the body must be a JSON object, not %s", typeErr.Value)
		}
		return fmt.Errorf("%s must be %s, not %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.As(err, &maxErr):
		return fmt.Errorf("the body is larger than %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return errors.New("the body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: the body ends too early")
	}
	return fmt.Errorf("invalid JSON: %v", err)
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

// badRequest answers 400 invalid_parameters.
func badRequest(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, errInvalid, err.Error())
}
