// Package web serves hireloop over HTTP: the HTML pages of the job catalog,
// accounts and administration, the JSON API of package api, and the
// operations endpoints. Every route is declared once, in routes.go.
package web

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
	"hireloop/internal/jobboard"
)

// boardCacheTTL is how long the job board reuses one read of the open jobs:
// a careers site may poll it thousands of times a second, and a job opened or
// closed shows there within this time.
const boardCacheTTL = 2 * time.Second

// Deps is everything the server needs from the rest of the program; main
// builds it from the store.
type Deps struct {
	Departments hiring.DepartmentService
	Families    hiring.FamilyService
	Roles       hiring.RoleService
	Users       hiring.UserService
	Audit       hiring.AuditService
	Settings    hiring.SettingsService
	// Sessions keeps browser sessions, in the database in production.
	Sessions scs.Store
	// Ready reports whether the database is reachable and migrated.
	Ready func(ctx context.Context) error
	// DB feeds the connection-pool metrics; nil leaves them out.
	DB     *sql.DB
	Logger *slog.Logger
	// Now is the clock for "3 hours ago" and the like; nil means time.Now.
	Now func() time.Time
	// SecureCookies marks cookies Secure; set it when served over https.
	SecureCookies bool
	// SigningKey signs what the server keeps in a visitor's browser, such
	// as the confirmation of an application just sent. Servers sharing a
	// database should share it (see store.DB.SigningKey); empty makes a
	// key for this process alone.
	SigningKey []byte

	// Openings, the careers site and applications.
	Openings     hiring.OpeningService
	Plans        hiring.PlanService
	Applications hiring.ApplicationService
	// InterviewPlans keeps each opening's interview plan and the templates
	// it is copied from; Pipeline moves applications through that plan.
	InterviewPlans hiring.InterviewPlanService
	Pipeline       hiring.PipelineService
	Candidates     hiring.CandidateService
	Files          hiring.FileService
	Outbox         hiring.OutboxService
	SelfID         hiring.SelfIDService
	// Templates keeps the texts of messages to candidates; Messages sends
	// what recruiters write to them.
	Templates hiring.TemplateService
	Messages  hiring.MessageService
	// Interviews schedules the steps of applications and sends their
	// invitations.
	Interviews hiring.InterviewService
	// Replies lists the replies owed to candidates; nil leaves reply
	// dates and records out of the pages.
	Replies hiring.ReplyService
	// Guide serves the candidate's private page and keeps its links.
	Guide hiring.GuideService
	// ApplicationFacts tells who interviews an application, for the access
	// rules, and when its candidate is owed a reply.
	ApplicationFacts api.ApplicationFacts
	// BaseURL is the public address of this server ("https://jobs.example.com"),
	// used for absolute links in emails, JSON-LD, the sitemap and the feed.
	BaseURL string
	// BoardToken and BoardAPIKey are the Greenhouse-compatible job board's
	// token (in its URLs) and the key that authorises applying through it.
	BoardToken  string
	BoardAPIKey string

	// The careers site. CompanyName names the employer in job postings and
	// the feed; empty takes the host of BaseURL. RetentionMonths is how long
	// applicants' data is kept, as the consent box states it (0 means
	// hiring.DefaultRetentionMonths; keep it equal to the store's rule).
	// ReplyWithinDays is the number of business days in which the
	// confirmation page and the Guide promise a reply when the settings
	// keep no reply policy (0 means 5).
	CompanyName     string
	RetentionMonths int
	ReplyWithinDays int
	// ApplyRatePerMinute limits the applications one client address may
	// send (0 means 10 a minute, negative turns the limit off); ApplyBurst
	// is how many may come at once (0 means 5).
	ApplyRatePerMinute int
	ApplyBurst         int
	// BehindProxy says a reverse proxy sets X-Forwarded-For and
	// X-Forwarded-Proto; only then are they trusted for the client address
	// and the scheme.
	BehindProxy bool
}

// Server is hireloop's HTTP handler.
type Server struct {
	departments hiring.DepartmentService
	families    hiring.FamilyService
	roles       hiring.RoleService
	users       hiring.UserService
	audit       hiring.AuditService
	settings    hiring.SettingsService
	ready       func(ctx context.Context) error
	log         *slog.Logger

	openings     hiring.OpeningService
	plans        hiring.PlanService
	applications hiring.ApplicationService
	// interviewPlans and pipeline serve the pipeline board and the
	// application page.
	interviewPlans hiring.InterviewPlanService
	pipeline       hiring.PipelineService
	candidates     hiring.CandidateService
	files          hiring.FileService
	outbox         hiring.OutboxService
	selfID         hiring.SelfIDService
	templates      hiring.TemplateService
	messages       hiring.MessageService
	interviews     hiring.InterviewService
	replies        hiring.ReplyService
	guideService   hiring.GuideService
	guide          *guideSite
	baseURL        string
	board          *jobboard.Handler
	careers        *careersSite

	now func() time.Time

	sessions *scs.SessionManager
	api      *api.Handler
	pages    map[string]*template.Template
	assets   *assets
	metrics  *metrics
	routes   []Route
	mux      *http.ServeMux
	handler  http.Handler

	signingKey    []byte
	secureCookies bool
}

// NewServer checks its dependencies, parses the embedded templates once and
// builds the route table; a broken template fails here, not on a request.
func NewServer(d Deps) (*Server, error) {
	if d.Departments == nil || d.Families == nil || d.Roles == nil || d.Users == nil ||
		d.Audit == nil || d.Settings == nil || d.Sessions == nil || d.Ready == nil {
		return nil, errors.New("web: every service, the session store and Ready are required")
	}
	s := &Server{
		departments: d.Departments,
		families:    d.Families,
		roles:       d.Roles,
		users:       d.Users,
		audit:       d.Audit,
		settings:    d.Settings,
		ready:       d.Ready,
		log:         d.Logger,
		now:         d.Now,
		api: &api.Handler{Departments: d.Departments, Families: d.Families, Roles: d.Roles,
			Openings: d.Openings, Candidates: d.Candidates, Applications: d.Applications,
			InterviewPlans: d.InterviewPlans, Pipeline: d.Pipeline, Outbox: d.Outbox, Interviews: d.Interviews,
			Messages: d.Messages, Facts: d.ApplicationFacts, Now: d.Now},

		openings:       d.Openings,
		plans:          d.Plans,
		interviewPlans: d.InterviewPlans,
		pipeline:       d.Pipeline,
		applications:   d.Applications,
		candidates:     d.Candidates,
		files:          d.Files,
		outbox:         d.Outbox,
		selfID:         d.SelfID,
		templates:      d.Templates,
		messages:       d.Messages,
		interviews:     d.Interviews,
		replies:        d.Replies,
		guideService:   d.Guide,
		baseURL:        d.BaseURL,
		board: &jobboard.Handler{
			Openings: d.Openings, Departments: d.Departments, Applications: d.Applications,
			BoardToken: d.BoardToken, APIKey: d.BoardAPIKey, BaseURL: d.BaseURL,
			CompanyName: d.CompanyName, RetentionMonths: d.RetentionMonths,
			CacheTTL: boardCacheTTL, Now: d.Now, Logger: d.Logger,
		},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.careers = newCareersSite(d, s.now)
	s.guide = newGuideSite(d, s.now)
	var err error
	if s.assets, err = newAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(s.assets, s.now); err != nil {
		return nil, err
	}
	if s.metrics, err = newMetrics(d.DB); err != nil {
		return nil, err
	}
	s.sessions = newSessionManager(d.Sessions, d.SecureCookies, s.sessionError)
	s.signingKey, s.secureCookies = d.SigningKey, d.SecureCookies
	if len(s.signingKey) == 0 {
		s.signingKey = make([]byte, 32)
		if _, err := rand.Read(s.signingKey); err != nil {
			return nil, err
		}
	}
	s.routes = s.routeTable()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.adapt(rt))
	}
	s.handler = s.middleware(http.HandlerFunc(s.dispatch))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Routes returns a copy of the route table, so tests and documentation can
// walk every route the server answers.
func (s *Server) Routes() []Route {
	out := make([]Route, len(s.routes))
	copy(out, s.routes)
	return out
}
