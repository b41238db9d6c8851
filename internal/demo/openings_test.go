package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// demoNow is a fixed present for the plan's quarters and the history: a
// Tuesday, so that some reply falls due on the day.
var demoNow = time.Date(2026, time.May, 12, 10, 0, 0, 0, time.UTC)

// mustDemoStore opens a fresh store on the engine whose clock is a demo
// Clock reading demoNow as the present.
func mustDemoStore(tb testing.TB, engine string) (*store.DB, *Clock) {
	tb.Helper()
	clock := NewClock(func() time.Time { return demoNow })
	return hiringtest.MustOpenStoreWithClock(tb, engine, clock.Now), clock
}

// demoEngines runs fn once per engine on a store made by mustDemoStore.
func demoEngines(t *testing.T, fn func(t *testing.T, db *store.DB, clock *Clock)) {
	for _, engine := range hiringtest.EngineNames() {
		t.Run(engine, func(t *testing.T) {
			db, clock := mustDemoStore(t, engine)
			fn(t, db, clock)
		})
	}
}

// MustLoadHiring loads the catalog, accounts and openings as serve --demo
// does, and returns the services used.
func MustLoadHiring(tb testing.TB, db *store.DB, clock *Clock) Hiring {
	tb.Helper()
	MustLoad(tb, store.NewFamilyService(db), store.NewUserService(db))
	interviews := store.NewInterviewService(db, store.InterviewOptions{CompanyName: CompanyName})
	h := Hiring{
		Roles:          store.NewRoleService(db),
		Departments:    store.NewDepartmentService(db),
		Openings:       store.NewOpeningService(db),
		Plans:          store.NewPlanService(db),
		Applications:   store.NewApplicationService(db, hiringtest.MustNewBlobStore(tb), store.ApplyRules{}),
		Users:          store.NewUserService(db),
		InterviewPlans: store.NewInterviewPlanService(db),
		Pipeline:       store.NewPipelineService(db, store.PipelineOptions{Interviews: interviews}),
		Interviews:     interviews,
		Messages:       store.NewMessageService(db),
		Profiles:       store.NewUserService(db),
		Clock:          clock,
	}
	if err := LoadOpenings(context.Background(), h); err != nil {
		tb.Fatalf("LoadOpenings: %v", err)
	}
	return h
}

// hiringSnapshot counts what LoadOpenings writes.
type hiringSnapshot struct {
	openings, open, applications, planEntries, candidates int
}

func mustHiringSnapshot(tb testing.TB, db *store.DB, h Hiring) hiringSnapshot {
	tb.Helper()
	ctx := context.Background()
	var s hiringSnapshot
	var err error
	open := hiring.OpeningOpen
	if _, s.openings, err = h.Openings.FindOpenings(ctx, hiring.OpeningFilter{}); err != nil {
		tb.Fatal(err)
	}
	if _, s.open, err = h.Openings.FindOpenings(ctx, hiring.OpeningFilter{Status: &open}); err != nil {
		tb.Fatal(err)
	}
	if _, s.applications, err = h.Applications.FindApplications(ctx, hiring.ApplicationFilter{}); err != nil {
		tb.Fatal(err)
	}
	if _, s.planEntries, err = h.Plans.FindPlanEntries(ctx, hiring.PlanFilter{}); err != nil {
		tb.Fatal(err)
	}
	if _, s.candidates, err = store.NewCandidateService(db).SearchCandidates(ctx, hiring.CandidateSearch{}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestLoadOpenings(t *testing.T) {
	t.Parallel()
	demoEngines(t, func(t *testing.T, db *store.DB, clock *Clock) {
		ctx := context.Background()
		h := MustLoadHiring(t, db, clock)
		first := mustHiringSnapshot(t, db, h)
		all, _, err := h.Openings.FindOpenings(ctx, hiring.OpeningFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("OpensEnoughJobsInThreeDepartments", func(t *testing.T) {
			if first.open < 8 {
				t.Errorf("%d open openings, want at least 8", first.open)
			}
			top := map[string]bool{}
			for _, o := range all {
				if o.Status == hiring.OpeningOpen && o.Department != nil {
					top[topSlug(o.Department.Slug)] = true
				}
			}
			if len(top) < 3 {
				t.Errorf("open openings in departments %v, want at least 3", top)
			}
		})
		t.Run("HasDraftsClosedTeamsPayAndQuestions", func(t *testing.T) {
			var drafts, closed, multiTeam, paid, asking, limited, anywhere int
			for _, o := range all {
				switch o.Status {
				case hiring.OpeningDraft:
					drafts++
				case hiring.OpeningClosed:
					closed++
				}
				if len(o.Teams) > 1 {
					multiTeam++
				}
				if o.Pay != nil {
					paid++
				}
				if len(o.Questions) > 0 {
					asking++
				}
				for _, l := range o.Locations {
					if l.Remote && l.CountryCode == "" {
						anywhere++
						break
					}
					if l.CountryCode != "" {
						limited++
						break
					}
				}
			}
			if drafts == 0 || closed == 0 || drafts+closed > 2 {
				t.Errorf("%d drafts and %d closed, want one or two in all, at least one of each", drafts, closed)
			}
			if multiTeam < 3 || paid < 3 || asking < 3 || limited < 2 || anywhere < 2 {
				t.Errorf("openings with several teams %d, pay %d, questions %d, country limits %d, remote anywhere %d; want variety",
					multiTeam, paid, asking, limited, anywhere)
			}
		})
		t.Run("VacanciesFollowTheTeams", func(t *testing.T) {
			o, err := h.Openings.FindOpeningByID(ctx, all[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(o.Vacancies) != o.TotalVacancies() || o.Description == "" || o.HiringManagerID == nil || o.RecruiterID == nil {
				t.Errorf("opening %s: %d vacancies for %d seats, description %d bytes, manager %v, recruiter %v",
					o.RequisitionID, len(o.Vacancies), o.TotalVacancies(), len(o.Description), o.HiringManagerID, o.RecruiterID)
			}
		})
		t.Run("PlansThisQuarterAndTheNext", func(t *testing.T) {
			for _, q := range []string{"2026-Q2", "2026-Q3"} {
				_, n, err := h.Plans.FindPlanEntries(ctx, hiring.PlanFilter{Quarter: q})
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					t.Errorf("no plan entries for %s", q)
				}
			}
			rows, err := h.Plans.PlanReport(ctx, hiring.PlanFilter{Quarter: "2026-Q2"})
			if err != nil {
				t.Fatal(err)
			}
			openSeats := 0
			for _, r := range rows {
				openSeats += r.Open
			}
			if openSeats == 0 {
				t.Errorf("the plan report counts no open seat against this quarter")
			}
		})
		t.Run("HasADozenCandidatesWithResumes", func(t *testing.T) {
			if first.candidates < 12 || first.applications < first.candidates {
				t.Errorf("%d candidates with %d applications, want a dozen, each with one or more", first.candidates, first.applications)
			}
			apps, _, err := h.Applications.FindApplications(ctx, hiring.ApplicationFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			rejected := 0
			for _, a := range apps {
				if a.ResumeFileID == nil {
					t.Errorf("application %d of %s has no resume", a.ID, a.Candidate.Email)
				}
				if a.Status == hiring.ApplicationRejected {
					rejected++
				}
			}
			if rejected != 1 {
				t.Errorf("%d rejected applications, want 1", rejected)
			}
		})
		t.Run("SecondLoadChangesNothing", func(t *testing.T) {
			if err := LoadOpenings(ctx, h); err != nil {
				t.Fatalf("second LoadOpenings: %v", err)
			}
			if got := mustHiringSnapshot(t, db, h); got != first {
				t.Errorf("after a second load %+v, want %+v", got, first)
			}
		})
	})
}

func TestLoadOpeningsKeepsEditsMadeInTheDemo(t *testing.T) {
	t.Parallel()
	db, clock := mustDemoStore(t, "sqlite")
	ctx := context.Background()
	h := MustLoadHiring(t, db, clock)
	open := hiring.OpeningOpen
	list, _, err := h.Openings.FindOpenings(ctx, hiring.OpeningFilter{Status: &open, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("find an open opening: %v", err)
	}
	if _, err := h.Openings.SetOpeningStatus(ctx, list[0].ID, hiring.OpeningClosed); err != nil {
		t.Fatal(err)
	}
	if err := LoadOpenings(ctx, h); err != nil {
		t.Fatalf("LoadOpenings after a change: %v", err)
	}
	o, err := h.Openings.FindOpeningByID(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != hiring.OpeningClosed {
		t.Errorf("a closed demo opening is %s after another load, want closed", o.Status)
	}
}

func topSlug(slug string) string {
	for i := range len(slug) {
		if slug[i] == '/' {
			return slug[:i]
		}
	}
	return slug
}

// The demo opens on a pipeline that has been running for weeks: both
// shipped loops in use with candidates spread over their stages,
// interviews behind and ahead, replies owed, and each fact made through
// the services on its own day.
func TestLoadOpeningsPlaysAHistory(t *testing.T) {
	t.Parallel()
	demoEngines(t, func(t *testing.T, db *store.DB, clock *Clock) {
		ctx := context.Background()
		h := MustLoadHiring(t, db, clock)
		today := time.Date(2026, time.May, 12, 0, 0, 0, 0, time.UTC)

		if got := clock.Now(); !got.Equal(demoNow) {
			t.Fatalf("after loading the store's clock says %s, want the present %s", got, demoNow)
		}
		apps, _, err := h.Applications.FindApplications(ctx, hiring.ApplicationFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		byEmail := map[string]map[string]*hiring.Application{}
		for _, a := range apps {
			if byEmail[a.Candidate.Email] == nil {
				byEmail[a.Candidate.Email] = map[string]*hiring.Application{}
			}
			byEmail[a.Candidate.Email][a.OpeningTitle] = a
		}
		app := func(email, title string) *hiring.Application {
			t.Helper()
			var a *hiring.Application
			for got, x := range byEmail[email] {
				if strings.HasPrefix(got, title) {
					a = x
				}
			}
			if a == nil {
				t.Fatalf("no application of %s to %q", email, title)
			}
			return a
		}

		t.Run("SpreadsCandidatesOverTheStagesOfBothLoops", func(t *testing.T) {
			templates, err := h.InterviewPlans.FindTemplates(ctx)
			if err != nil {
				t.Fatal(err)
			}
			keyOf := map[int64]string{}
			for _, tpl := range templates {
				keyOf[tpl.ID] = tpl.TemplateKey
			}
			open := hiring.OpeningOpen
			openings, _, err := h.Openings.FindOpenings(ctx, hiring.OpeningFilter{Status: &open, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			stages := map[string]map[string]int{"infrastructure": {}, "backend": {}}
			for _, o := range openings {
				b, err := h.Pipeline.Board(ctx, hiring.BoardFilter{OpeningID: o.ID})
				if err != nil {
					t.Fatal(err)
				}
				if b.Plan == nil {
					t.Errorf("opening %s has no interview plan", o.RequisitionID)
					continue
				}
				if b.Plan.TemplateID == nil {
					continue
				}
				key := keyOf[*b.Plan.TemplateID]
				for _, c := range b.Columns {
					if c.Count > 0 && stages[key] != nil {
						stages[key][c.Name] += c.Count
					}
				}
			}
			for key, seen := range stages {
				if len(seen) < 3 {
					t.Errorf("the %s loop has candidates in stages %v, want at least 3 stages", key, seen)
				}
			}
			for _, want := range []string{"Application review", "Screening call", "Management panel", "Team interviews and references", "Offer"} {
				if stages["backend"][want] == 0 {
					t.Errorf("nobody in the backend loop's stage %q (%v)", want, stages["backend"])
				}
			}
			for _, want := range []string{"Application review", "Technical interview", "Reference checks"} {
				if stages["infrastructure"][want] == 0 {
					t.Errorf("nobody in the infrastructure loop's stage %q (%v)", want, stages["infrastructure"])
				}
			}
		})

		t.Run("FinishedTheAnyOrderStageInAnotherOrder", func(t *testing.T) {
			a := app("amara.eze@example.com", "Senior Backend Engineer, Search")
			p, err := h.Pipeline.Progress(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Stage == nil || p.Stage.Name != "Offer" {
				t.Fatalf("Amara is in stage %v, want Offer", p.Stage)
			}
			var team *hiring.PlanStage
			for _, s := range p.Plan.Stages {
				if s.Name == "Team interviews and references" {
					team = s
				}
			}
			if team == nil || len(team.Steps) != 3 {
				t.Fatalf("the backend plan has no team stage of three steps: %+v", team)
			}
			var done []time.Time
			for _, st := range team.Steps {
				sp, ok := p.Steps[st.ID]
				if !ok || sp.Status != hiring.StepDone {
					t.Fatalf("step %q is %v, want done", st.Name, sp.Status)
				}
				done = append(done, sp.UpdatedAt)
			}
			if !done[0].After(done[1]) || !done[0].After(done[2]) {
				t.Errorf("the first listed step was done at %s, not after the others (%s, %s)", done[0], done[1], done[2])
			}
			events, err := h.Pipeline.Timeline(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if first := events[0].CreatedAt; !first.Before(demoNow.AddDate(0, 0, -20)) {
				t.Errorf("Amara's timeline starts %s, want weeks before %s", first, demoNow)
			}
			for i := 1; i < len(events); i++ {
				if events[i].CreatedAt.Before(events[i-1].CreatedAt) {
					t.Errorf("timeline event %d (%s at %s) is before the one it follows (%s at %s)",
						i, events[i].Kind, events[i].CreatedAt, events[i-1].Kind, events[i-1].CreatedAt)
				}
			}
		})

		t.Run("HasInterviewsBehindAndAhead", func(t *testing.T) {
			all, _, err := h.Interviews.FindInterviews(ctx, hiring.InterviewFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			var done, upcoming int
			for _, iv := range all {
				switch {
				case iv.Status == hiring.InterviewDone && iv.EndsAt.Before(demoNow):
					done++
				case iv.Status == hiring.InterviewScheduled && iv.StartsAt.After(demoNow):
					upcoming++
				case iv.Status == hiring.InterviewScheduled:
					t.Errorf("interview %d (%s) began %s and is still only scheduled", iv.ID, iv.StepName, iv.StartsAt)
				}
				for _, p := range iv.Interviewers {
					if p.JobTitle == "" || p.ProfileURL == "" {
						t.Errorf("interviewer %s on interview %d has no job title or profile link", p.Name, iv.ID)
					}
				}
			}
			if done < 10 || upcoming < 3 {
				t.Errorf("%d interviews done and %d upcoming, want at least 10 and 3", done, upcoming)
			}
		})

		t.Run("OwesSomeRepliesOverdueAndOneToday", func(t *testing.T) {
			replies := store.NewReplyService(db)
			overdue, n, err := replies.FindOwedReplies(ctx, hiring.ReplyFilter{Due: hiring.ReplyOverdue, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if n < 2 {
				t.Errorf("%d replies overdue, want at least 2", n)
			}
			names := map[string]bool{}
			for _, r := range overdue {
				names[r.CandidateName] = true
			}
			if !names["Tomasz Wójcik"] {
				t.Errorf("overdue replies %v do not include Tomasz Wójcik, who has waited two weeks", names)
			}
			henrik := app("henrik.sorensen@example.com", "Product Manager")
			by, err := replies.HearBackBy(ctx, henrik.ID)
			if err != nil {
				t.Fatal(err)
			}
			if by == nil || !by.UTC().Truncate(24*time.Hour).Equal(today) {
				t.Errorf("Henrik hears back by %v, want the end of %s", by, today.Format("2 January"))
			}
		})

		t.Run("ChecksReferencesMakesAnOfferRejectsAndLosesOne", func(t *testing.T) {
			mei := app("mei.tanaka@example.com", "Senior Site Reliability Engineer, Databases")
			p, err := h.Pipeline.Progress(ctx, mei.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Stage == nil || p.Stage.Name != "Reference checks" || len(p.Unfinished()) != 1 {
				t.Errorf("Mei is in %v with unfinished steps %v, want reference checks under way", p.Stage, p.Unfinished())
			}
			if a := app("diego.ramirez@example.com", "Frontend Engineer"); a.Status != hiring.ApplicationRejected {
				t.Errorf("Diego's application is %s, want rejected", a.Status)
			}
			if a := app("sofia.costa@example.com", "Senior Product Designer"); a.Status != hiring.ApplicationWithdrawn {
				t.Errorf("Sofia's design application is %s, want withdrawn", a.Status)
			}
			msgs, _, err := store.NewOutboxService(db).FindMessages(ctx, hiring.MessageFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			sent := map[string]bool{}
			for _, m := range msgs {
				sent[m.To+" "+m.Subject] = true
			}
			for _, want := range []string{"diego.ramirez@example.com " + rejection.Subject, "amara.eze@example.com " + offerMessage[0]} {
				if !sent[want] {
					t.Errorf("no message %q in the outbox", want)
				}
			}
		})
	})
}
