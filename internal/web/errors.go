package web

import (
	"net/http"
	"net/url"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// renderError is the one place errors become responses. Internal errors are
// logged with their detail and shown as "Internal error."; an anonymous
// visitor who needs to sign in is sent to the sign-in page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, isAPI bool, err error) {
	status := api.Status(err)
	if status >= http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed",
			"method", r.Method, "path", r.URL.Path, "route", r.Pattern, "err", err)
	}
	if isAPI {
		api.WriteError(w, err)
		return
	}
	if status == http.StatusUnauthorized && hiring.ActorFromContext(r.Context()) == nil &&
		r.Header.Get("Authorization") == "" {
		next := r.URL.Path
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next = r.Header.Get("Referer")
			if u, perr := url.Parse(next); perr == nil {
				next = u.Path
			}
		}
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(safeNext(next)), http.StatusSeeOther)
		return
	}
	msg := hiring.ErrorMessage(err)
	if status >= http.StatusInternalServerError {
		msg = "Internal error."
	}
	s.render(w, r, status, "error", &errorPage{
		layout:  layout{Title: errorTitle(status)},
		Status:  status,
		Message: msg,
	})
}

// errorPage is the page shown for any error.
type errorPage struct {
	layout
	Status  int
	Message string
}

func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "That request could not be used"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusMethodNotAllowed:
		return "Not allowed here"
	case http.StatusConflict:
		return "That clashes with what is there"
	case http.StatusRequestEntityTooLarge:
		return "Too much to send"
	}
	return "Something went wrong"
}

// safeNext keeps a redirect target on this site: a path, never a scheme or
// another host ("//evil.example" is another host to a browser).
func safeNext(next string) string {
	if len(next) == 0 || len(next) > 2000 || next[0] != '/' {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	return next
}
