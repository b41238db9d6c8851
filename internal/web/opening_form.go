package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

// The opening form edits lists as text, one item per line, like the role
// form. Custom questions are a repeated group of fields, one group per
// question and a few blank groups to add more, so the form needs no script.

// blankQuestionRows is how many empty question groups the form offers.
const blankQuestionRows = 3

// maxQuestionRows bounds the groups a posted form may claim to have.
const maxQuestionRows = hiring.MaxQuestions + blankQuestionRows

// openingChoices are the options of the form's drop-downs.
type openingChoices struct {
	role        *hiring.Role
	departments []option
	managers    []option
	people      []option
}

// loadOpeningChoices reads the departments and users the form offers.
func (s *Server) loadOpeningChoices(ctx context.Context, role *hiring.Role) (*openingChoices, error) {
	deps, _, err := s.departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: maxDepartments})
	if err != nil {
		return nil, err
	}
	users, err := s.users.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	c := &openingChoices{role: role}
	c.departments = append(c.departments, option{"", "No department"})
	for _, d := range deps {
		c.departments = append(c.departments, option{itoa(d.ID), departmentPath(d, deps)})
	}
	c.managers = append(c.managers, option{"", "Nobody yet"})
	c.people = append(c.people, option{"", "Nobody yet"})
	for _, u := range users {
		label := u.Email
		if u.Name != "" {
			label = u.Name + " (" + u.Email + ")"
		}
		o := option{itoa(u.ID), label}
		c.people = append(c.people, o)
		// Interviewers cannot see openings, so they cannot lead one.
		if u.Role.CanSeeOpenings() {
			c.managers = append(c.managers, o)
		}
	}
	return c, nil
}

// departmentPath names a department with its parents: "Engineering › Data".
func departmentPath(d *hiring.Department, all []*hiring.Department) string {
	byID := make(map[int64]*hiring.Department, len(all))
	for _, x := range all {
		byID[x.ID] = x
	}
	names := []string{d.Name}
	for p := d.ParentID; p != nil && len(names) < 20; {
		parent, ok := byID[*p]
		if !ok {
			break
		}
		names = append([]string{parent.Name}, names...)
		p = parent.ParentID
	}
	return strings.Join(names, " › ")
}

// openingFields describes the form; isNew adds the requisition id, which
// never changes once given. rows is the number of question groups.
func openingFields(isNew bool, c *openingChoices, rows int) []fieldSpec {
	specs := []fieldSpec{
		{Name: "title", Label: "Title", Kind: kindText, Required: true, MaxLen: hiring.MaxTitleLen,
			Hint: "As candidates will see it on the careers site."},
	}
	if c.role != nil && len(c.role.Specialties) > 0 {
		opts := []option{{"", "None"}}
		for _, sp := range c.role.Specialties {
			opts = append(opts, option{sp.Name, sp.Name})
		}
		specs = append(specs, fieldSpec{Name: "specialty", Label: "Specialty", Kind: kindSelect, Options: opts,
			Hint: "A specialty of the role adds its section to the description."})
	}
	if isNew {
		specs = append(specs, fieldSpec{Name: "requisition_id", Label: "Requisition id", Kind: kindText, MaxLen: 40,
			Hint: "Leave empty to take the next number (1001, 1002, …). Vacancies are numbered from it: 1001-1, 1001-2."})
	}
	types := make([]option, 0, len(hiring.EmploymentTypes))
	for _, t := range hiring.EmploymentTypes {
		types = append(types, option{string(t), t.Label()})
	}
	specs = append(specs,
		fieldSpec{Name: "department_id", Label: "Department", Kind: kindSelect, Options: c.departments},
		fieldSpec{Name: "teams", Label: "Vacancies per team", Kind: kindTextarea, Rows: 5, Required: true,
			Hint: "One team per line with its number of vacancies, like “Create: 1”. Write just a number when the vacancies are not split by team."},
		fieldSpec{Name: "remote", Label: "Remote anywhere", Kind: kindCheckbox},
		fieldSpec{Name: "locations", Label: "Locations", Kind: kindTextarea, Rows: 4,
			Hint: "One per line: place | country code | remote. The code and “remote” are optional: “Berlin | DE”, or “Germany | DE | remote” for remote within Germany."},
		fieldSpec{Name: "employment_type", Label: "Employment type", Kind: kindSelect, Options: types},
		fieldSpec{Name: "pay", Label: "Pay range"},
		fieldSpec{Name: "pay_min", Label: "Lowest pay", Kind: kindText, MaxLen: 20, InputMode: "decimal"},
		fieldSpec{Name: "pay_max", Label: "Highest pay", Kind: kindText, MaxLen: 20, InputMode: "decimal"},
		fieldSpec{Name: "pay_currency", Label: "Currency", Kind: kindText, MaxLen: 3, Hint: "A code like EUR or USD."},
		fieldSpec{Name: "pay_period", Label: "Paid per", Kind: kindSelect,
			Options: []option{{string(hiring.PerYear), "Year"}, {string(hiring.PerHour), "Hour"}}},
		fieldSpec{Name: "target_quarter", Label: "Plan quarter", Kind: kindText, MaxLen: 7,
			Hint: "The quarter of the hiring plan it counts against, like 2026-Q4. Leave empty for the quarter in which it opens."},
		fieldSpec{Name: "hiring_manager_id", Label: "Hiring manager", Kind: kindSelect, Options: c.managers},
		fieldSpec{Name: "recruiter_id", Label: "Recruiter", Kind: kindSelect, Options: c.people},
		fieldSpec{Name: "coordinator_id", Label: "Coordinator", Kind: kindSelect, Options: c.people,
			Hint: "Receives the candidates’ requests for adjustments."},
		fieldSpec{Name: "description", Label: "Description", Kind: kindTextarea, Rows: 18, MaxLen: hiring.MaxDescriptionLen,
			Hint: "Markdown. Composed from the role page; edit it freely."},
		fieldSpec{Name: "q_rows"},
	)
	qtypes := make([]option, 0, len(hiring.QuestionTypes))
	for _, t := range hiring.QuestionTypes {
		qtypes = append(qtypes, option{string(t), t.Label()})
	}
	for i := range rows {
		n := i + 1
		p := questionPrefix(i)
		specs = append(specs,
			fieldSpec{Name: p + "id"},
			fieldSpec{Name: p + "label", Label: fmt.Sprintf("Question %d: wording", n), Kind: kindText, MaxLen: hiring.MaxQuestionLabel},
			fieldSpec{Name: p + "type", Label: fmt.Sprintf("Question %d: answer", n), Kind: kindSelect, Options: qtypes},
			fieldSpec{Name: p + "options", Label: fmt.Sprintf("Question %d: options", n), Kind: kindTextarea, Rows: 3,
				Hint: "For a choice from a list: one option per line."},
			fieldSpec{Name: p + "required", Label: "An answer is required", Kind: kindCheckbox},
			fieldSpec{Name: p + "remove", Label: "Remove this question", Kind: kindCheckbox},
		)
	}
	return specs
}

func questionPrefix(row int) string { return "q" + strconv.Itoa(row) + "_" }

// newOpeningValues fills the form for a new opening of role: its title, its
// family's department, one vacancy, and the description composed from it.
func newOpeningValues(role *hiring.Role) url.Values {
	v := url.Values{}
	v.Set("title", role.Title)
	if role.Family != nil && role.Family.DepartmentID != nil {
		v.Set("department_id", itoa(*role.Family.DepartmentID))
	}
	v.Set("teams", "1")
	v.Set("employment_type", string(hiring.FullTime))
	v.Set("pay_period", string(hiring.PerYear))
	v.Set("description", hiring.ComposeDescriptionFor(role, ""))
	v.Set("q_rows", strconv.Itoa(blankQuestionRows))
	return v
}

// openingValues writes an opening into the form's fields.
func openingValues(o *hiring.Opening) url.Values {
	v := url.Values{}
	v.Set("title", o.Title)
	v.Set("specialty", o.Specialty)
	v.Set("department_id", idValue(o.DepartmentID))
	var lines []string
	for _, t := range o.Teams {
		if t.Team == "" {
			lines = append(lines, strconv.Itoa(t.Count))
		} else {
			lines = append(lines, t.Team+": "+strconv.Itoa(t.Count))
		}
	}
	v.Set("teams", strings.Join(lines, "\n"))
	lines = nil
	for _, l := range o.Locations {
		if isRemoteAnywhere(l) {
			v.Set("remote", "on")
			continue
		}
		remote := ""
		if l.Remote {
			remote = "remote"
		}
		lines = append(lines, joinParts(l.Name, l.CountryCode, remote))
	}
	v.Set("locations", strings.Join(lines, "\n"))
	v.Set("employment_type", string(o.EmploymentType))
	v.Set("pay_period", string(hiring.PerYear))
	if o.Pay != nil {
		v.Set("pay_min", amountValue(o.Pay.Min))
		v.Set("pay_max", amountValue(o.Pay.Max))
		v.Set("pay_currency", o.Pay.Currency)
		v.Set("pay_period", string(o.Pay.Period))
	}
	v.Set("target_quarter", o.TargetQuarter)
	v.Set("hiring_manager_id", idValue(o.HiringManagerID))
	v.Set("recruiter_id", idValue(o.RecruiterID))
	v.Set("coordinator_id", idValue(o.CoordinatorID))
	v.Set("description", o.Description)
	for i, q := range o.Questions {
		p := questionPrefix(i)
		v.Set(p+"id", itoa(q.ID))
		v.Set(p+"label", q.Label)
		v.Set(p+"type", string(q.Type))
		v.Set(p+"options", strings.Join(q.Options, "\n"))
		if q.Required {
			v.Set(p+"required", "on")
		}
	}
	v.Set("q_rows", strconv.Itoa(len(o.Questions)+blankQuestionRows))
	return v
}

func idValue(id *int64) string {
	if id == nil {
		return ""
	}
	return itoa(*id)
}

// isRemoteAnywhere reports the location the "Remote anywhere" box stands for.
func isRemoteAnywhere(l hiring.Location) bool {
	return l.Remote && l.CountryCode == "" && strings.EqualFold(l.Name, "Remote")
}

// questionRows reads how many question groups a posted form has.
func questionRows(form url.Values) int {
	n, err := strconv.Atoi(form.Get("q_rows"))
	if err != nil || n < 0 {
		return blankQuestionRows
	}
	return min(n, maxQuestionRows)
}

// openingInput is the opening form, parsed.
type openingInput struct {
	Title, Specialty, RequisitionID, TargetQuarter, Description string
	DepartmentID, HiringManagerID, RecruiterID, CoordinatorID   *int64
	Teams                                                       []hiring.TeamVacancies
	Locations                                                   []hiring.Location
	EmploymentType                                              hiring.EmploymentType
	Pay                                                         *hiring.PayRange
	Questions                                                   []hiring.Question
	// questionRow is the form group each question came from, so that a
	// message about questions[2] lands beside the right group.
	questionRow []int
}

// parseOpeningForm reads the form. What cannot be parsed (a count that is
// not a number, an amount that is not money) is reported in the returned
// Validation under the form's field names; the rest is left to the
// domain's validation.
func parseOpeningForm(form url.Values, rows int) (*openingInput, hiring.Validation) {
	v := hiring.Validation{}
	in := &openingInput{
		Title:          normalizeText(form.Get("title")),
		Specialty:      strings.TrimSpace(form.Get("specialty")),
		RequisitionID:  strings.TrimSpace(form.Get("requisition_id")),
		TargetQuarter:  strings.TrimSpace(form.Get("target_quarter")),
		Description:    normalizeText(form.Get("description")),
		EmploymentType: hiring.EmploymentType(form.Get("employment_type")),
	}
	v.Check(in.Title != "", "title", "Title is required.")
	in.DepartmentID = parseChoice(v, form, "department_id")
	in.HiringManagerID = parseChoice(v, form, "hiring_manager_id")
	in.RecruiterID = parseChoice(v, form, "recruiter_id")
	in.CoordinatorID = parseChoice(v, form, "coordinator_id")
	in.Teams = parseTeams(v, form.Get("teams"))
	in.Locations = parseLocations(v, form.Get("locations"), form.Get("remote") != "")
	in.Pay = parsePay(v, form)
	in.Questions, in.questionRow = parseQuestions(v, form, rows)
	return in, v
}

// parseChoice reads the id chosen in a drop-down; empty is nil.
func parseChoice(v hiring.Validation, form url.Values, name string) *int64 {
	s := strings.TrimSpace(form.Get(name))
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		v.Add(name, "Choose from the list.")
		return nil
	}
	return &n
}

// parseTeams reads "Team: count" lines; a line with only a count is the
// opening's vacancies without a team.
func parseTeams(v hiring.Validation, text string) []hiring.TeamVacancies {
	teams := []hiring.TeamVacancies{}
	ls := lines(text)
	if len(ls) == 0 {
		v.Add("teams", "Give at least one vacancy: a line like “Create: 1”, or just “1”.")
		return teams
	}
	for i, l := range ls {
		team, count := "", l
		if k := strings.LastIndex(l, ":"); k >= 0 {
			team, count = strings.TrimSpace(l[:k]), strings.TrimSpace(l[k+1:])
		}
		n, err := strconv.Atoi(count)
		if err != nil || len(count) > 6 {
			v.Add("teams", fmt.Sprintf("Line %d: write a team and a whole number of vacancies, like “Create: 1”.", i+1))
			continue
		}
		teams = append(teams, hiring.TeamVacancies{Team: team, Count: n})
	}
	return teams
}

// parseLocations reads "place | country code | remote" lines; the box adds
// a location that is remote anywhere.
func parseLocations(v hiring.Validation, text string, remoteAnywhere bool) []hiring.Location {
	locs := []hiring.Location{}
	if remoteAnywhere {
		locs = append(locs, hiring.Location{Name: "Remote", Remote: true})
	}
	for i, l := range lines(text) {
		p := splitParts(l, 3)
		loc := hiring.Location{Name: p[0], CountryCode: p[1]}
		switch strings.ToLower(p[2]) {
		case "":
		case "remote":
			loc.Remote = true
		default:
			v.Add("locations", fmt.Sprintf("Line %d: the third part can only be “remote”.", i+1))
		}
		if isRemoteAnywhere(loc) && remoteAnywhere {
			continue
		}
		locs = append(locs, loc)
	}
	return locs
}

// parsePay reads the pay range; all amounts and the currency empty means
// no pay is stated.
func parsePay(v hiring.Validation, form url.Values) *hiring.PayRange {
	minS, maxS := strings.TrimSpace(form.Get("pay_min")), strings.TrimSpace(form.Get("pay_max"))
	cur := strings.TrimSpace(form.Get("pay_currency"))
	if minS == "" && maxS == "" && cur == "" {
		return nil
	}
	if minS == "" || maxS == "" || cur == "" {
		v.Add("pay", "Give the lowest and the highest pay and the currency, or leave all three empty.")
		return nil
	}
	lo, okLo := parseAmount(minS)
	hi, okHi := parseAmount(maxS)
	v.Check(okLo, "pay_min", "Write an amount like 85000 or 12.25.")
	v.Check(okHi, "pay_max", "Write an amount like 85000 or 12.25.")
	if !okLo || !okHi {
		return nil
	}
	return &hiring.PayRange{Min: lo, Max: hi, Currency: cur, Period: hiring.PayPeriod(form.Get("pay_period"))}
}

var (
	plainAmount   = regexp.MustCompile(`^[0-9]{1,12}(?:\.[0-9]{1,2})?$`)
	groupedAmount = regexp.MustCompile(`^[0-9]{1,3}(?:,[0-9]{3}){1,3}(?:\.[0-9]{1,2})?$`)
)

// parseAmount reads "85000", "85,000" or "12.25" into hundredths.
func parseAmount(s string) (int64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	switch {
	case groupedAmount.MatchString(s):
		s = strings.ReplaceAll(s, ",", "")
	case !plainAmount.MatchString(s):
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

// amountValue writes hundredths as a form value: "85000" or "12.25".
func amountValue(n int64) string {
	if n%100 == 0 {
		return strconv.FormatInt(n/100, 10)
	}
	return fmt.Sprintf("%d.%02d", n/100, n%100)
}

// parseQuestions reads the question groups. Blank new groups are skipped;
// ticked "remove" boxes drop their questions.
func parseQuestions(v hiring.Validation, form url.Values, rows int) ([]hiring.Question, []int) {
	qs := []hiring.Question{}
	var from []int
	for i := range rows {
		p := questionPrefix(i)
		var id int64
		if s := strings.TrimSpace(form.Get(p + "id")); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 1 {
				v.Add(p+"label", "This question could not be read; reload the page and try again.")
				continue
			}
			id = n
		}
		label := normalizeText(form.Get(p + "label"))
		options := lines(form.Get(p + "options"))
		if form.Get(p+"remove") != "" || (id == 0 && label == "" && len(options) == 0) {
			continue
		}
		t := hiring.QuestionType(form.Get(p + "type"))
		if t == "" {
			t = hiring.ShortText
		}
		if !t.HasOptions() && len(options) > 0 && t.Valid() {
			v.Add(p+"options", "Only a choice from a list has options; choose that answer, or clear the options.")
		}
		qs = append(qs, hiring.Question{ID: id, Label: label, Type: t, Required: form.Get(p+"required") != "",
			Options: options})
		from = append(from, i)
	}
	return qs, from
}

var questionKey = regexp.MustCompile(`^questions\[(\d+)\]\.(\w+)$`)

// formError moves the domain's messages about questions ("questions[2].label")
// onto the form group the question came from ("q4_label").
func (in *openingInput) formError(err error) error {
	fields := hiring.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := hiring.Validation{}
	for k, msg := range fields {
		if m := questionKey.FindStringSubmatch(k); m != nil {
			i, _ := strconv.Atoi(m[1])
			part := m[2]
			if part != "type" && part != "options" {
				part = "label"
			}
			if i < len(in.questionRow) {
				out.Add(questionPrefix(in.questionRow[i])+part, msg)
				continue
			}
		}
		out.Add(k, msg)
	}
	e := out.Err().(*hiring.Error)
	e.Code = hiring.ErrorCode(err)
	return e
}

// newOpening turns the form into a new opening of role.
func (in *openingInput) newOpening(role *hiring.Role) hiring.NewOpening {
	desc := in.Description
	// An untouched description is composed again by the store, so that it
	// takes in the specialty chosen.
	if desc == normalizeText(hiring.ComposeDescriptionFor(role, "")) {
		desc = ""
	}
	return hiring.NewOpening{
		RoleID: role.ID, RequisitionID: in.RequisitionID, Specialty: in.Specialty, Title: in.Title,
		DepartmentID: in.DepartmentID, Teams: in.Teams, Locations: in.Locations,
		EmploymentType: in.EmploymentType, Pay: in.Pay, TargetQuarter: in.TargetQuarter,
		HiringManagerID: in.HiringManagerID, RecruiterID: in.RecruiterID, CoordinatorID: in.CoordinatorID,
		Description: desc, Questions: in.Questions,
	}
}

// update turns the form into a full update; an empty choice removes the
// department or person.
func (in *openingInput) update() hiring.OpeningUpdate {
	orZero := func(id *int64) *int64 {
		if id == nil {
			var zero int64
			return &zero
		}
		return id
	}
	u := hiring.OpeningUpdate{
		Title: &in.Title, Specialty: &in.Specialty, DepartmentID: orZero(in.DepartmentID),
		Teams: &in.Teams, Locations: &in.Locations, EmploymentType: &in.EmploymentType,
		Pay: in.Pay, ClearPay: in.Pay == nil, TargetQuarter: &in.TargetQuarter,
		HiringManagerID: orZero(in.HiringManagerID), RecruiterID: orZero(in.RecruiterID),
		CoordinatorID: orZero(in.CoordinatorID), Description: &in.Description, Questions: &in.Questions,
	}
	return u
}

// questionGroup is one question's fields, for the template.
type questionGroup struct {
	Number   int
	Existing bool
	ID       fieldView
	Label    fieldView
	Type     fieldView
	Options  fieldView
	Required fieldView
	Remove   fieldView
}

// questionGroups lays out the question fields of a form with rows groups.
func questionGroups(f *form, rows int) []questionGroup {
	out := make([]questionGroup, rows)
	for i := range rows {
		p := questionPrefix(i)
		g := questionGroup{Number: i + 1, ID: f.Field(p + "id"), Label: f.Field(p + "label"),
			Type: f.Field(p + "type"), Options: f.Field(p + "options"), Required: f.Field(p + "required"),
			Remove: f.Field(p + "remove")}
		g.Existing = g.ID.Value != ""
		out[i] = g
	}
	return out
}
