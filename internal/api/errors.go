package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"hireloop/internal/hiring"
)

// Codes that only the HTTP transport produces. They sit beside the domain
// codes in the status table so that every error a client sees has a code.
const (
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeMethodNotAllowed     = "method_not_allowed"
)

// statuses is the one table from error code to HTTP status; HTML pages and
// the JSON API both read it through Status.
var statuses = map[string]int{
	hiring.EINVALID:          http.StatusBadRequest,
	hiring.EUNAUTHORIZED:     http.StatusUnauthorized,
	hiring.EFORBIDDEN:        http.StatusForbidden,
	hiring.ENOTFOUND:         http.StatusNotFound,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	hiring.ECONFLICT:         http.StatusConflict,
	hiring.ETOOLARGE:         http.StatusRequestEntityTooLarge,
	CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	hiring.EINTERNAL:         http.StatusInternalServerError,
}

// Status returns the HTTP status for err, 500 for anything without a known code.
func Status(err error) int {
	if s, ok := statuses[hiring.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code for programs, a message for
// people, and for invalid input the field or fields at fault.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteError answers with err as JSON. Internal errors carry only "Internal
// error."; the caller logs their detail.
func WriteError(w http.ResponseWriter, err error) {
	status := Status(err)
	body := ErrorBody{Error: ErrorDetail{
		Code:    hiring.ErrorCode(err),
		Message: hiring.ErrorMessage(err),
	}}
	var e *hiring.Error
	if errors.As(err, &e) && status != http.StatusInternalServerError {
		body.Error.Field = e.Field()
		body.Error.Fields = e.Fields
	} else if status == http.StatusInternalServerError {
		body.Error.Code = hiring.EINTERNAL
		body.Error.Message = "Internal error."
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hireloop"`)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
