package demo

import (
	"context"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// demoNow is a fixed day for the plan's quarters.
var demoNow = time.Date(2026, time.May, 12, 10, 0, 0, 0, time.UTC)

// MustLoadHiring loads the catalog, accounts and openings as serve --demo
// does, and returns the services used.
func MustLoadHiring(tb testing.TB, db *store.DB) Hiring {
	tb.Helper()
	MustLoad(tb, store.NewFamilyService(db), store.NewUserService(db))
	h := Hiring{
		Roles:        store.NewRoleService(db),
		Departments:  store.NewDepartmentService(db),
		Openings:     store.NewOpeningService(db),
		Plans:        store.NewPlanService(db),
		Applications: store.NewApplicationService(db, hiringtest.MustNewBlobStore(tb), store.ApplyRules{}),
		Users:        store.NewUserService(db),
		Now:          func() time.Time { return demoNow },
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
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := MustLoadHiring(t, db)
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
	db := hiringtest.MustOpenStore(t, "sqlite")
	ctx := context.Background()
	h := MustLoadHiring(t, db)
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
