package jobboard

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// Codes that only the HTTP transports produce; the status table that maps
// every code to an HTTP status is the JSON API's, so both APIs agree.
const (
	CodeUnsupportedMediaType = api.CodeUnsupportedMediaType
	CodeMethodNotAllowed     = api.CodeMethodNotAllowed
)

// Status returns the HTTP status for err, 500 for anything without a known
// code.
func Status(err error) int { return api.Status(err) }

// ErrorBody is Greenhouse's error shape: the status repeated in the body and
// one message. Fields is hireloop's addition: for invalid input it names
// each field at fault with its own message, so a form can show them.
type ErrorBody struct {
	Status int               `json:"status"`
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// WriteError answers with err in Greenhouse's error shape. Internal errors
// carry only "Internal error."; the caller logs their detail.
func WriteError(w http.ResponseWriter, err error) {
	status := Status(err)
	body := ErrorBody{Status: status, Error: hiring.ErrorMessage(err)}
	var e *hiring.Error
	switch {
	case status >= http.StatusInternalServerError:
		body.Error = "Internal error."
	case errors.As(err, &e) && len(e.Fields) > 0:
		body.Fields = e.Fields
		if len(e.Fields) > 1 {
			body.Error = joinFields(e.Fields)
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="job board"`)
	}
	writeJSON(w, status, body)
}

// joinFields writes every field's message into one line, for clients that
// show only the error text.
func joinFields(fields map[string]string) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + ": " + fields[k]
	}
	return strings.Join(parts, " ")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// callbackName is what Greenhouse allows as a JSONP callback: letters,
// digits, underscores and periods.
var callbackName = regexp.MustCompile(`^[A-Za-z0-9_.]{1,128}$`)

// checkCallback refuses a JSONP callback that is not a plain name.
func checkCallback(r *http.Request) error {
	if cb := r.URL.Query().Get("callback"); cb != "" && !callbackName.MatchString(cb) {
		return &hiring.Error{Code: hiring.EINVALID,
			Message: "callback may contain only letters, digits, underscores and periods.",
			Fields:  map[string]string{"callback": "Use only letters, digits, underscores and periods."}}
	}
	return nil
}

// writePublic answers a public read with v.
func writePublic(w http.ResponseWriter, r *http.Request, v any) error {
	if err := checkCallback(r); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	writeEncoded(w, r, data)
	return nil
}

// writeEncoded answers a public read with its JSON. Browsers may read it
// from any site, as Greenhouse's own board API allows, and ?callback= wraps
// it for JSONP, which older careers pages built on Greenhouse still use.
// The callback has been checked.
func writeEncoded(w http.ResponseWriter, r *http.Request, data []byte) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	cb := r.URL.Query().Get("callback")
	if cb == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(data)
		_, _ = w.Write([]byte("\n"))
		return
	}
	// The leading comment keeps a response from being read as anything but
	// a script call, whatever the callback name.
	w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	_, _ = w.Write([]byte("/**/" + cb + "("))
	_, _ = w.Write(data)
	_, _ = w.Write([]byte(");\n"))
}
