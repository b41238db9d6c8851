package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// MaxBodyBytes caps every JSON body; a role with every list full fits well
// inside it.
const MaxBodyBytes = 1 << 20

// Envelope wraps every successful answer, so that lists and single objects
// look alike and meta can grow without breaking clients.
type Envelope struct {
	Data any   `json:"data"`
	Meta *Meta `json:"meta,omitempty"`
}

// Meta describes the page of a listing.
type Meta struct {
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// decodeJSON reads exactly one JSON object from the body into dst, refusing
// unknown fields, other content types and bodies over MaxBodyBytes.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &hiring.Error{Code: CodeUnsupportedMediaType,
			Message: "Send the body as JSON with the header Content-Type: application/json."}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return decodeError(err)
		}
		return hiring.Errorf(hiring.EINVALID, "The body must hold a single JSON object.")
	}
	// null, a list or a string would decode into an update that changes
	// nothing, hiding the client's mistake.
	if len(raw) == 0 || raw[0] != '{' {
		return hiring.Errorf(hiring.EINVALID, "The body must be a JSON object.")
	}
	obj := json.NewDecoder(bytes.NewReader(raw))
	obj.DisallowUnknownFields()
	if err := obj.Decode(dst); err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return timeFieldError(raw)
		}
		return decodeError(err)
	}
	return nil
}

// timeFieldError names the field whose time could not be read: encoding/json
// does not say which, so the object's string values are tried as times, in
// the order of their names, and the first that fails to parse but looks
// meant as one (its name ends in _at, or it starts with a digit) is named.
func timeFieldError(raw json.RawMessage) error {
	const msg = "Write a time in RFC 3339 form, such as 2026-12-01T14:00:00+01:00."
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var s string
			if json.Unmarshal(obj[k], &s) != nil {
				continue
			}
			if _, err := time.Parse(time.RFC3339, s); err == nil {
				continue
			}
			if strings.HasSuffix(k, "_at") || (s != "" && s[0] >= '0' && s[0] <= '9') {
				return &hiring.Error{Code: hiring.EINVALID, Message: k + ": " + msg, Fields: map[string]string{k: msg}}
			}
		}
	}
	return hiring.Errorf(hiring.EINVALID, "A time could not be read. %s", msg)
}

// decodeError turns what encoding/json reports into a message that names the
// place or field at fault, without echoing Go type names.
func decodeError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return hiring.Errorf(hiring.ETOOLARGE, "The body is larger than %d bytes.", mbe.Limit)
	case errors.Is(err, io.EOF):
		return hiring.Errorf(hiring.EINVALID, "The body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return hiring.Errorf(hiring.EINVALID, "The body ends before its JSON is complete.")
	case errors.As(err, &se):
		return hiring.Errorf(hiring.EINVALID, "The body is not valid JSON (at byte %d).", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return hiring.Errorf(hiring.EINVALID, "The body must be a JSON object.")
		}
		msg := fmt.Sprintf("Expected %s.", jsonKind(te.Type.Kind().String()))
		top, _, _ := strings.Cut(field, ".")
		return &hiring.Error{Code: hiring.EINVALID, Message: field + ": " + msg,
			Fields: map[string]string{top: msg}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		msg := "This field is not known."
		return &hiring.Error{Code: hiring.EINVALID, Message: field + ": " + msg,
			Fields: map[string]string{field: msg}}
	}
	return hiring.Errorf(hiring.EINVALID, "The body could not be read as JSON.")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "float64", "float32", "int", "int64", "int32":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "another type"
}
