package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
)

// openingsPage lists the openings the user may see, newest first.
type openingsPage struct {
	layout
	Openings  []*hiring.Opening
	Pager     *pager
	Filter    *form
	Filtered  bool
	CanCreate bool
}

var openingStatusOptions = []option{{"", "Any status"}, {string(hiring.OpeningDraft), "Draft"},
	{string(hiring.OpeningOpen), "Open"}, {string(hiring.OpeningClosed), "Closed"}}

func (s *Server) handleOpenings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := hiring.ActorFromContext(ctx)
	q := r.URL.Query()
	v := hiring.Validation{}
	f := hiring.OpeningFilter{Newest: true}
	if st := hiring.OpeningStatus(q.Get("status")); st != "" {
		v.Check(st.Valid(), "status", "Choose draft, open or closed.")
		f.Status = &st
	}
	f.DepartmentID = parseChoice(v, q, "department_id")
	if err := v.Err(); err != nil {
		return err
	}
	pg, err := newPager(r, perPage)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset(), pg.PerPage
	if !u.Role.CanManageOpenings() {
		f.HiringManagerID = &u.ID
	}
	found, total, err := s.openings.FindOpenings(ctx, f)
	if err != nil {
		return err
	}
	openings := make([]*hiring.Opening, 0, len(found))
	for _, o := range found {
		// The filter already keeps a hiring manager's own openings; this
		// check makes sure that nothing else can slip through.
		if hiring.CanManageOpening(u, o) {
			openings = append(openings, o)
		}
	}
	pg.Total = total
	deps, _, err := s.departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return err
	}
	depOpts := []option{{"", "Any department"}}
	for _, d := range deps {
		depOpts = append(depOpts, option{itoa(d.ID), departmentPath(d, deps)})
	}
	filter := newForm([]fieldSpec{
		{Name: "status", Label: "Status", Kind: kindSelect, Options: openingStatusOptions},
		{Name: "department_id", Label: "Department", Kind: kindSelect, Options: depOpts},
	}, q)
	s.render(w, r, http.StatusOK, "openings", &openingsPage{
		layout: layout{Title: "Openings"}, Openings: openings, Pager: pg, Filter: filter,
		Filtered: f.Status != nil || f.DepartmentID != nil, CanCreate: u.Role.CanManageOpenings()})
	return nil
}

// openingFor finds the opening of the {id} in the path, if the acting user
// may see it: recruiters and admins see every opening, a hiring manager the
// ones they lead.
func (s *Server) openingFor(r *http.Request) (*hiring.Opening, error) {
	return s.openingIf(r, hiring.CanManageOpening,
		"Only recruiters, admins and the opening’s hiring manager can see this opening.")
}

// openingIf finds the opening of the {id} in the path if allowed lets the
// acting user at it, and otherwise refuses with refusal.
func (s *Server) openingIf(r *http.Request, allowed func(*hiring.User, *hiring.Opening) bool, refusal string) (*hiring.Opening, error) {
	id, err := api.PathID(r)
	if err != nil {
		return nil, err
	}
	o, err := s.openings.FindOpeningByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !allowed(hiring.ActorFromContext(r.Context()), o) {
		return nil, hiring.Errorf(hiring.EFORBIDDEN, "%s", refusal)
	}
	return o, nil
}

// openingPage shows everything about one opening, with the buttons that
// move it on.
type openingPage struct {
	layout
	Opening       *hiring.Opening
	HiringManager string
	Recruiter     string
	Coordinator   string
	Pay           string
	Applications  int
	OpenSeats     int
	Actions       []statusAction
	// JobURL is the public job page, set while the opening is published.
	JobURL string
	// Replies tells how the opening keeps its promises to reply.
	Replies *hiring.ReplyStats
}

// statusAction is a button that moves an opening to Status.
type statusAction struct {
	Status hiring.OpeningStatus
	Label  string
}

func (s *Server) handleOpening(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, err := s.openingFor(r)
	if err != nil {
		return err
	}
	p := &openingPage{layout: layout{Title: o.Title}, Opening: o, Pay: formatPay(o.Pay)}
	for _, x := range []struct {
		id   *int64
		into *string
	}{{o.HiringManagerID, &p.HiringManager}, {o.RecruiterID, &p.Recruiter}, {o.CoordinatorID, &p.Coordinator}} {
		if *x.into, err = s.personName(ctx, x.id); err != nil {
			return err
		}
	}
	if _, p.Applications, err = s.applications.FindApplications(ctx, hiring.ApplicationFilter{OpeningID: &o.ID, Limit: 1}); err != nil {
		return err
	}
	for _, v := range o.Vacancies {
		if v.Status == hiring.VacancyOpen {
			p.OpenSeats++
		}
	}
	switch o.Status {
	case hiring.OpeningDraft:
		p.Actions = []statusAction{{hiring.OpeningOpen, "Open and publish"}}
	case hiring.OpeningOpen:
		p.Actions = []statusAction{{hiring.OpeningClosed, "Close"}}
		p.JobURL = "/jobs/" + itoa(o.ID)
	case hiring.OpeningClosed:
		p.Actions = []statusAction{{hiring.OpeningOpen, "Reopen"}}
	}
	if p.Replies, err = s.replyStats(ctx, o.ID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "opening", p)
	return nil
}

// personName names a user of the hiring team, or "" for nobody.
func (s *Server) personName(ctx context.Context, id *int64) (string, error) {
	if id == nil {
		return "", nil
	}
	u, err := s.users.FindUserByID(ctx, *id)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return "A removed account", nil
	} else if err != nil {
		return "", err
	}
	if u.Name != "" {
		return u.Name, nil
	}
	return u.Email, nil
}

// handleOpeningStatus opens, closes or reopens an opening.
func (s *Server) handleOpeningStatus(w http.ResponseWriter, r *http.Request) error {
	o, err := s.openingFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	next := hiring.OpeningStatus(r.PostForm.Get("status"))
	if next != hiring.OpeningOpen && next != hiring.OpeningClosed {
		return &hiring.Error{Code: hiring.EINVALID, Message: "status: Choose open or closed.",
			Fields: map[string]string{"status": "Choose open or closed."}}
	}
	// A button on a page that is out of date asks for a move that no
	// longer applies; say where the opening stands instead.
	if o.Status == next {
		return hiring.Errorf(hiring.ECONFLICT, "This opening is %s already.", next)
	}
	if !o.Status.CanMoveTo(next) {
		return hiring.Errorf(hiring.ECONFLICT, "An opening that is %s cannot become %s.", o.Status, next)
	}
	if _, err := s.openings.SetOpeningStatus(r.Context(), o.ID, next); err != nil {
		return err
	}
	flash := "Opening " + o.RequisitionID + " is closed; it takes no more applications."
	if next == hiring.OpeningOpen {
		flash = "Opening " + o.RequisitionID + " is open and published on the careers site."
	}
	return s.redirect(w, r, "/openings/"+itoa(o.ID), flash)
}

// openingEditPage is the form that makes or changes an opening.
type openingEditPage struct {
	layout
	IsNew     bool
	Role      *hiring.Role
	Opening   *hiring.Opening
	Form      *form
	Questions []questionGroup
	Action    string
	Cancel    string
}

// renderOpeningForm shows the form f, which has rows question groups.
func (s *Server) renderOpeningForm(w http.ResponseWriter, r *http.Request, status int, p *openingEditPage, f *form, rows int) {
	p.Form = f
	p.Questions = questionGroups(f, rows)
	if p.IsNew {
		p.Title = "New opening: " + p.Role.Title
		p.Action = "/openings"
		p.Cancel = "/roles/" + itoa(p.Role.ID)
	} else {
		p.Title = "Edit " + p.Opening.Title
		p.Action = "/openings/" + itoa(p.Opening.ID) + "/edit"
		p.Cancel = "/openings/" + itoa(p.Opening.ID)
	}
	s.render(w, r, status, "opening_edit", p)
}

// handleOpeningNew shows the form for a new opening of the role in ?role=.
func (s *Server) handleOpeningNew(w http.ResponseWriter, r *http.Request) error {
	ref := r.URL.Query().Get("role")
	if ref == "" {
		return s.redirect(w, r, "/roles", "Choose the role the opening is for, then press “Create an opening” on its page.")
	}
	role, err := s.roleForOpening(r.Context(), ref)
	if err != nil {
		return err
	}
	c, err := s.loadOpeningChoices(r.Context(), role)
	if err != nil {
		return err
	}
	vals := newOpeningValues(role)
	rows := questionRows(vals)
	s.renderOpeningForm(w, r, http.StatusOK, &openingEditPage{IsNew: true, Role: role},
		newForm(openingFields(true, c, rows), vals), rows)
	return nil
}

// roleForOpening finds a role that an opening may be made from.
func (s *Server) roleForOpening(ctx context.Context, ref string) (*hiring.Role, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64)
	if err != nil || id < 1 {
		return nil, &hiring.Error{Code: hiring.EINVALID, Message: "role: Choose a role from the catalog.",
			Fields: map[string]string{"role": "Choose a role from the catalog."}}
	}
	role, err := s.roles.FindRoleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if role.ArchivedAt != nil {
		return nil, hiring.Errorf(hiring.ECONFLICT, "This role is archived; make openings from a current role.")
	}
	return role, nil
}

// handleOpeningCreate parses the form, validates it, and only then makes
// the opening; a rejected form comes back as typed.
func (s *Server) handleOpeningCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	role, err := s.roleForOpening(ctx, r.PostForm.Get("role_id"))
	if err != nil {
		return err
	}
	rows := questionRows(r.PostForm)
	in, v := parseOpeningForm(r.PostForm, rows)
	n := in.newOpening(role)
	if verr := n.Validate(); verr != nil {
		for k, msg := range hiring.ErrorFields(verr) {
			v.Add(k, msg)
		}
	}
	err = v.Err()
	var o *hiring.Opening
	if err == nil {
		o, err = s.openings.CreateOpening(ctx, n)
	}
	if err != nil {
		if c := hiring.ErrorCode(err); c != hiring.EINVALID && c != hiring.ECONFLICT {
			return err
		}
		choices, cerr := s.loadOpeningChoices(ctx, role)
		if cerr != nil {
			return cerr
		}
		f := newForm(openingFields(true, choices, rows), r.PostForm)
		f.setError(in.formError(err))
		s.renderOpeningForm(w, r, http.StatusBadRequest, &openingEditPage{IsNew: true, Role: role}, f, rows)
		return nil
	}
	return s.redirect(w, r, "/openings/"+itoa(o.ID),
		fmt.Sprintf("Opening %s was made as a draft with %s. Open it to publish it.", o.RequisitionID,
			plural(o.TotalVacancies(), "vacancy", "vacancies")))
}

func (s *Server) handleOpeningEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.openingFor(r)
	if err != nil {
		return err
	}
	c, err := s.loadOpeningChoices(r.Context(), o.Role)
	if err != nil {
		return err
	}
	vals := openingValues(o)
	rows := questionRows(vals)
	s.renderOpeningForm(w, r, http.StatusOK, &openingEditPage{Role: o.Role, Opening: o},
		newForm(openingFields(false, c, rows), vals), rows)
	return nil
}

// handleOpeningSave stores the edit form; changed team counts add or close
// vacancies.
func (s *Server) handleOpeningSave(w http.ResponseWriter, r *http.Request) error {
	o, err := s.openingFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	rows := questionRows(r.PostForm)
	in, v := parseOpeningForm(r.PostForm, rows)
	upd := in.update()
	if verr := upd.Validate(); verr != nil {
		for k, msg := range hiring.ErrorFields(verr) {
			v.Add(k, msg)
		}
	}
	err = v.Err()
	if err == nil {
		_, err = s.openings.UpdateOpening(ctx, o.ID, upd)
	}
	if err != nil {
		if c := hiring.ErrorCode(err); c != hiring.EINVALID && c != hiring.ECONFLICT {
			return err
		}
		choices, cerr := s.loadOpeningChoices(ctx, o.Role)
		if cerr != nil {
			return cerr
		}
		f := newForm(openingFields(false, choices, rows), r.PostForm)
		f.setError(in.formError(err))
		s.renderOpeningForm(w, r, http.StatusBadRequest, &openingEditPage{Role: o.Role, Opening: o}, f, rows)
		return nil
	}
	return s.redirect(w, r, "/openings/"+itoa(o.ID), "Opening saved.")
}
