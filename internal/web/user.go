package web

import (
	"net/http"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// usersPage lists accounts and lets an admin create one.
type usersPage struct {
	layout
	Users []*hiring.User
	Form  *form
}

func userFields() []fieldSpec {
	opts := make([]option, len(hiring.UserRoles))
	for i, r := range hiring.UserRoles {
		opts[i] = option{Value: string(r), Label: r.Label()}
	}
	return []fieldSpec{
		{Name: "email", Label: "Email", Kind: kindEmail, Required: true, MaxLen: maxEmailLen, Autocomplete: "off"},
		{Name: "name", Label: "Name", Kind: kindText, MaxLen: hiring.MaxTitleLen, Autocomplete: "off"},
		{Name: "role", Label: "Role", Hint: "Admins manage users and settings; admins and recruiters edit the catalog.",
			Kind: kindSelect, Required: true, Options: opts},
		{Name: "password", Label: "Password", Hint: "At least 12 characters. Tell the person by a safe channel.",
			Kind: kindPassword, Required: true, MaxLen: maxPasswordLen, Autocomplete: "new-password"},
	}
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	f := newForm(userFields(), nil)
	f.Values["role"] = string(hiring.RoleInterviewer)
	return s.renderUsers(w, r, http.StatusOK, f)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	users, err := s.users.FindUsers(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, status, "users", &usersPage{layout: layout{Title: "Users"}, Users: users, Form: f})
	return nil
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	n := hiring.NewUser{
		Email:    r.PostForm.Get("email"),
		Name:     r.PostForm.Get("name"),
		Role:     hiring.UserRole(r.PostForm.Get("role")),
		Password: r.PostForm.Get("password"),
	}
	err := n.Validate()
	var u *hiring.User
	if err == nil {
		u, err = s.users.CreateUser(r.Context(), n)
	}
	if err != nil {
		code := hiring.ErrorCode(err)
		if code != hiring.EINVALID && code != hiring.ECONFLICT {
			return err
		}
		f := newForm(userFields(), r.PostForm)
		f.Values["password"] = ""
		if code == hiring.ECONFLICT && len(hiring.ErrorFields(err)) == 0 {
			f.Errors["email"] = hiring.ErrorMessage(err)
		} else {
			f.setError(err)
		}
		return s.renderUsers(w, r, api.Status(err), f)
	}
	return s.redirect(w, r, "/admin/users", "Created "+u.Email+" as "+u.Role.Label()+".")
}
