package web

import (
	"net/http"

	"hireloop/internal/hiring"
)

// settingsPage holds the company-wide switches.
type settingsPage struct {
	layout
	Form *form
}

var settingsFields = []fieldSpec{
	{Name: "catalog_private", Label: "Private catalog",
		Hint: "Only signed-in users see the job catalog and its API. Leave it off when your job families are public pages.",
		Kind: kindCheckbox},
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.settings.GetSettings(r.Context())
	if err != nil {
		return err
	}
	f := newForm(settingsFields, nil)
	if st.CatalogPrivate {
		f.Values["catalog_private"] = "on"
	}
	s.render(w, r, http.StatusOK, "settings", &settingsPage{layout: layout{Title: "Settings"}, Form: f})
	return nil
}

func (s *Server) handleSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v := r.PostForm.Get("catalog_private")
	if v != "" && v != "on" && v != "true" {
		return &hiring.Error{Code: hiring.EINVALID, Message: "catalog_private: Tick the box or leave it empty.",
			Fields: map[string]string{"catalog_private": "Tick the box or leave it empty."}}
	}
	if err := s.settings.UpdateSettings(r.Context(), hiring.Settings{CatalogPrivate: v != ""}); err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/settings", "Settings saved.")
}
