package hiring

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Openings.
//
// An opening (a requisition) is made from a role of the catalog and holds
// one or more vacancies: seats to fill, each counted against a team
// ("Create: 1, Plan: 2"). Every vacancy has a code made of the opening's
// requisition id and a number that is never reused ("1001-1", "1001-2"), so a
// code written in a spreadsheet or an offer letter always means the same
// seat. When a team's count goes down, open seats of that team are closed,
// newest first; a filled seat is never closed, so a count cannot go below
// the seats already filled.
//
// Pay is kept in hundredths of the currency's main unit for every currency,
// whatever its ISO 4217 minor unit: 85000.00 EUR a year is 8500000, 12.25
// USD an hour is 1225. One rule for all currencies keeps arithmetic exact
// (hourly rates go in steps of 0.25) and needs no table of minor units.

// OpeningStatus is where an opening is in its life.
type OpeningStatus string

// Opening statuses. A draft is seen only by staff; an open opening is
// published and takes applications; a closed one takes none.
const (
	OpeningDraft  OpeningStatus = "draft"
	OpeningOpen   OpeningStatus = "open"
	OpeningClosed OpeningStatus = "closed"
)

// Valid reports whether s is a known status.
func (s OpeningStatus) Valid() bool {
	return s == OpeningDraft || s == OpeningOpen || s == OpeningClosed
}

// CanMoveTo reports whether an opening may go from s to next: a draft is
// opened, an open opening is closed, and a closed one may be opened again.
// Nothing goes back to draft, because a published job has been seen.
func (s OpeningStatus) CanMoveTo(next OpeningStatus) bool {
	switch s {
	case OpeningDraft:
		return next == OpeningOpen
	case OpeningOpen:
		return next == OpeningClosed
	case OpeningClosed:
		return next == OpeningOpen
	}
	return false
}

// EmploymentType says on what terms the person hired will work.
type EmploymentType string

// Employment types, named as schema.org JobPosting names them in upper case.
const (
	FullTime   EmploymentType = "full_time"
	PartTime   EmploymentType = "part_time"
	Contract   EmploymentType = "contract"
	Temporary  EmploymentType = "temporary"
	Internship EmploymentType = "internship"
)

// EmploymentTypes lists every employment type in the order forms show them.
var EmploymentTypes = []EmploymentType{FullTime, PartTime, Contract, Temporary, Internship}

// Valid reports whether t is a known employment type.
func (t EmploymentType) Valid() bool {
	for _, k := range EmploymentTypes {
		if t == k {
			return true
		}
	}
	return false
}

// Label is the type as people read it.
func (t EmploymentType) Label() string {
	switch t {
	case FullTime:
		return "Full-time"
	case PartTime:
		return "Part-time"
	case Contract:
		return "Contract"
	case Temporary:
		return "Temporary"
	case Internship:
		return "Internship"
	}
	return string(t)
}

// PayPeriod is what a pay amount is paid for.
type PayPeriod string

// Pay periods.
const (
	PerYear PayPeriod = "year"
	PerHour PayPeriod = "hour"
)

// PayRange is the pay an opening states, in hundredths of the currency's
// main unit (see the note on openings above).
type PayRange struct {
	Min int64 `json:"min"`
	Max int64 `json:"max"`
	// Currency is an ISO 4217 code in upper case, such as EUR.
	Currency string    `json:"currency"`
	Period   PayPeriod `json:"period"`
}

// TeamVacancies is how many seats an opening holds for one team. Team may be
// empty for an opening that is not split by team.
type TeamVacancies struct {
	Team  string `json:"team"`
	Count int    `json:"count"`
}

// VacancyStatus is the state of one seat.
type VacancyStatus string

// Vacancy statuses: open seats wait for a hire; a filled seat has one; a
// closed seat was removed when its team's count went down.
const (
	VacancyOpen   VacancyStatus = "open"
	VacancyFilled VacancyStatus = "filled"
	VacancyClosed VacancyStatus = "closed"
)

// Vacancy is one seat of an opening.
type Vacancy struct {
	ID        int64 `json:"id"`
	OpeningID int64 `json:"opening_id"`
	// Number counts the opening's seats from 1 and is never reused.
	Number int `json:"number"`
	// Code is the requisition id and the number: "1001-2".
	Code      string        `json:"code"`
	Team      string        `json:"team"`
	Status    VacancyStatus `json:"status"`
	FilledAt  *time.Time    `json:"filled_at"`
	ClosedAt  *time.Time    `json:"closed_at"`
	CreatedAt time.Time     `json:"created_at"`
}

// VacancyCode is the code of a seat of a requisition.
func VacancyCode(requisitionID string, number int) string {
	return requisitionID + "-" + strconv.Itoa(number)
}

// Location is a place an opening may be done from: a country, a region or a
// city, or anywhere when Remote is set and no country is given.
type Location struct {
	Name string `json:"name"`
	// CountryCode is an ISO 3166-1 alpha-2 code, or "" for anywhere.
	CountryCode string `json:"country_code"`
	Remote      bool   `json:"remote"`
}

// QuestionType is the kind of answer a question takes.
type QuestionType string

// Question types.
const (
	ShortText    QuestionType = "short_text"
	LongText     QuestionType = "long_text"
	YesNo        QuestionType = "yes_no"
	SingleSelect QuestionType = "single_select"
	MultiSelect  QuestionType = "multi_select"
	FileQuestion QuestionType = "file"
)

// QuestionTypes lists every question type in the order forms show them.
var QuestionTypes = []QuestionType{ShortText, LongText, YesNo, SingleSelect, MultiSelect, FileQuestion}

// Valid reports whether t is a known question type.
func (t QuestionType) Valid() bool {
	for _, k := range QuestionTypes {
		if t == k {
			return true
		}
	}
	return false
}

// Label is the type as people read it.
func (t QuestionType) Label() string {
	switch t {
	case ShortText:
		return "Short text"
	case LongText:
		return "Long text"
	case YesNo:
		return "Yes or no"
	case SingleSelect:
		return "One choice from a list"
	case MultiSelect:
		return "Several choices from a list"
	case FileQuestion:
		return "A file"
	}
	return string(t)
}

// HasOptions reports whether answers are chosen from the question's options.
func (t QuestionType) HasOptions() bool { return t == SingleSelect || t == MultiSelect }

// Question is a custom question of an opening's application form.
type Question struct {
	// ID is given by the store, unique within the opening and never reused,
	// so an answer keeps pointing at the question it answered. A form field
	// for it is named "question_{id}", as in the Greenhouse job board API.
	ID       int64        `json:"id"`
	Label    string       `json:"label"`
	Type     QuestionType `json:"type"`
	Required bool         `json:"required"`
	// Options are the choices of a select question, in order.
	Options []string `json:"options"`
}

// FieldName is the form field of the question.
func (q Question) FieldName() string { return QuestionField(q.ID) }

// QuestionField names the form field of question id: "question_12".
func QuestionField(id int64) string { return "question_" + strconv.FormatInt(id, 10) }

// Opening is a requisition: vacancies to fill for one role.
type Opening struct {
	ID int64 `json:"id"`
	// RequisitionID is the company's own reference, unique: "1001".
	RequisitionID string `json:"requisition_id"`
	RoleID        int64  `json:"role_id"`
	// Role is filled in by FindOpeningByID, with its family.
	Role *Role `json:"role,omitempty"`
	// Specialty names one of the role's specialties, or is empty.
	Specialty    string          `json:"specialty"`
	Title        string          `json:"title"`
	DepartmentID *int64          `json:"department_id"`
	Department   *Department     `json:"department,omitempty"`
	Teams        []TeamVacancies `json:"teams"`
	// Vacancies is filled in by FindOpeningByID: every seat ever made,
	// closed ones included, by number.
	Vacancies      []*Vacancy     `json:"vacancies,omitempty"`
	Locations      []Location     `json:"locations"`
	EmploymentType EmploymentType `json:"employment_type"`
	// Pay is nil when the opening states no pay.
	Pay    *PayRange     `json:"pay"`
	Status OpeningStatus `json:"status"`
	// OpenedAt is when the opening was last opened: it is the posted date.
	OpenedAt *time.Time `json:"opened_at"`
	ClosedAt *time.Time `json:"closed_at"`
	// TargetQuarter is the quarter of the hiring plan the opening counts
	// against ("2026-Q4"); empty means the quarter in which it was opened.
	TargetQuarter   string `json:"target_quarter"`
	HiringManagerID *int64 `json:"hiring_manager_id"`
	RecruiterID     *int64 `json:"recruiter_id"`
	CoordinatorID   *int64 `json:"coordinator_id"`
	// Description is Markdown, composed from the role when the opening is
	// made and edited freely afterwards.
	Description string     `json:"description"`
	Questions   []Question `json:"questions"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// TotalVacancies is the number of seats the teams ask for.
func (o *Opening) TotalVacancies() int {
	n := 0
	for _, t := range o.Teams {
		n += t.Count
	}
	return n
}

// Remote reports whether the opening may be done remotely.
func (o *Opening) Remote() bool {
	for _, l := range o.Locations {
		if l.Remote {
			return true
		}
	}
	return false
}

// PlanQuarter is the quarter of the hiring plan the opening counts against:
// its target quarter, or the quarter it was opened in, or "" for a draft
// without a target.
func (o *Opening) PlanQuarter() string {
	if o.TargetQuarter != "" {
		return o.TargetQuarter
	}
	if o.OpenedAt != nil {
		return QuarterOf(*o.OpenedAt)
	}
	return ""
}

// Question returns the opening's question with the id, or nil.
func (o *Opening) Question(id int64) *Question {
	for i := range o.Questions {
		if o.Questions[i].ID == id {
			return &o.Questions[i]
		}
	}
	return nil
}

// NewOpening holds what is needed to make an opening from a role. Only
// RoleID is required: the rest defaults from the role (title, department,
// description) or to one full-time seat without a team.
type NewOpening struct {
	RoleID int64 `json:"role_id"`
	// RequisitionID is assigned from a sequence starting at 1001 when empty.
	RequisitionID   string          `json:"requisition_id"`
	Specialty       string          `json:"specialty"`
	Title           string          `json:"title"`
	DepartmentID    *int64          `json:"department_id"`
	Teams           []TeamVacancies `json:"teams"`
	Locations       []Location      `json:"locations"`
	EmploymentType  EmploymentType  `json:"employment_type"`
	Pay             *PayRange       `json:"pay"`
	TargetQuarter   string          `json:"target_quarter"`
	HiringManagerID *int64          `json:"hiring_manager_id"`
	RecruiterID     *int64          `json:"recruiter_id"`
	CoordinatorID   *int64          `json:"coordinator_id"`
	// Description replaces the one composed from the role when not empty.
	Description string     `json:"description"`
	Questions   []Question `json:"questions"`
}

// Validate checks a new opening and fills in the defaults that need no
// role: one seat, full-time.
func (n *NewOpening) Validate() error {
	v := Validation{}
	n.RequisitionID = strings.TrimSpace(n.RequisitionID)
	n.Specialty = strings.TrimSpace(n.Specialty)
	n.Title = strings.TrimSpace(n.Title)
	if n.RoleID <= 0 {
		v.Add("role_id", "Choose the role this opening is for.")
	}
	if n.RequisitionID != "" && !ValidRequisitionID(n.RequisitionID) {
		v.Add("requisition_id", "Use 1 to 40 letters, digits, dots, dashes or underscores.")
	}
	checkString(v, "specialty", n.Specialty, false, MaxTitleLen)
	checkString(v, "title", n.Title, false, MaxTitleLen)
	if len(n.Teams) == 0 {
		n.Teams = []TeamVacancies{{Count: 1}}
	}
	if n.EmploymentType == "" {
		n.EmploymentType = FullTime
	}
	u := OpeningUpdate{
		Teams: &n.Teams, Locations: &n.Locations, EmploymentType: &n.EmploymentType,
		Pay: n.Pay, TargetQuarter: &n.TargetQuarter, Description: &n.Description, Questions: &n.Questions,
	}
	for k, msg := range u.validation() {
		v.Add(k, msg)
	}
	for field, id := range map[string]*int64{"department_id": n.DepartmentID,
		"hiring_manager_id": n.HiringManagerID, "recruiter_id": n.RecruiterID, "coordinator_id": n.CoordinatorID} {
		if id != nil && *id <= 0 {
			v.Add(field, "This is not a valid id.")
		}
	}
	return v.Err()
}

// OpeningUpdate holds the editable fields of an opening; nil means
// unchanged. The requisition id and the role never change, so that codes on
// paper keep their meaning. For the ids of people and the department, 0
// removes the value.
type OpeningUpdate struct {
	Title          *string          `json:"title"`
	Specialty      *string          `json:"specialty"`
	DepartmentID   *int64           `json:"department_id"`
	Teams          *[]TeamVacancies `json:"teams"`
	Locations      *[]Location      `json:"locations"`
	EmploymentType *EmploymentType  `json:"employment_type"`
	// Pay sets the pay range; ClearPay removes it.
	Pay             *PayRange   `json:"pay"`
	ClearPay        bool        `json:"clear_pay"`
	TargetQuarter   *string     `json:"target_quarter"`
	HiringManagerID *int64      `json:"hiring_manager_id"`
	RecruiterID     *int64      `json:"recruiter_id"`
	CoordinatorID   *int64      `json:"coordinator_id"`
	Description     *string     `json:"description"`
	Questions       *[]Question `json:"questions"`
}

// Limits on openings.
const (
	MaxTeams          = 50
	MaxTeamVacancies  = 100
	MaxLocations      = 50
	MaxQuestions      = 50
	MaxOptions        = 100
	MaxQuestionLabel  = 500
	MaxDescriptionLen = 100000
	// MaxPay is a billion in hundredths: no salary is near it, and it keeps
	// sums far from overflow.
	MaxPay = 100_000_000_000
)

// Validate checks an update before it is stored; it trims names and puts
// codes in upper case.
func (u OpeningUpdate) Validate() error { return u.validation().Err() }

func (u OpeningUpdate) validation() Validation {
	v := Validation{}
	if u.Title != nil {
		*u.Title = strings.TrimSpace(*u.Title)
		checkString(v, "title", *u.Title, true, MaxTitleLen)
	}
	if u.Specialty != nil {
		*u.Specialty = strings.TrimSpace(*u.Specialty)
		checkString(v, "specialty", *u.Specialty, false, MaxTitleLen)
	}
	for field, id := range map[string]*int64{"department_id": u.DepartmentID,
		"hiring_manager_id": u.HiringManagerID, "recruiter_id": u.RecruiterID, "coordinator_id": u.CoordinatorID} {
		if id != nil && *id < 0 {
			v.Add(field, "This is not a valid id.")
		}
	}
	if u.Teams != nil {
		validateTeams(v, *u.Teams)
	}
	if u.Locations != nil {
		validateLocations(v, *u.Locations)
	}
	if u.EmploymentType != nil && !u.EmploymentType.Valid() {
		v.Add("employment_type", "Choose one of: full_time, part_time, contract, temporary, internship.")
	}
	if u.Pay != nil {
		if u.ClearPay {
			v.Add("pay", "Give a pay range or clear it, not both.")
		}
		validatePay(v, u.Pay)
	}
	if u.TargetQuarter != nil {
		*u.TargetQuarter = strings.ToUpper(strings.TrimSpace(*u.TargetQuarter))
		if *u.TargetQuarter != "" && !ValidQuarter(*u.TargetQuarter) {
			v.Add("target_quarter", "Write a quarter like 2026-Q4.")
		}
	}
	if u.Description != nil {
		checkString(v, "description", *u.Description, false, MaxDescriptionLen)
	}
	if u.Questions != nil {
		validateQuestions(v, *u.Questions)
	}
	return v
}

func validateTeams(v Validation, teams []TeamVacancies) {
	if len(teams) == 0 {
		v.Add("teams", "An opening needs at least one vacancy.")
		return
	}
	if len(teams) > MaxTeams {
		v.Add("teams", fmt.Sprintf("At most %d teams.", MaxTeams))
		return
	}
	seen := map[string]bool{}
	for i := range teams {
		t := &teams[i]
		t.Team = strings.TrimSpace(t.Team)
		checkString(v, "teams", t.Team, false, MaxTitleLen)
		key := strings.ToLower(t.Team)
		if seen[key] {
			v.Add("teams", fmt.Sprintf("The team %q is listed twice.", t.Team))
		}
		seen[key] = true
		if t.Count < 1 || t.Count > MaxTeamVacancies {
			v.Add("teams", fmt.Sprintf("Each team needs from 1 to %d vacancies.", MaxTeamVacancies))
		}
	}
	if len(teams) > 1 && seen[""] {
		v.Add("teams", "Name every team when vacancies are split between teams.")
	}
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

func validateLocations(v Validation, locs []Location) {
	if len(locs) > MaxLocations {
		v.Add("locations", fmt.Sprintf("At most %d locations.", MaxLocations))
		return
	}
	for i := range locs {
		l := &locs[i]
		l.Name = strings.TrimSpace(l.Name)
		l.CountryCode = strings.ToUpper(strings.TrimSpace(l.CountryCode))
		if l.Name == "" && l.Remote {
			l.Name = "Remote"
		}
		checkString(v, "locations", l.Name, true, MaxTitleLen)
		if l.CountryCode != "" && !countryCode.MatchString(l.CountryCode) {
			v.Add("locations", "A country code has two letters, like DE or US.")
		}
	}
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func validatePay(v Validation, p *PayRange) {
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	switch {
	case !currencyCode.MatchString(p.Currency):
		v.Add("pay", "The currency is a three-letter code, like EUR or USD.")
	case p.Period != PerYear && p.Period != PerHour:
		v.Add("pay", "Pay is per year or per hour.")
	case p.Min <= 0 || p.Max <= 0 || p.Min > MaxPay || p.Max > MaxPay:
		v.Add("pay", "Pay must be a positive amount.")
	case p.Min > p.Max:
		v.Add("pay", "The lowest pay cannot be above the highest.")
	}
}

func validateQuestions(v Validation, qs []Question) {
	if len(qs) > MaxQuestions {
		v.Add("questions", fmt.Sprintf("At most %d questions.", MaxQuestions))
		return
	}
	ids := map[int64]bool{}
	for i := range qs {
		q := &qs[i]
		field := fmt.Sprintf("questions[%d]", i)
		q.Label = strings.TrimSpace(q.Label)
		checkString(v, field+".label", q.Label, true, MaxQuestionLabel)
		if !q.Type.Valid() {
			v.Add(field+".type", "Choose one of: short_text, long_text, yes_no, single_select, multi_select, file.")
		}
		if q.ID < 0 || (q.ID > 0 && ids[q.ID]) {
			v.Add(field+".id", "This question id is not valid.")
		}
		ids[q.ID] = q.ID > 0
		if !q.Type.HasOptions() {
			q.Options = nil
			continue
		}
		if len(q.Options) == 0 || len(q.Options) > MaxOptions {
			v.Add(field+".options", fmt.Sprintf("A choice question needs from 1 to %d options.", MaxOptions))
		}
		seen := map[string]bool{}
		for j, o := range q.Options {
			o = strings.TrimSpace(o)
			q.Options[j] = o
			checkString(v, field+".options", o, true, MaxTitleLen)
			if seen[o] {
				v.Add(field+".options", fmt.Sprintf("The option %q is listed twice.", o))
			}
			seen[o] = true
		}
	}
}

var requisitionID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// ValidRequisitionID reports whether s may be a requisition id.
func ValidRequisitionID(s string) bool { return requisitionID.MatchString(s) }

// checkString is checkText that also refuses text that is not UTF-8, which
// PostgreSQL would refuse with an error nobody could read.
func checkString(v Validation, field, s string, required bool, max int) {
	if !utf8.ValidString(s) {
		v.Add(field, "This contains characters that are not readable text.")
		return
	}
	checkText(v, field, s, required, max)
}

// OpeningFilter narrows an opening listing.
type OpeningFilter struct {
	ID     *int64
	RoleID *int64
	Status *OpeningStatus
	// DepartmentID includes the openings of its sub-departments.
	DepartmentID *int64
	// Location matches a location's name or country code, ignoring case.
	Location string
	// Remote keeps openings that may (true) or may not (false) be remote.
	Remote *bool
	// Query matches titles, case-insensitively, anywhere in the title.
	Query string
	// HiringManagerID keeps the openings this user is the hiring manager of.
	HiringManagerID *int64
	// Newest orders by posted date, newest first, instead of by department
	// and title (the careers-site order).
	Newest bool
	Offset int
	Limit  int
}

// OpeningService makes, finds and edits openings.
type OpeningService interface {
	// CreateOpening makes a draft opening from a role.
	CreateOpening(ctx context.Context, n NewOpening) (*Opening, error)
	// FindOpeningByID returns the opening with its role, department and
	// vacancies.
	FindOpeningByID(ctx context.Context, id int64) (*Opening, error)
	// FindOpenings returns a page of openings with their departments (not
	// roles or vacancies) and the total count that matched.
	FindOpenings(ctx context.Context, filter OpeningFilter) ([]*Opening, int, error)
	// UpdateOpening changes the fields upd sets; changed teams add or close
	// vacancies.
	UpdateOpening(ctx context.Context, id int64, upd OpeningUpdate) (*Opening, error)
	// SetOpeningStatus moves the opening as OpeningStatus.CanMoveTo allows.
	SetOpeningStatus(ctx context.Context, id int64, status OpeningStatus) (*Opening, error)
}

// ComposeDescription writes an opening's Markdown description from its role:
// the summary, then responsibilities, requirements, nice-to-haves and the
// hiring process with durations, so candidates know what is coming.
func ComposeDescription(role *Role) string { return ComposeDescriptionFor(role, "") }

// ComposeDescriptionFor is ComposeDescription with a section on one of the
// role's specialties, when specialty names one.
func ComposeDescriptionFor(role *Role, specialty string) string {
	if role == nil {
		return ""
	}
	var b strings.Builder
	para := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			b.WriteString(s)
			b.WriteString("\n\n")
		}
	}
	list := func(heading string, items []string) {
		if len(items) == 0 {
			return
		}
		b.WriteString("## " + heading + "\n\n")
		for _, it := range items {
			b.WriteString("- " + oneLine(it) + "\n")
		}
		b.WriteString("\n")
	}
	para(role.Summary)
	for _, s := range role.Specialties {
		if specialty != "" && strings.EqualFold(s.Name, specialty) {
			b.WriteString("## " + oneLine(s.Name) + "\n\n")
			para(s.Description)
		}
	}
	list("Responsibilities", role.Responsibilities)
	list("Requirements", role.Requirements)
	list("Nice-to-haves", role.NiceToHaves)
	if len(role.HiringProcess) > 0 {
		b.WriteString("## " + processHeading + "\n\n")
		for i, s := range role.HiringProcess {
			line := oneLine(s.Name)
			if s.Minutes > 0 {
				line += fmt.Sprintf(" (%d minutes)", s.Minutes)
			}
			if s.Who != "" {
				line += ", with " + oneLine(s.Who)
			}
			fmt.Fprintf(&b, "%d. %s\n", i+1, line)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// processHeading titles the section of a composed description that lists
// the hiring process.
const processHeading = "Hiring process"

// DescriptionWithoutProcess returns a Markdown description without its
// hiring-process section: a heading titled "Hiring process", at any level,
// and everything under it up to the next heading of the same or a higher
// level. Pages that list the role's steps on their own use it, so that
// candidates read the process once; the stored description keeps the
// section for staff to edit. Headings inside fenced code are text, and a
// description without the section comes back unchanged.
func DescriptionWithoutProcess(desc string) string {
	lines := strings.SplitAfter(desc, "\n")
	var b strings.Builder
	fence, skipLevel, found := "", 0, false
	for _, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if fence != "" {
			if indent < 4 && strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
		} else if indent < 4 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			fence = trimmed[:3]
		} else if level, text := atxHeading(line); level > 0 {
			if skipLevel > 0 && level <= skipLevel {
				skipLevel = 0
			}
			if skipLevel == 0 && strings.EqualFold(text, processHeading) {
				skipLevel, found = level, true
			}
		}
		if skipLevel == 0 {
			b.WriteString(line)
		}
	}
	if !found {
		return desc
	}
	out := strings.TrimRight(b.String(), "\r\n")
	if out == "" {
		return ""
	}
	return out + "\n"
}

// atxHeading returns the level and text of a Markdown "# Heading" line, or
// 0 when the line is not one.
func atxHeading(line string) (int, string) {
	line = strings.TrimRight(line, "\r\n")
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 {
		return 0, ""
	}
	level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
	rest := trimmed[level:]
	if level == 0 || level > 6 || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return 0, ""
	}
	text := strings.TrimSpace(rest)
	if closing := strings.TrimRight(text, "#"); closing == "" || strings.HasSuffix(closing, " ") {
		text = strings.TrimSpace(closing)
	}
	return level, oneLine(text)
}

// oneLine keeps a list item on its line of Markdown.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
