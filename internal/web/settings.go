package web

import (
	"net/http"
	"strconv"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// settingsPage holds the company-wide switches.
type settingsPage struct {
	layout
	Form *form
}

// The fields of the reply policy are named as deadline.Rules.Validate
// names them, so that its messages land beside them.
var settingsFields = []fieldSpec{
	{Name: "catalog_private", Label: "Private catalog",
		Hint: "Only signed-in users see the job catalog and its API. Leave it off when your job families are public pages.",
		Kind: kindCheckbox},
	{Name: "company_country", Label: "Company country",
		Hint: "Two-letter country code, such as DE or JP. Its public holidays do not count as business days for candidates " +
			"whose own country is not known. Leave it empty to count Monday to Friday.",
		MaxLen: 2, Autocomplete: "off"},
	{Name: "after_apply_days", Label: "Reply after applying (business days)",
		Hint: "How soon a new applicant hears from you.", MaxLen: 2, InputMode: "numeric"},
	{Name: "after_interview_days", Label: "Reply after an interview (business days)",
		Hint: "How soon a candidate hears from you after each interview.", MaxLen: 2, InputMode: "numeric"},
	{Name: "reference_update_every", Label: "Update during reference checks (days)",
		Hint: "How often a candidate whose references are being checked hears from you.", MaxLen: 2, InputMode: "numeric"},
}

// settingsForm fills the form with the stored settings; a reply rule not
// set shows its default.
func settingsForm(st *hiring.Settings) *form {
	f := newForm(settingsFields, nil)
	if st.CatalogPrivate {
		f.Values["catalog_private"] = "on"
	}
	f.Values["company_country"] = st.CompanyCountry
	for name, n := range map[string]int{
		"after_apply_days":       orDefault(st.AfterApplyDays, deadline.DefaultAfterApplyDays),
		"after_interview_days":   orDefault(st.AfterInterviewDays, deadline.DefaultAfterInterviewDays),
		"reference_update_every": orDefault(st.ReferenceUpdateDays, int(deadline.DefaultReferenceUpdateEvery.Hours()/24)),
	} {
		f.Values[name] = strconv.Itoa(n)
	}
	return f
}

// orDefault is n, or def when n is 0.
func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.settings.GetSettings(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings", &settingsPage{layout: layout{Title: "Settings"}, Form: settingsForm(st)})
	return nil
}

func (s *Server) handleSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in, err := parseSettings(r)
	if err == nil {
		err = s.settings.UpdateSettings(r.Context(), in)
	}
	if err != nil {
		if hiring.ErrorCode(err) != hiring.EINVALID {
			return err
		}
		f := newForm(settingsFields, r.PostForm)
		f.setError(err)
		s.render(w, r, api.Status(err), "settings", &settingsPage{layout: layout{Title: "Settings"}, Form: f})
		return nil
	}
	return s.redirect(w, r, "/admin/settings", "Settings saved.")
}

// parseSettings reads the settings form; a field left empty keeps its
// default.
func parseSettings(r *http.Request) (hiring.Settings, error) {
	v := hiring.Validation{}
	in := hiring.Settings{CompanyCountry: strings.TrimSpace(r.PostForm.Get("company_country"))}
	c := r.PostForm.Get("catalog_private")
	v.Check(c == "" || c == "on" || c == "true", "catalog_private", "Tick the box or leave it empty.")
	in.CatalogPrivate = c != ""
	if msg := deadline.CheckCountry(in.CompanyCountry); msg != "" {
		v.Add("company_country", msg)
	}
	for _, x := range []struct {
		name string
		into *int
	}{{"after_apply_days", &in.AfterApplyDays}, {"after_interview_days", &in.AfterInterviewDays},
		{"reference_update_every", &in.ReferenceUpdateDays}} {
		text := strings.TrimSpace(r.PostForm.Get(x.name))
		if text == "" {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > deadline.MaxRuleDays {
			v.Add(x.name, "Enter a whole number of days from 1 to "+strconv.Itoa(deadline.MaxRuleDays)+".")
			continue
		}
		*x.into = n
	}
	return in, v.Err()
}
