package web

import (
	"net/http"
	"net/url"

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
	Profile   *form
	NewSecret string
	NewName   string
}

// profileFields are what candidates see of the people who interview them.
var profileFields = []fieldSpec{
	{Name: "job_title", Label: "Job title", Hint: "Shown to candidates beside your name, such as “Staff Backend Engineer”.",
		Kind: kindText, MaxLen: hiring.MaxTitleLen, Autocomplete: "organization-title"},
	{Name: "profile_url", Label: "Profile link", Hint: "A page about you candidates may open, starting with https://.",
		Kind: kindText, MaxLen: hiring.MaxItemLen, Autocomplete: "url", InputMode: "url"},
}

// profileForm is the profile form filled in with what u has stored.
func profileForm(u *hiring.User) *form {
	return newForm(profileFields, url.Values{"job_title": {u.JobTitle}, "profile_url": {u.ProfileURL}})
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
	return s.renderAccountWith(w, r, status, f, profileForm(u), secret, name)
}

func (s *Server) renderAccountWith(w http.ResponseWriter, r *http.Request, status int, f, profile *form, secret, name string) error {
	u := hiring.ActorFromContext(r.Context())
	toks, err := s.users.FindTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.render(w, r, status, "account", &accountPage{
		layout: layout{Title: "Your account"}, Account: u, Tokens: toks, Form: f, Profile: profile,
		NewSecret: secret, NewName: name})
	return nil
}

// handleProfile saves the signed-in person's job title and profile link.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := hiring.ActorFromContext(r.Context())
	p := hiring.UserProfile{JobTitle: normalizeText(r.PostForm.Get("job_title")), ProfileURL: r.PostForm.Get("profile_url")}
	if err := s.users.SetUserProfile(r.Context(), u.ID, p); err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f := newForm(profileFields, r.PostForm)
		f.setError(err)
		return s.renderAccountWith(w, r, http.StatusBadRequest, newForm(tokenFields, nil), f, "", "")
	}
	return s.redirect(w, r, "/account", "Profile saved.")
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
