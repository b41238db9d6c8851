package web

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// Session keys and cookie.
const (
	sessionCookie = "hireloop_session"
	userIDKey     = "user_id"
	flashKey      = "flash"
)

// Sign-in input limits: an email address is at most 254 bytes, and a longer
// password would only make the hash slower.
const (
	maxEmailLen    = 254
	maxPasswordLen = 1024
)

func newSessionManager(store scs.Store, secure bool, onError func(http.ResponseWriter, *http.Request, error)) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = 7 * 24 * time.Hour
	sm.IdleTimeout = 48 * time.Hour
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.ErrorFunc = onError
	return sm
}

// sessionError answers when the session store fails; the detail is logged.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "session store failed", "path", r.URL.Path, "err", err)
	http.Error(w, "Internal error.", http.StatusInternalServerError)
}

func (s *Server) popFlash(r *http.Request) string {
	defer func() { _ = recover() }() // No session in context: nothing to pop.
	return s.sessions.PopString(r.Context(), flashKey)
}

// signInPage is the sign-in form.
type signInPage struct {
	layout
	Form *form
	Next string
	// NoUsers tells a fresh installation where to go instead.
	NoUsers bool
}

var signInFields = []fieldSpec{
	{Name: "email", Label: "Email", Kind: kindEmail, Required: true, MaxLen: maxEmailLen, Autocomplete: "username"},
	{Name: "password", Label: "Password", Kind: kindPassword, Required: true, MaxLen: maxPasswordLen, Autocomplete: "current-password"},
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	n, err := s.users.CountUsers(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "signin", &signInPage{
		layout:  layout{Title: "Sign in"},
		Form:    newForm(signInFields, nil),
		Next:    safeNext(r.URL.Query().Get("next")),
		NoUsers: n == 0,
	})
	return nil
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	v := hiring.Validation{}
	v.Check(email != "", "email", "Enter your email address.")
	v.Check(len(email) <= maxEmailLen, "email", "This is too long.")
	v.Check(password != "", "password", "Enter your password.")
	v.Check(len(password) <= maxPasswordLen, "password", "This is too long.")
	err := v.Err()
	var u *hiring.User
	if err == nil {
		u, err = s.users.Authenticate(r.Context(), email, password)
	}
	if err != nil {
		code := hiring.ErrorCode(err)
		if code != hiring.EINVALID && code != hiring.EUNAUTHORIZED {
			return err
		}
		f := newForm(signInFields, r.PostForm)
		f.Values["password"] = ""
		f.setError(err)
		s.render(w, r, api.Status(err), "signin", &signInPage{layout: layout{Title: "Sign in"}, Form: f, Next: next})
		return nil
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	return s.redirect(w, r, next, "Welcome, "+displayName(u)+".")
}

// startSession signs u in with a fresh session token, so a token planted
// before sign-in is worth nothing afterwards.
func (s *Server) startSession(r *http.Request, u *hiring.User) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), userIDKey, u.ID)
	return nil
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	return s.redirect(w, r, "/", "You are signed out.")
}

func displayName(u *hiring.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}
