// Package hiring holds hireloop's domain: the nouns of a hiring process, the
// rules that govern them, and the service contracts that storage and transport
// packages implement. It imports nothing else from hireloop.
package hiring

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the transport packages, so the
// set is small on purpose.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	EINTERNAL     = "internal"
)

// Error is the one coded error hireloop shows to people. Message is written
// for the person who made the request; internal failures never carry their
// detail here (they are wrapped plain errors and logged instead).
type Error struct {
	Code    string
	Message string
	// Fields names the inputs that were wrong, each with its own message, so
	// a form can show every message beside its field and the API can name them.
	Fields map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("hireloop error: code=%s message=%s", e.Code, e.Message)
}

// Field returns the first field in sorted order, or "" when the error names none.
func (e *Error) Field() string {
	first := ""
	for k := range e.Fields {
		if first == "" || k < first {
			first = k
		}
	}
	return first
}

// Errorf returns a coded error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain,
// or "Internal error." so that no internal detail reaches a person.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the per-field messages of err, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field messages while input is checked, and turns into
// one EINVALID error at the end.
type Validation map[string]string

// Add records msg for field unless the field already has a message.
func (v Validation) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Check records msg for field when ok is false.
func (v Validation) Check(ok bool, field, msg string) {
	if !ok {
		v.Add(field, msg)
	}
}

// Err returns nil when nothing was recorded, otherwise an EINVALID *Error.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	msg := "Please correct the highlighted fields."
	if len(v) == 1 {
		for f, m := range v {
			msg = f + ": " + m
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string(v)}
}
