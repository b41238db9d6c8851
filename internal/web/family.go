package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// familyPage shows a job family and its roles.
type familyPage struct {
	layout
	Family *hiring.Family
	Trail  []*hiring.Department
}

func (s *Server) handleFamily(w http.ResponseWriter, r *http.Request) error {
	f, trail, err := s.findFamily(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "family", &familyPage{layout: layout{Title: f.Title}, Family: f, Trail: trail})
	return nil
}

func (s *Server) findFamily(r *http.Request) (*hiring.Family, []*hiring.Department, error) {
	id, err := api.PathID(r)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.families.FindFamilyByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	trail, err := s.departmentTrail(r.Context(), f.DepartmentID)
	if err != nil {
		return nil, nil, err
	}
	return f, trail, nil
}

// familyEditPage is the form that changes a family's title and summary.
type familyEditPage struct {
	layout
	Family *hiring.Family
	Form   *form
}

var familyFields = []fieldSpec{
	{Name: "title", Label: "Title", Kind: kindText, Required: true, MaxLen: hiring.MaxTitleLen},
	{Name: "summary", Label: "Summary", Hint: "The text at the top of the family page, before its roles.",
		Kind: kindTextarea, Rows: 8, MaxLen: hiring.MaxTextLen},
}

func (s *Server) handleFamilyEdit(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.findFamily(r)
	if err != nil {
		return err
	}
	vals := url.Values{"title": {f.Title}, "summary": {f.Summary}}
	s.render(w, r, http.StatusOK, "family_edit", &familyEditPage{
		layout: layout{Title: "Edit " + f.Title}, Family: f, Form: newForm(familyFields, vals)})
	return nil
}

func (s *Server) handleFamilySave(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.findFamily(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	title, summary := normalizeText(r.PostForm.Get("title")), normalizeText(r.PostForm.Get("summary"))
	upd := hiring.FamilyUpdate{Title: &title, Summary: &summary}
	err = upd.Validate()
	if err == nil {
		_, err = s.families.UpdateFamily(r.Context(), f.ID, upd)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		fm := newForm(familyFields, r.PostForm)
		fm.setError(err)
		s.render(w, r, http.StatusBadRequest, "family_edit", &familyEditPage{
			layout: layout{Title: "Edit " + f.Title}, Family: f, Form: fm})
		return nil
	}
	return s.redirect(w, r, "/families/"+strconv.FormatInt(f.ID, 10), "Family saved.")
}
