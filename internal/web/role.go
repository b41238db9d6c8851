package web

import (
	"net/http"
	"strconv"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// rolesPage lists roles, optionally those whose title matches a search.
type rolesPage struct {
	layout
	Query string
	Roles []*hiring.Role
	Pager *pager
}

func (s *Server) handleRoles(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > hiring.MaxTitleLen || strings.ContainsRune(q, 0) {
		return &hiring.Error{Code: hiring.EINVALID, Message: "q: Search for a shorter title.",
			Fields: map[string]string{"q": "Search for a shorter title."}}
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	roles, total, err := s.roles.FindRoles(r.Context(), hiring.RoleFilter{
		Query: q, Offset: pg.Offset(), Limit: pg.PerPage})
	if err != nil {
		return err
	}
	pg.Total = total
	title := "Roles"
	if q != "" {
		title = "Roles matching “" + q + "”"
	}
	s.render(w, r, http.StatusOK, "roles", &rolesPage{
		layout: layout{Title: title, SearchQ: q}, Query: q, Roles: roles, Pager: pg})
	return nil
}

// rolePage shows everything the handbook page said about one role.
type rolePage struct {
	layout
	Role  *hiring.Role
	Trail []*hiring.Department
}

func (s *Server) handleRole(w http.ResponseWriter, r *http.Request) error {
	role, trail, err := s.findRole(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "role", &rolePage{layout: layout{Title: role.Title}, Role: role, Trail: trail})
	return nil
}

func (s *Server) findRole(r *http.Request) (*hiring.Role, []*hiring.Department, error) {
	id, err := api.PathID(r)
	if err != nil {
		return nil, nil, err
	}
	role, err := s.roles.FindRoleByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	var trail []*hiring.Department
	if role.Family != nil {
		if trail, err = s.departmentTrail(r.Context(), role.Family.DepartmentID); err != nil {
			return nil, nil, err
		}
	}
	return role, trail, nil
}

// roleEditPage is the form that changes a role.
type roleEditPage struct {
	layout
	Role *hiring.Role
	Form *form
}

func (s *Server) handleRoleEdit(w http.ResponseWriter, r *http.Request) error {
	role, _, err := s.findRole(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "role_edit", &roleEditPage{
		layout: layout{Title: "Edit " + role.Title}, Role: role, Form: newForm(roleFields, roleValues(role))})
	return nil
}

// handleRoleSave parses the form, validates it, and only then stores it; a
// rejected form comes back as typed, with a message beside each field.
func (s *Server) handleRoleSave(w http.ResponseWriter, r *http.Request) error {
	role, _, err := s.findRole(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	upd, v := parseRoleForm(r.PostForm)
	if verr := upd.Validate(); verr != nil {
		for k, msg := range hiring.ErrorFields(verr) {
			v.Add(k, msg)
		}
	}
	err = v.Err()
	if err == nil {
		_, err = s.roles.UpdateRole(r.Context(), role.ID, upd)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f := newForm(roleFields, r.PostForm)
		f.setError(err)
		s.render(w, r, http.StatusBadRequest, "role_edit", &roleEditPage{
			layout: layout{Title: "Edit " + role.Title}, Role: role, Form: f})
		return nil
	}
	return s.redirect(w, r, "/roles/"+strconv.FormatInt(role.ID, 10), "Role saved.")
}
