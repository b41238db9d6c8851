package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"sort"
	"sync"
	"time"

	"hireloop/internal/deadline"
	"hireloop/internal/hiring"
)

// The candidate's Guide: a private page per application, reached from the
// link in the candidate's emails, with no account.
//
// Every answer about a link that does not work (malformed, unknown,
// expired, revoked, or an interview of another application) is the same
// plain 404 page, which says how to get a new link and nothing else.
//
// Forms on the Guide carry no session. They are protected against
// cross-site posts twice: the server's cross-origin check refuses browser
// requests from other sites (Sec-Fetch-Site and Origin), and each form
// carries a key derived from the link's secret (guideFormKey), so a post
// must come from a page rendered for that link. Posts are rate limited
// per link.

// guideSite holds what the Guide needs besides the services.
type guideSite struct {
	// limiter bounds the posts of one link; resendByAddress and
	// resendByEmail bound the requests for new links.
	limiter         *rateLimiter
	resendByAddress *rateLimiter
	resendByEmail   *rateLimiter
	behindProxy     bool
	// Requests for new links are served after the answer, so that how
	// long the answer takes says nothing about the address; work counts
	// them, and slots bounds how many run at once.
	work  sync.WaitGroup
	slots chan struct{}
}

// Rates of the Guide's forms.
const (
	guidePostsPerMinute  = 10
	guidePostBurst       = 5
	guideResendPerMinute = 2
	guideResendBurst     = 3
	guideResendSlots     = 8
)

func newGuideSite(d Deps, now func() time.Time) *guideSite {
	return &guideSite{
		limiter:         newRateLimiter(guidePostsPerMinute, guidePostBurst, now),
		resendByAddress: newRateLimiter(guideResendPerMinute, guideResendBurst, now),
		resendByEmail:   newRateLimiter(guideResendPerMinute, guideResendBurst, now),
		behindProxy:     d.BehindProxy,
		slots:           make(chan struct{}, guideResendSlots),
	}
}

// guideFormKey is the key the Guide's forms carry: an HMAC of a fixed
// label under the link's secret. It is unguessable without the secret and
// is compared in constant time.
func guideFormKey(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("hireloop guide form"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// guideRateKey names a link in the rate limiter without keeping its secret.
func guideRateKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// guidePage is the candidate's private view of one application. It shows
// only what the candidate may see: where they are, what comes next, their
// interviews and what they asked for; never internal notes, scorecards,
// interviewer instructions or other applications.
type guidePage struct {
	layout
	Token   string
	FormKey string
	// Done confirms what the candidate just did.
	Done        string
	Application *hiring.Application
	Company     string
	StatusText  string
	Active      bool
	Stages      []guideStage
	Next        *guideStage
	// HearBackBy is the reply date in words; HearBackISO its machine form.
	HearBackBy  string
	HearBackISO string
	ReplyDays   int
	AfterDays   int
	Interviews  []guideInterview
	Adjustment  *form
	Message     *form
}

// guideStage is a stage of the plan as the candidate sees it.
type guideStage struct {
	Name     string
	Current  bool
	Past     bool
	AnyOrder bool
	Steps    []guideStep
	// Minutes adds up the required steps that have a length.
	Minutes int
}

// guideStep is a step of a stage, without its interviewer instructions.
type guideStep struct {
	Name     string
	Minutes  int
	Optional bool
}

// guideInterview is an upcoming interview as the candidate sees it.
type guideInterview struct {
	ID       int64
	Name     string
	When     string
	YourTime string
	StartISO string
	Minutes  int
	People   []*hiring.Interviewer
	Notes    string
	VideoURL string
	Location string
}

// Fields of the Guide's forms.
var (
	guideAdjustmentFields = []fieldSpec{{Name: "adjustment", Label: "What would help you take part",
		Hint: "For example more time, captions, a quieter room or another time of day. At most 2,000 characters.",
		Kind: kindTextarea, Required: true, MaxLen: hiring.MaxGuideTextLen, Rows: 4}}
	guideMessageFields = []fieldSpec{{Name: "message", Label: "Your message",
		Hint: "At most 2,000 characters.", Kind: kindTextarea, Required: true, MaxLen: hiring.MaxGuideTextLen, Rows: 5}}
	guideWithdrawFields = []fieldSpec{{Name: "note", Label: "Would you tell us why? (optional)",
		Kind: kindTextarea, MaxLen: hiring.MaxGuideTextLen, Rows: 3}}
	guideResendFields = []fieldSpec{{Name: "email", Label: "Your email address", Kind: kindEmail,
		Required: true, MaxLen: maxEmailLen, Autocomplete: "email"}}
)

// guideDone are the confirmations a finished action shows.
var guideDone = map[string]string{
	"adjustment": "Thank you. We received your request for adjustments and sent you a copy by email; our coordinator will reply within 24 hours.",
	"message":    "Your message was sent to the recruiter.",
	"withdrawn":  "You withdrew your application. We told the recruiter. Thank you for your interest.",
}

// privateHeaders keep a page reached by a secret out of shared caches and
// out of the Referer of links followed from it.
func privateHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// private runs a Guide handler so that every answer it gives, its errors
// included, carries privateHeaders: the writer sets them again just before
// the status goes out, after the page renderer set its own.
func (s *Server) private(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pw := &privateWriter{ResponseWriter: w}
		if err := h(pw, r); err != nil {
			s.renderError(pw, r, false, err)
		}
		return nil
	}
}

// privateWriter sets privateHeaders when the status is written.
type privateWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader sets the headers and sends the status.
func (w *privateWriter) WriteHeader(status int) {
	if !w.wrote {
		w.wrote = true
		privateHeaders(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write sends a 200 status first when none was sent.
func (w *privateWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *privateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// renderGuideInvalid is the one answer to a link that does not work.
func (s *Server) renderGuideInvalid(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "guide_invalid", &guideResendPage{
		layout: layout{Title: "This link does not work"}, Form: newForm(guideResendFields, nil)})
}

// findGuide reads the link of the path; ok is false when the invalid page
// was sent.
func (s *Server) findGuide(w http.ResponseWriter, r *http.Request) (*hiring.Guide, bool, error) {
	privateHeaders(w)
	if s.guideService == nil {
		s.renderGuideInvalid(w, r)
		return nil, false, nil
	}
	g, err := s.guideService.FindGuide(r.Context(), r.PathValue("token"))
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		s.renderGuideInvalid(w, r)
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return g, true, nil
}

// handleGuide answers GET /guide/{token}.
func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) error {
	g, ok, err := s.findGuide(w, r)
	if !ok || err != nil {
		return err
	}
	return s.renderGuide(w, r, http.StatusOK, g, guideDone[r.URL.Query().Get("done")], nil, nil)
}

// renderGuide shows the Guide; adj and msg are the forms as typed, nil
// for empty ones.
func (s *Server) renderGuide(w http.ResponseWriter, r *http.Request, status int, g *hiring.Guide,
	done string, adj, msg *form) error {
	a := g.Application
	token := r.PathValue("token")
	if adj == nil {
		adj = newForm(guideAdjustmentFields, nil)
	}
	if msg == nil {
		msg = newForm(guideMessageFields, nil)
	}
	pg := &guidePage{
		layout:      layout{Title: "Your application: " + a.OpeningTitle},
		Token:       token,
		FormKey:     guideFormKey(token),
		Done:        done,
		Application: a,
		Company:     s.careers.company,
		StatusText:  guideStatus(a.Status),
		Active:      a.Status == hiring.ApplicationActive,
		ReplyDays:   s.careers.replyDays,
		AfterDays:   deadline.DefaultAfterInterviewDays,
		Adjustment:  adj,
		Message:     msg,
	}
	st, err := s.settings.GetSettings(r.Context())
	if err != nil {
		return err
	}
	if st.AfterInterviewDays > 0 {
		pg.AfterDays = st.AfterInterviewDays
	}
	if st.AfterApplyDays > 0 {
		pg.ReplyDays = st.AfterApplyDays
	}
	loc := candidateZone(g.TimeZone)
	if pg.Active && g.HearBackBy != nil {
		pg.HearBackBy = g.HearBackBy.In(loc).Format("Monday 2 January 2006")
		pg.HearBackISO = g.HearBackBy.In(loc).Format("2006-01-02")
	}
	p, err := s.pipeline.Progress(r.Context(), a.ID)
	if err != nil {
		return err
	}
	pg.Stages, pg.Next = guideStages(p, pg.Active)
	if pg.Active && p.Stage != nil && p.Plan != nil && p.Stage.ID != p.Plan.First().ID {
		// Past the first look at their application, say where they are.
		pg.StatusText = "You are in the “" + p.Stage.Name + "” stage of our process."
	}
	if pg.Active && s.interviews != nil {
		if pg.Interviews, err = s.guideInterviews(r, p, g.TimeZone); err != nil {
			return err
		}
	}
	s.render(w, r, status, "guide", pg)
	return nil
}

// candidateZone is the candidate's zone, UTC when unknown.
func candidateZone(name string) *time.Location {
	if name != "" {
		if loc, err := hiring.LoadZone(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// guideStages lists the plan's stages in order, marking the current one,
// and returns the stage that follows it.
func guideStages(p *hiring.Progress, active bool) ([]guideStage, *guideStage) {
	if p.Plan == nil {
		return nil, nil
	}
	var (
		out  []guideStage
		next *guideStage
	)
	current := -1
	for i, g := range p.Plan.Stages {
		gs := guideStage{Name: g.Name, AnyOrder: len(g.Steps) > 1}
		for _, st := range g.Steps {
			gs.Steps = append(gs.Steps, guideStep{Name: st.Name, Minutes: st.Minutes, Optional: st.Optional})
			if !st.Optional {
				gs.Minutes += st.Minutes
			}
		}
		if active && p.Stage != nil && g.ID == p.Stage.ID {
			gs.Current = true
			current = i
		}
		out = append(out, gs)
	}
	for i := range out {
		out[i].Past = current >= 0 && i < current
	}
	if current >= 0 && current+1 < len(out) {
		n := out[current+1]
		next = &n
	}
	return out, next
}

// guideInterviews lists the application's upcoming interviews, each with
// what the candidate needs: when, with whom, how to prepare, where.
func (s *Server) guideInterviews(r *http.Request, p *hiring.Progress, zone string) ([]guideInterview, error) {
	id := p.Application.ID
	st := hiring.InterviewScheduled
	ivs, _, err := s.interviews.FindInterviews(r.Context(), hiring.InterviewFilter{ApplicationID: &id, Status: &st, Limit: 100})
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []guideInterview
	for _, iv := range ivs {
		if iv.ApplicationID != id || iv.Status != hiring.InterviewScheduled || !iv.EndsAt.After(now) {
			continue
		}
		v := guideInterview{ID: iv.ID, Name: iv.StepName, When: iv.When(), Minutes: iv.Minutes(),
			StartISO: iv.StartsAt.UTC().Format(time.RFC3339), People: iv.Interviewers,
			VideoURL: iv.VideoURL, Location: iv.Location}
		if zone != "" && zone != iv.TimeZone {
			if loc, err := hiring.LoadZone(zone); err == nil {
				v.YourTime = iv.StartsAt.In(loc).Format("Monday 2 January 2006, 15:04") + "–" +
					iv.EndsAt.In(loc).Format("15:04") + " (" + zone + ")"
			}
		}
		if iv.StepID != nil && p.Plan != nil {
			if g := p.Plan.StageOf(*iv.StepID); g != nil {
				v.Notes = g.Step(*iv.StepID).CandidateNotes
			}
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartISO < out[j].StartISO })
	return out, nil
}

// guideStatus says where an application stands, in the candidate's words.
func guideStatus(st hiring.ApplicationStatus) string {
	switch st {
	case hiring.ApplicationActive:
		return "We have your application and are reviewing it."
	case hiring.ApplicationRejected:
		return "We decided not to move forward with your application. Thank you for the time you gave us."
	case hiring.ApplicationWithdrawn:
		return "You withdrew this application."
	case hiring.ApplicationHired:
		return "You accepted our offer. Welcome!"
	}
	return "We have your application."
}
