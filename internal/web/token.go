package web

import (
	"net/http"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// accountPage shows the signed-in user and their API tokens. NewSecret is
// set only on the answer to creating a token: it is shown once, never stored.
type accountPage struct {
	layout
	Account   *hiring.User
	Tokens    []*hiring.APIToken
	Form      *form
	NewSecret string
	NewName   string
}

var tokenFields = []fieldSpec{
	{Name: "name", Label: "Token name", Hint: "What the token is for, such as “nightly export”.",
		Kind: kindText, Required: true, MaxLen: hiring.MaxTitleLen},
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, newForm(tokenFields, nil), "", "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *form, secret, name string) error {
	u := hiring.ActorFromContext(r.Context())
	toks, err := s.users.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.render(w, r, status, "account", &accountPage{
		layout: layout{Title: "Your account"}, Account: u, Tokens: toks, Form: f, NewSecret: secret, NewName: name})
	return nil
}

func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := hiring.ActorFromContext(r.Context())
	name := normalizeText(r.PostForm.Get("name"))
	v := hiring.Validation{}
	v.Check(name != "", "name", "Give the token a name.")
	v.Check(len(name) <= hiring.MaxTitleLen, "name", "This is too long.")
	err := v.Err()
	var secret string
	if err == nil {
		secret, _, err = s.users.CreateToken(r.Context(), u.ID, name)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f := newForm(tokenFields, r.PostForm)
		f.setError(err)
		return s.renderAccount(w, r, http.StatusBadRequest, f, "", "")
	}
	return s.renderAccount(w, r, http.StatusOK, newForm(tokenFields, nil), secret, name)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := api.PathID(r)
	if err != nil {
		return err
	}
	u := hiring.ActorFromContext(r.Context())
	if err := s.users.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/account", "Token revoked.")
}
