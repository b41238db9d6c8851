package mail

import (
	"errors"
	"strings"
)

// ErrInvalid is wrapped by every error about a message or a configuration
// that cannot be sent as it is, so callers can tell their own mistakes from
// the mail server's answers with errors.Is.
var ErrInvalid = errors.New("invalid")

// Error is a failure to deliver a message. Its text is meant for logs and
// for an outbox's "last error" column; it never contains the SMTP password.
type Error struct {
	// Code is the SMTP reply code when the server refused (421, 550...),
	// or 0 when the failure was not a reply (network, timeout, bad message).
	Code int

	permanent bool
	text      string
	err       error
}

// Error returns the failure in words.
func (e *Error) Error() string { return e.text }

// Unwrap gives errors.Is access to the cause, such as context.Canceled.
func (e *Error) Unwrap() error { return e.err }

// Permanent reports whether retrying the same message cannot succeed.
func (e *Error) Permanent() bool { return e.permanent }

// Permanent reports whether err is a delivery failure that retrying will not
// cure: the server refused the recipient or the content with a 5xx reply
// (552, too large, wherever it comes), or the message itself is invalid.
// Everything else — 4xx replies, network failures, timeouts, cancellation,
// and errors this package did not make — is worth retrying later.
//
// A 5xx reply while connecting (greeting, STARTTLS, authentication) or to
// MAIL FROM is not permanent, nor is 530 (authentication required): those
// concern the server or hireloop's configuration, which an operator can fix,
// not the message, which must not be given up on meanwhile.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.permanent
}

// redactor removes a secret from error texts. The SMTP libraries are not
// known to echo a password, but a misbehaving server could, and an error
// text ends up in logs and in the database.
type redactor string

func (r redactor) clean(s string) string {
	if r == "" {
		return s
	}
	return strings.ReplaceAll(s, string(r), "[redacted]")
}

func invalidf(text string) *Error {
	return &Error{permanent: true, text: "mail: " + text, err: ErrInvalid}
}
