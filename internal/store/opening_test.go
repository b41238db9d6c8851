package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// seatSummary lists vacancies as "code team status" for comparison.
func seatSummary(o *hiring.Opening) []string {
	var out []string
	for _, v := range o.Vacancies {
		out = append(out, v.Code+" "+v.Team+" "+string(v.Status))
	}
	return out
}

func TestCreateOpening(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		role := hiringtest.MustSampleRole(t, db)
		openings := store.NewOpeningService(db)

		t.Run("ComposesTheDescriptionFromTheRole", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID})
			for _, want := range []string{
				"Owns well-defined parts of the data pipeline.",
				"## Responsibilities\n\n- Keep nightly loads on time\n- Write tests for every transformation\n",
				"## Requirements\n\n- Two years of work with SQL and one general-purpose language\n",
				"## Nice-to-haves\n\n- Experience with column stores\n",
				"## Hiring process\n\n1. Screening call (30 minutes), with a recruiter\n2. Technical interview (90 minutes)\n",
			} {
				if !strings.Contains(o.Description, want) {
					t.Errorf("description lacks %q:\n%s", want, o.Description)
				}
			}
		})
		t.Run("DefaultsComeFromTheRole", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID})
			if o.Title != role.Title || o.Status != hiring.OpeningDraft || o.EmploymentType != hiring.FullTime {
				t.Errorf("title %q status %q type %q", o.Title, o.Status, o.EmploymentType)
			}
			if o.Department == nil || o.Department.Slug != "engineering/data" {
				t.Errorf("department = %+v, want engineering/data", o.Department)
			}
			if o.Role == nil || o.Role.ID != role.ID || len(o.Role.HiringProcess) != 2 {
				t.Errorf("role = %+v, want the sample role with its hiring process", o.Role)
			}
			if o.OpenedAt != nil || o.ClosedAt != nil {
				t.Errorf("a draft has opened %v closed %v", o.OpenedAt, o.ClosedAt)
			}
			if diff := cmp.Diff([]string{o.RequisitionID + "-1  open"}, seatSummary(o)); diff != "" {
				t.Errorf("one seat without team expected (-want +got):\n%s", diff)
			}
		})
		t.Run("SpecialtyGoesInTitleAndDescription", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID, Specialty: "ingestion"})
			if o.Specialty != "Ingestion" || o.Title != "Data Platform Engineer, Ingestion" {
				t.Errorf("specialty %q title %q", o.Specialty, o.Title)
			}
			if !strings.Contains(o.Description, "## Ingestion\n\nGetting data in from outside systems.") {
				t.Errorf("description lacks the specialty:\n%s", o.Description)
			}
		})
		t.Run("VacancyCodesFollowTeamCounts", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID,
				Teams: []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}}})
			r := o.RequisitionID
			want := []string{r + "-1 Create open", r + "-2 Plan open", r + "-3 Plan open"}
			if diff := cmp.Diff(want, seatSummary(o)); diff != "" {
				t.Errorf("vacancies (-want +got):\n%s", diff)
			}
			if o.TotalVacancies() != 3 {
				t.Errorf("total = %d, want 3", o.TotalVacancies())
			}
		})
		t.Run("QuestionsGetIDs", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{Questions: hiringtest.SampleQuestions()})
			var ids []int64
			for _, q := range o.Questions {
				ids = append(ids, q.ID)
			}
			if diff := cmp.Diff([]int64{1, 2, 3, 4}, ids); diff != "" {
				t.Errorf("question ids (-want +got):\n%s", diff)
			}
			if got := o.Questions[2].Options; len(got) != 3 {
				t.Errorf("options = %v", got)
			}
		})
		t.Run("KeepsWhatWasGiven", func(t *testing.T) {
			hm, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
			pay := &hiring.PayRange{Min: 6000000, Max: 8000000, Currency: "eur", Period: hiring.PerYear}
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{
				RoleID: role.ID, Title: "Pipeline engineer", EmploymentType: hiring.PartTime, Pay: pay,
				Locations:       []hiring.Location{{Name: "Germany", CountryCode: "de"}, {Remote: true}},
				HiringManagerID: &hm.ID, TargetQuarter: "2026-q4", Description: "Our own words.",
			})
			want := []hiring.Location{{Name: "Germany", CountryCode: "DE"}, {Name: "Remote", Remote: true}}
			if diff := cmp.Diff(want, o.Locations); diff != "" {
				t.Errorf("locations (-want +got):\n%s", diff)
			}
			if o.Pay == nil || *o.Pay != (hiring.PayRange{Min: 6000000, Max: 8000000, Currency: "EUR", Period: hiring.PerYear}) {
				t.Errorf("pay = %+v", o.Pay)
			}
			if o.Title != "Pipeline engineer" || o.Description != "Our own words." || o.TargetQuarter != "2026-Q4" ||
				o.HiringManagerID == nil || *o.HiringManagerID != hm.ID || o.EmploymentType != hiring.PartTime {
				t.Errorf("opening = %+v", o)
			}
		})
		t.Run("RecordsAnAuditEntry", func(t *testing.T) {
			o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID})
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "opening", EntityID: &o.ID})
			if len(entries) != 1 || entries[0].Action != "create" || !strings.Contains(entries[0].Detail, o.RequisitionID) {
				t.Errorf("audit = %+v", entries)
			}
		})
		for _, tc := range []struct {
			name  string
			n     hiring.NewOpening
			field string
		}{
			{"UnknownRole", hiring.NewOpening{RoleID: 999999}, "role_id"},
			{"UnknownSpecialty", hiring.NewOpening{RoleID: role.ID, Specialty: "Knitting"}, "specialty"},
			{"UnknownUser", hiring.NewOpening{RoleID: role.ID, RecruiterID: ptr(int64(999999))}, "recruiter_id"},
			{"TeamWithoutSeats", hiring.NewOpening{RoleID: role.ID, Teams: []hiring.TeamVacancies{{Team: "Plan"}}}, "teams"},
			{"SameTeamTwice", hiring.NewOpening{RoleID: role.ID, Teams: []hiring.TeamVacancies{{Team: "Plan", Count: 1}, {Team: "plan", Count: 1}}}, "teams"},
			{"PayUpsideDown", hiring.NewOpening{RoleID: role.ID, Pay: &hiring.PayRange{Min: 9, Max: 1, Currency: "EUR", Period: hiring.PerYear}}, "pay"},
			{"PayWithoutCurrency", hiring.NewOpening{RoleID: role.ID, Pay: &hiring.PayRange{Min: 1, Max: 9, Period: hiring.PerYear}}, "pay"},
			{"ChoiceWithoutOptions", hiring.NewOpening{RoleID: role.ID, Questions: []hiring.Question{{Label: "Pick", Type: hiring.SingleSelect}}}, "questions[0].options"},
			{"UnknownQuestionType", hiring.NewOpening{RoleID: role.ID, Questions: []hiring.Question{{Label: "Draw", Type: "drawing"}}}, "questions[0].type"},
			{"BadQuarter", hiring.NewOpening{RoleID: role.ID, TargetQuarter: "Q4 2026"}, "target_quarter"},
			{"BadRequisitionID", hiring.NewOpening{RoleID: role.ID, RequisitionID: "10 01"}, "requisition_id"},
			{"BadCountry", hiring.NewOpening{RoleID: role.ID, Locations: []hiring.Location{{Name: "X", CountryCode: "DEU"}}}, "locations"},
			{"TitleNotUTF8", hiring.NewOpening{RoleID: role.ID, Title: "Eng\xff"}, "title"},
		} {
			t.Run("Refuses"+tc.name, func(t *testing.T) {
				_, err := openings.CreateOpening(t.Context(), tc.n)
				wantField(t, err, tc.field)
			})
		}
	})
}

func TestRequisitionIDs(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		role := hiringtest.MustSampleRole(t, db)
		openings := store.NewOpeningService(db)
		create := func(t *testing.T, req string) (*hiring.Opening, error) {
			t.Helper()
			return openings.CreateOpening(t.Context(), hiring.NewOpening{RoleID: role.ID, RequisitionID: req})
		}
		var got []string
		for range 2 {
			o, err := create(t, "")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, o.RequisitionID)
		}
		// A number given by hand is skipped by the sequence.
		if _, err := create(t, "1003"); err != nil {
			t.Fatal(err)
		}
		o, err := create(t, "")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.RequisitionID)
		if diff := cmp.Diff([]string{"1001", "1002", "1004"}, got); diff != "" {
			t.Errorf("requisition ids (-want +got):\n%s", diff)
		}
		t.Run("DuplicateIsAConflict", func(t *testing.T) {
			_, err := create(t, "1002")
			wantCode(t, err, hiring.ECONFLICT)
			if _, ok := hiring.ErrorFields(err)["requisition_id"]; !ok {
				t.Errorf("fields = %v, want requisition_id", hiring.ErrorFields(err))
			}
		})
	})
}

func TestUpdateOpeningTeams(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		openings := store.NewOpeningService(db)
		o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{
			Teams: []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}}})
		r := o.RequisitionID
		step := func(t *testing.T, teams []hiring.TeamVacancies, want []string) {
			t.Helper()
			got, err := openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{Teams: &teams})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, seatSummary(got)); diff != "" {
				t.Errorf("vacancies (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(teams, got.Teams); diff != "" {
				t.Errorf("teams (-want +got):\n%s", diff)
			}
		}
		t.Run("MoreSeatsGetNewNumbers", func(t *testing.T) {
			step(t, []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 3}},
				[]string{r + "-1 Create open", r + "-2 Plan open", r + "-3 Plan open", r + "-4 Plan open"})
		})
		t.Run("FewerSeatsCloseTheNewest", func(t *testing.T) {
			step(t, []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 1}},
				[]string{r + "-1 Create open", r + "-2 Plan open", r + "-3 Plan closed", r + "-4 Plan closed"})
		})
		t.Run("RemovedTeamIsClosedAndNumbersAreNotReused", func(t *testing.T) {
			step(t, []hiring.TeamVacancies{{Team: "Plan", Count: 1}, {Team: "Monitor", Count: 2}},
				[]string{r + "-1 Create closed", r + "-2 Plan open", r + "-3 Plan closed", r + "-4 Plan closed",
					r + "-5 Monitor open", r + "-6 Monitor open"})
		})
		t.Run("RespelledTeamKeepsItsSeats", func(t *testing.T) {
			step(t, []hiring.TeamVacancies{{Team: "plan", Count: 1}, {Team: "Monitor", Count: 2}},
				[]string{r + "-1 Create closed", r + "-2 plan open", r + "-3 Plan closed", r + "-4 Plan closed",
					r + "-5 Monitor open", r + "-6 Monitor open"})
		})
		t.Run("OtherFieldsAndAudit", func(t *testing.T) {
			desc := "Edited description."
			got, err := openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{
				Description: &desc, ClearPay: true, Title: ptr("Data Platform Engineer (Berlin)")})
			if err != nil {
				t.Fatal(err)
			}
			if got.Description != desc || got.Title != "Data Platform Engineer (Berlin)" {
				t.Errorf("got %q %q", got.Title, got.Description)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "opening", EntityID: &o.ID, Limit: 1})
			if len(entries) != 1 || !strings.HasSuffix(entries[0].Detail, "changed title, description") {
				t.Errorf("audit = %+v", entries)
			}
		})
		t.Run("QuestionsKeepTheirIDs", func(t *testing.T) {
			qs := hiringtest.SampleQuestions()[:2]
			got, err := openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{Questions: &qs})
			if err != nil {
				t.Fatal(err)
			}
			// Drop the first question and add one: the new one gets 3.
			qs = []hiring.Question{got.Questions[1], {Label: "Portfolio", Type: hiring.FileQuestion}}
			got, err = openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{Questions: &qs})
			if err != nil {
				t.Fatal(err)
			}
			if got.Questions[0].ID != 2 || got.Questions[1].ID != 3 {
				t.Errorf("question ids = %d, %d; want 2, 3", got.Questions[0].ID, got.Questions[1].ID)
			}
			qs = []hiring.Question{{ID: 1, Label: "Back again", Type: hiring.ShortText}}
			_, err = openings.UpdateOpening(t.Context(), o.ID, hiring.OpeningUpdate{Questions: &qs})
			wantField(t, err, "questions[0].id")
		})
		t.Run("UnknownOpeningIsNotFound", func(t *testing.T) {
			_, err := openings.UpdateOpening(t.Context(), 987654, hiring.OpeningUpdate{Title: ptr("x")})
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}

func TestSetOpeningStatus(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		openings := store.NewOpeningService(db)
		o := hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
		set := func(t *testing.T, s hiring.OpeningStatus) *hiring.Opening {
			t.Helper()
			got, err := openings.SetOpeningStatus(t.Context(), o.ID, s)
			if err != nil {
				t.Fatalf("set %s: %v", s, err)
			}
			return got
		}
		t.Run("DraftCannotBeClosed", func(t *testing.T) {
			_, err := openings.SetOpeningStatus(t.Context(), o.ID, hiring.OpeningClosed)
			wantField(t, err, "status")
		})
		t.Run("OpeningSetsThePostedDate", func(t *testing.T) {
			got := set(t, hiring.OpeningOpen)
			if got.Status != hiring.OpeningOpen || got.OpenedAt == nil || !got.OpenedAt.Equal(start) || got.ClosedAt != nil {
				t.Errorf("status %s opened %v closed %v", got.Status, got.OpenedAt, got.ClosedAt)
			}
		})
		t.Run("OpenCannotGoBackToDraft", func(t *testing.T) {
			_, err := openings.SetOpeningStatus(t.Context(), o.ID, hiring.OpeningDraft)
			wantField(t, err, "status")
		})
		t.Run("ClosingSetsTheClosedDate", func(t *testing.T) {
			clock.Advance(48 * time.Hour)
			got := set(t, hiring.OpeningClosed)
			if got.ClosedAt == nil || !got.ClosedAt.Equal(start.Add(48*time.Hour)) || !got.OpenedAt.Equal(start) {
				t.Errorf("opened %v closed %v", got.OpenedAt, got.ClosedAt)
			}
		})
		t.Run("ReopeningMovesThePostedDate", func(t *testing.T) {
			clock.Advance(24 * time.Hour)
			got := set(t, hiring.OpeningOpen)
			if got.ClosedAt != nil || !got.OpenedAt.Equal(start.Add(72*time.Hour)) {
				t.Errorf("opened %v closed %v", got.OpenedAt, got.ClosedAt)
			}
		})
		t.Run("SameStatusChangesNothing", func(t *testing.T) {
			before, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "opening", EntityID: &o.ID})
			set(t, hiring.OpeningOpen)
			after, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "opening", EntityID: &o.ID})
			if len(after) != len(before) || len(after) != 4 {
				t.Errorf("audit entries %d then %d, want 4 both times", len(before), len(after))
			}
		})
		t.Run("UnknownStatusNamesTheField", func(t *testing.T) {
			_, err := openings.SetOpeningStatus(t.Context(), o.ID, "paused")
			wantField(t, err, "status")
		})
	})
}

func TestFindOpenings(t *testing.T) {
	t.Parallel()
	hiringtest.EnginesWithClock(t, time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		role := hiringtest.MustSampleRole(t, db)
		sales := mustImport(t, db, family("sales.md", "Account Executive", []string{"Sales"}, "Account Executive")).Family
		mk := func(title string, roleID int64, locs []hiring.Location, open bool) *hiring.Opening {
			t.Helper()
			clock.Advance(time.Hour)
			n := hiring.NewOpening{RoleID: roleID, Title: title, Locations: locs}
			if open {
				return hiringtest.MustOpenOpening(t, db, n)
			}
			return hiringtest.MustCreateOpening(t, db, n)
		}
		mk("Analytics engineer", role.ID, []hiring.Location{{Name: "Berlin", CountryCode: "DE"}}, true)
		mk("Backend engineer", role.ID, []hiring.Location{{Remote: true}}, true)
		mk("Compiler engineer", role.ID, []hiring.Location{{Name: "Remote, Europe", Remote: true}, {Name: "Lisbon", CountryCode: "PT"}}, false)
		mk("Deal desk lead", sales.Roles[0].ID, []hiring.Location{{Name: "London", CountryCode: "GB"}}, true)
		openings := store.NewOpeningService(db)
		open := hiring.OpeningOpen
		full, err := store.NewRoleService(db).FindRoleByID(t.Context(), role.ID)
		if err != nil {
			t.Fatal(err)
		}
		engID := full.Family.Department.ParentID // Engineering, parent of Engineering > Data

		for _, tc := range []struct {
			name      string
			filter    hiring.OpeningFilter
			want      []string
			wantTotal int
		}{
			{"AllByDepartmentThenTitle", hiring.OpeningFilter{},
				[]string{"Analytics engineer", "Backend engineer", "Compiler engineer", "Deal desk lead"}, 4},
			{"OpenOnly", hiring.OpeningFilter{Status: &open},
				[]string{"Analytics engineer", "Backend engineer", "Deal desk lead"}, 3},
			{"DepartmentIncludesSubDepartments", hiring.OpeningFilter{DepartmentID: engID},
				[]string{"Analytics engineer", "Backend engineer", "Compiler engineer"}, 3},
			{"LocationByName", hiring.OpeningFilter{Location: "lisbon"}, []string{"Compiler engineer"}, 1},
			{"LocationByCountry", hiring.OpeningFilter{Location: "de"}, []string{"Analytics engineer"}, 1},
			{"Remote", hiring.OpeningFilter{Remote: ptr(true)}, []string{"Backend engineer", "Compiler engineer"}, 2},
			{"NotRemote", hiring.OpeningFilter{Remote: ptr(false)}, []string{"Analytics engineer", "Deal desk lead"}, 2},
			{"QueryInTitle", hiring.OpeningFilter{Query: "ENGINEER"},
				[]string{"Analytics engineer", "Backend engineer", "Compiler engineer"}, 3},
			{"NewestFirst", hiring.OpeningFilter{Newest: true, Limit: 2},
				[]string{"Deal desk lead", "Compiler engineer"}, 4},
			{"PageWithTotal", hiring.OpeningFilter{Offset: 1, Limit: 2}, []string{"Backend engineer", "Compiler engineer"}, 4},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := openings.FindOpenings(t.Context(), tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, o := range got {
					titles = append(titles, o.Title)
				}
				if diff := cmp.Diff(tc.want, titles); diff != "" {
					t.Errorf("titles (-want +got):\n%s", diff)
				}
				if total != tc.wantTotal {
					t.Errorf("total = %d, want %d", total, tc.wantTotal)
				}
			})
		}
		t.Run("ListingCarriesDepartmentAndTeams", func(t *testing.T) {
			got, _, err := openings.FindOpenings(t.Context(), hiring.OpeningFilter{Query: "deal"})
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Department == nil || got[0].Department.Name != "Sales" || got[0].TotalVacancies() != 1 {
				t.Errorf("department %+v teams %+v", got[0].Department, got[0].Teams)
			}
		})
		t.Run("NegativePagingNamesTheField", func(t *testing.T) {
			_, _, err := openings.FindOpenings(t.Context(), hiring.OpeningFilter{Offset: -1})
			wantField(t, err, "offset")
		})
	})
}

func TestFindOpeningsByHiringManagerCountsOnlyTheirs(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		role := hiringtest.MustSampleRole(t, db)
		mine, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		other, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID, HiringManagerID: &mine.ID})
		hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID, HiringManagerID: &other.ID})
		hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: role.ID})
		got, total, err := store.NewOpeningService(db).FindOpenings(t.Context(), hiring.OpeningFilter{HiringManagerID: &mine.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(got) != 1 || got[0].HiringManagerID == nil || *got[0].HiringManagerID != mine.ID {
			t.Errorf("got %d openings (total %d), want only the one led by this manager", len(got), total)
		}
	})
}
