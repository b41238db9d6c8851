package web

import (
	"net/http"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// setupPage lets the first admin create their account with the one-time
// link that hireloop prints on its first start.
type setupPage struct {
	layout
	Token string
	Form  *form
}

var setupFields = []fieldSpec{
	{Name: "email", Label: "Email", Kind: kindEmail, Required: true, MaxLen: maxEmailLen, Autocomplete: "username"},
	{Name: "name", Label: "Name", Kind: kindText, MaxLen: hiring.MaxTitleLen, Autocomplete: "name"},
	{Name: "password", Label: "Password", Hint: "At least 12 characters.", Kind: kindPassword, Required: true,
		MaxLen: maxPasswordLen, Autocomplete: "new-password"},
}

// maxSetupTokenLen bounds the token; real ones are far shorter.
const maxSetupTokenLen = 256

func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if err := s.checkSetup(r, token); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "setup", &setupPage{
		layout: layout{Title: "Set up hireloop"}, Token: token, Form: newForm(setupFields, nil)})
	return nil
}

// checkSetup refuses the setup page once anyone has an account, and a
// request without a plausible token; the token itself is checked when spent.
func (s *Server) checkSetup(r *http.Request, token string) error {
	n, err := s.users.CountUsers(r.Context())
	if err != nil {
		return err
	}
	if n > 0 {
		return hiring.Errorf(hiring.ECONFLICT, "hireloop is already set up. Please sign in.")
	}
	if token == "" || len(token) > maxSetupTokenLen {
		return hiring.Errorf(hiring.EINVALID, "Open the setup link that hireloop printed when it started.")
	}
	return nil
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	if err := s.checkSetup(r, token); err != nil {
		return err
	}
	n := hiring.NewUser{
		Email:    r.PostForm.Get("email"),
		Name:     r.PostForm.Get("name"),
		Role:     hiring.RoleAdmin,
		Password: r.PostForm.Get("password"),
	}
	err := n.Validate()
	var u *hiring.User
	if err == nil {
		u, err = s.users.CreateFirstAdmin(r.Context(), token, n)
	}
	if err != nil {
		// A spent or unknown link is told on the page itself: the visitor
		// has no account to sign in with.
		code := hiring.ErrorCode(err)
		if code != hiring.EINVALID && code != hiring.EUNAUTHORIZED {
			return err
		}
		f := newForm(setupFields, r.PostForm)
		f.Values["password"] = ""
		f.setError(err)
		s.render(w, r, api.Status(err), "setup", &setupPage{
			layout: layout{Title: "Set up hireloop"}, Token: token, Form: f})
		return nil
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	return s.redirect(w, r, "/", "Welcome to hireloop. Your admin account is ready.")
}
