package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// Hiring is what LoadOpenings works with: the services of a running
// hireloop, so the demo's openings and applications go through the same
// rules as anyone's.
type Hiring struct {
	Roles        hiring.RoleService
	Departments  hiring.DepartmentService
	Openings     hiring.OpeningService
	Plans        hiring.PlanService
	Applications hiring.ApplicationService
	Users        hiring.UserService
	// InterviewPlans gives each opening its plan: a shipped template or
	// the hiring process of its role's page.
	InterviewPlans hiring.InterviewPlanService
	// Pipeline, Interviews and Messages play the demo's history: moves,
	// interviews and their outcomes, rejections and messages.
	Pipeline   hiring.PipelineService
	Interviews hiring.InterviewService
	Messages   hiring.MessageService
	// Profiles sets the job titles and profile links that candidates see
	// of the demo accounts who interview them.
	Profiles ProfileSetter
	// Clock must be the store's clock: the history is played on the days
	// it happened by setting it (see Clock).
	Clock *Clock
	// Now places the hiring plan in the current and next quarter and is
	// the present the history leads up to; nil means the Clock's present.
	Now func() time.Time
}

// ProfileSetter sets what candidates see of a user besides their name.
type ProfileSetter interface {
	SetUserProfile(ctx context.Context, id int64, p hiring.UserProfile) error
}

// openingSpec is a demo opening, made from a catalog role found by title.
type openingSpec struct {
	requisition string
	role        string
	specialty   string
	title       string
	teams       []hiring.TeamVacancies
	locations   []hiring.Location
	employment  hiring.EmploymentType
	pay         *hiring.PayRange
	questions   []hiring.Question
	status      hiring.OpeningStatus
	// plan is the key of the shipped template the opening's interview plan
	// is copied from; "" makes the plan from the role's page.
	plan string
	// nextQuarter counts the opening against next quarter's plan.
	nextQuarter bool
}

// Places the demo openings may be done from.
var (
	anywhere = hiring.Location{Name: "Remote, anywhere", Remote: true}
	emea     = []hiring.Location{
		{Name: "Remote, Germany", CountryCode: "DE", Remote: true},
		{Name: "Remote, Netherlands", CountryCode: "NL", Remote: true},
		{Name: "Remote, Portugal", CountryCode: "PT", Remote: true},
		{Name: "Remote, Poland", CountryCode: "PL", Remote: true},
	}
	northAmerica = []hiring.Location{
		{Name: "Remote, United States", CountryCode: "US", Remote: true},
		{Name: "Remote, Canada", CountryCode: "CA", Remote: true},
	}
)

func yearly(min, max int64, currency string) *hiring.PayRange {
	return &hiring.PayRange{Min: min * 100, Max: max * 100, Currency: currency, Period: hiring.PerYear}
}

func teams(pairs ...any) []hiring.TeamVacancies {
	var out []hiring.TeamVacancies
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, hiring.TeamVacancies{Team: pairs[i].(string), Count: pairs[i+1].(int)})
	}
	return out
}

// openingSpecs are the demo's openings: most open, one draft, one closed,
// across Engineering, Product and People.
func openingSpecs() []openingSpec {
	return []openingSpec{
		{
			requisition: "1001", role: "Senior Backend Engineer", plan: "backend", specialty: "Search", title: "Senior Backend Engineer, Search",
			teams: teams("Create", 1, "Plan", 2), locations: []hiring.Location{anywhere},
			pay: yearly(92000, 128000, "EUR"), status: hiring.OpeningOpen,
			questions: []hiring.Question{
				{Label: "Can you work at least four hours between 09:00 and 17:00 UTC?", Type: hiring.YesNo, Required: true},
				{Label: "Which search engines have you run in production?", Type: hiring.MultiSelect,
					Options: []string{"PostgreSQL full-text", "Elasticsearch or OpenSearch", "Solr", "Meilisearch", "None yet"}},
			},
		},
		{
			requisition: "1002", role: "Backend Engineer (Intermediate)", plan: "backend", specialty: "Pipelines", title: "Backend Engineer, Pipelines",
			teams: teams("Verify", 2, "Release", 1), locations: emea,
			pay: yearly(68000, 90000, "EUR"), status: hiring.OpeningOpen,
			questions: []hiring.Question{
				{Label: "Which CI system do you know best, and what did you change in it?", Type: hiring.LongText},
			},
		},
		{
			requisition: "1003", role: "Staff Backend Engineer", plan: "infrastructure",
			teams: teams("Data Stores", 1), locations: []hiring.Location{anywhere}, status: hiring.OpeningOpen,
		},
		{
			requisition: "1004", role: "Frontend Engineer (Intermediate)", plan: "backend", title: "Frontend Engineer",
			teams: teams("Create", 1, "Manage", 1), locations: northAmerica,
			pay: yearly(118000, 146000, "USD"), status: hiring.OpeningOpen,
			questions: []hiring.Question{
				{Label: "A link to an interface you built and are proud of", Type: hiring.ShortText, Required: true},
			},
		},
		{
			requisition: "1005", role: "Senior Site Reliability Engineer", plan: "infrastructure", specialty: "Databases", title: "Senior Site Reliability Engineer, Databases",
			teams: teams("Reliability", 2), locations: []hiring.Location{anywhere},
			pay: yearly(98000, 134000, "EUR"), status: hiring.OpeningOpen,
		},
		{
			requisition: "1006", role: "Engineering Manager", plan: "infrastructure",
			teams: teams("Create", 1), locations: []hiring.Location{anywhere},
			status: hiring.OpeningDraft, nextQuarter: true,
		},
		{
			requisition: "1007", role: "Senior Product Designer",
			teams: teams("Plan", 1, "Create", 1), locations: []hiring.Location{anywhere},
			pay: yearly(85000, 112000, "EUR"), status: hiring.OpeningOpen,
			questions: []hiring.Question{
				{Label: "Where can we see your portfolio?", Type: hiring.ShortText, Required: true},
			},
		},
		{
			requisition: "1008", role: "Product Manager", specialty: "Delivery",
			teams: teams("Verify", 1), locations: emea, status: hiring.OpeningOpen,
		},
		{
			requisition: "1009", role: "Principal Product Manager",
			teams: teams("Plan", 1), locations: []hiring.Location{anywhere}, status: hiring.OpeningClosed,
		},
		{
			requisition: "1010", role: "Senior Recruiter", specialty: "Technical Recruiting", title: "Senior Technical Recruiter",
			teams: teams("Talent Acquisition", 1), locations: []hiring.Location{anywhere},
			pay: yearly(72000, 94000, "EUR"), status: hiring.OpeningOpen,
		},
		{
			requisition: "1011", role: "Candidate Experience Specialist",
			teams: teams("Talent Acquisition", 2), locations: northAmerica, employment: hiring.PartTime,
			pay:    &hiring.PayRange{Min: 2800, Max: 3450, Currency: "USD", Period: hiring.PerHour},
			status: hiring.OpeningOpen, nextQuarter: true,
			questions: []hiring.Question{
				{Label: "Which time zone will you work from?", Type: hiring.SingleSelect, Required: true,
					Options: []string{"Pacific", "Mountain", "Central", "Eastern", "Atlantic"}},
			},
		},
	}
}

// planSpec is a line of the demo's hiring plan; department is a slug.
type planSpec struct {
	department, team string
	next             bool
	planned          int
}

func planSpecs() []planSpec {
	return []planSpec{
		{"engineering/development", "Create", false, 3},
		{"engineering/development", "Plan", false, 2},
		{"engineering/development", "Verify", false, 2},
		{"engineering/development", "", false, 2},
		{"engineering/infrastructure", "Reliability", false, 2},
		{"product/design", "", false, 2},
		{"product", "", false, 1},
		{"people/talent-acquisition", "Talent Acquisition", false, 2},
		{"engineering/development", "Create", true, 2},
		{"engineering/development", "Release", true, 1},
		{"engineering/infrastructure", "Reliability", true, 1},
		{"product", "", true, 1},
		{"people/talent-acquisition", "Talent Acquisition", true, 3},
	}
}

// LoadOpenings adds the demo's openings, its hiring plan for this quarter
// and the next, and a dozen candidates who applied. It needs the catalog
// and accounts of Load. Openings are known by their requisition ids and
// applications by an idempotency key, so calling it again adds nothing and
// leaves changes made in the demo alone.
func LoadOpenings(ctx context.Context, h Hiring) error {
	if h.Clock == nil {
		return fmt.Errorf("the demo needs the store's clock to load its history")
	}
	now := h.Clock.Present
	if h.Now != nil {
		now = h.Now
	}
	existing, err := openingsByRequisition(ctx, h.Openings)
	if err != nil {
		return err
	}
	team, err := hiringTeam(ctx, h.Users)
	if err != nil {
		return err
	}
	templates, err := templatesByKey(ctx, h.InterviewPlans)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		// Only on the first load, so that profiles edited since stay.
		if err := setProfiles(ctx, h); err != nil {
			return err
		}
	}
	thisQuarter := hiring.QuarterOf(now())
	start, _ := hiring.QuarterStart(thisQuarter)
	nextQuarter := hiring.QuarterOf(start.AddDate(0, 4, 0))

	byRequisition := map[string]*hiring.Opening{}
	for _, spec := range openingSpecs() {
		if o := existing[spec.requisition]; o != nil {
			byRequisition[spec.requisition] = o
			continue
		}
		target := thisQuarter
		if spec.nextQuarter {
			target = nextQuarter
		}
		o, err := createOpening(ctx, h, spec, team, target, templates)
		if err != nil {
			return err
		}
		byRequisition[spec.requisition] = o
	}
	if err := loadPlan(ctx, h, thisQuarter, nextQuarter); err != nil {
		return err
	}
	return loadApplications(ctx, h, byRequisition, team, now())
}

// templatesByKey returns the shipped interview plan templates by key.
func templatesByKey(ctx context.Context, plans hiring.InterviewPlanService) (map[string]*hiring.InterviewPlan, error) {
	list, err := plans.FindTemplates(ctx)
	if err != nil {
		return nil, fmt.Errorf("list interview plan templates: %w", err)
	}
	out := map[string]*hiring.InterviewPlan{}
	for _, p := range list {
		if p.TemplateKey != "" {
			out[p.TemplateKey] = p
		}
	}
	return out, nil
}

// openingsByRequisition lists every opening by requisition id.
func openingsByRequisition(ctx context.Context, openings hiring.OpeningService) (map[string]*hiring.Opening, error) {
	out := map[string]*hiring.Opening{}
	for offset := 0; ; {
		page, total, err := openings.FindOpenings(ctx, hiring.OpeningFilter{Offset: offset, Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("list openings: %w", err)
		}
		for _, o := range page {
			out[o.RequisitionID] = o
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			return out, nil
		}
	}
}

// demoTeam holds the ids of the demo accounts that staff openings and sit
// on interviews; nil for an account that does not exist.
type demoTeam struct {
	admin, manager, recruiter, interviewer *int64
}

func hiringTeam(ctx context.Context, users hiring.UserService) (demoTeam, error) {
	var t demoTeam
	for _, a := range Accounts() {
		var dst **int64
		switch a.Role {
		case hiring.RoleAdmin:
			dst = &t.admin
		case hiring.RoleHiringManager:
			dst = &t.manager
		case hiring.RoleRecruiter:
			dst = &t.recruiter
		case hiring.RoleInterviewer:
			dst = &t.interviewer
		default:
			continue
		}
		u, err := users.FindUserByEmail(ctx, a.Email)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			continue
		} else if err != nil {
			return t, fmt.Errorf("find demo user %s: %w", a.Email, err)
		}
		*dst = &u.ID
	}
	return t, nil
}

// findRole returns the active role with exactly this title.
func findRole(ctx context.Context, roles hiring.RoleService, title string) (*hiring.Role, error) {
	found, _, err := roles.FindRoles(ctx, hiring.RoleFilter{Query: title, Limit: 50})
	if err != nil {
		return nil, fmt.Errorf("find role %q: %w", title, err)
	}
	for _, r := range found {
		if strings.EqualFold(r.Title, title) {
			return r, nil
		}
	}
	return nil, fmt.Errorf("the demo catalog has no role titled %q", title)
}

func createOpening(ctx context.Context, h Hiring, spec openingSpec, team demoTeam, target string,
	templates map[string]*hiring.InterviewPlan) (*hiring.Opening, error) {
	role, err := findRole(ctx, h.Roles, spec.role)
	if err != nil {
		return nil, err
	}
	o, err := h.Openings.CreateOpening(ctx, hiring.NewOpening{
		RoleID:          role.ID,
		RequisitionID:   spec.requisition,
		Specialty:       spec.specialty,
		Title:           spec.title,
		Teams:           spec.teams,
		Locations:       spec.locations,
		EmploymentType:  spec.employment,
		Pay:             spec.pay,
		TargetQuarter:   target,
		HiringManagerID: team.manager,
		RecruiterID:     team.recruiter,
		CoordinatorID:   team.recruiter,
		Questions:       spec.questions,
	})
	if err != nil {
		return nil, fmt.Errorf("create demo opening %s: %w", spec.requisition, err)
	}
	if spec.plan != "" {
		tpl := templates[spec.plan]
		if tpl == nil {
			return nil, fmt.Errorf("no interview plan template %q for demo opening %s", spec.plan, spec.requisition)
		}
		_, err = h.InterviewPlans.ApplyTemplate(ctx, o.ID, tpl.ID)
	} else {
		_, err = h.InterviewPlans.ApplyRolePlan(ctx, o.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("give demo opening %s its interview plan: %w", spec.requisition, err)
	}
	steps := map[hiring.OpeningStatus][]hiring.OpeningStatus{
		hiring.OpeningOpen:   {hiring.OpeningOpen},
		hiring.OpeningClosed: {hiring.OpeningOpen, hiring.OpeningClosed},
	}
	for _, st := range steps[spec.status] {
		if o, err = h.Openings.SetOpeningStatus(ctx, o.ID, st); err != nil {
			return nil, fmt.Errorf("move demo opening %s to %s: %w", spec.requisition, st, err)
		}
	}
	return o, nil
}

// loadPlan sets the demo's plan entries; setting one again replaces it.
func loadPlan(ctx context.Context, h Hiring, this, next string) error {
	deps, _, err := h.Departments.FindDepartments(ctx, hiring.DepartmentFilter{Limit: 500})
	if err != nil {
		return fmt.Errorf("list departments: %w", err)
	}
	bySlug := map[string]int64{}
	for _, d := range deps {
		bySlug[d.Slug] = d.ID
	}
	for _, p := range planSpecs() {
		id, ok := bySlug[p.department]
		if !ok {
			return fmt.Errorf("the demo catalog has no department %q", p.department)
		}
		q := this
		if p.next {
			q = next
		}
		if _, err := h.Plans.SetPlanEntry(ctx, hiring.PlanInput{DepartmentID: id, Team: p.team, Quarter: q, Planned: p.planned}); err != nil {
			return fmt.Errorf("set demo plan for %s %s %s: %w", p.department, p.team, q, err)
		}
	}
	return nil
}
