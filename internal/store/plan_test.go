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

func TestImportPlanCSV(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		hiringtest.MustSampleRole(t, db) // departments Engineering and Engineering > Data
		plans := store.NewPlanService(db)
		list := func(t *testing.T) []string {
			t.Helper()
			got, _, err := plans.FindPlanEntries(t.Context(), hiring.PlanFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range got {
				out = append(out, strings.Join([]string{p.Department.Slug, p.Team, p.Quarter}, "|")+
					"="+strings.Repeat("*", p.Planned))
			}
			return out
		}
		t.Run("BadRowWritesNothingAndNamesRowAndColumn", func(t *testing.T) {
			csv := "department,team,quarter,planned\n" +
				"Engineering,,2026-Q3,2\n" +
				"engineering/data,Ingestion,2026-Q3,many\n" +
				"Marketing,,2026-Q3,1\n" +
				"Data,Ingestion,2026-Q5,1\n"
			_, err := plans.ImportPlanCSV(t.Context(), strings.NewReader(csv))
			wantCode(t, err, hiring.EINVALID)
			fields := hiring.ErrorFields(err)
			for _, key := range []string{"rows[3].planned", "rows[5].quarter"} {
				if fields[key] == "" {
					t.Errorf("fields %v lack %s", fields, key)
				}
			}
			if !strings.Contains(hiring.ErrorMessage(err), "Row 3, column planned") ||
				!strings.Contains(hiring.ErrorMessage(err), "Nothing was imported.") {
				t.Errorf("message %q", hiring.ErrorMessage(err))
			}
			if got := list(t); len(got) != 0 {
				t.Errorf("entries after a failed import: %v", got)
			}
			// Once the form is right, the unknown department is reported.
			csv = "department,team,quarter,planned\nEngineering,,2026-Q3,2\nMarketing,,2026-Q3,1\n"
			_, err = plans.ImportPlanCSV(t.Context(), strings.NewReader(csv))
			if msg := hiring.ErrorFields(err)["rows[3].department"]; !strings.Contains(msg, `"Marketing"`) {
				t.Errorf("fields %v, want rows[3].department naming Marketing", hiring.ErrorFields(err))
			}
			if got := list(t); len(got) != 0 {
				t.Errorf("entries after a failed import: %v", got)
			}
		})
		t.Run("ImportsAndReplaces", func(t *testing.T) {
			csv := "\ufeffPlanned,Quarter,Team,Department\r\n2,2026-q3,,Engineering\r\n1,2026-Q3,Ingestion,engineering/data\r\n"
			res, err := plans.ImportPlanCSV(t.Context(), strings.NewReader(csv))
			if err != nil {
				t.Fatal(err)
			}
			if *res != (hiring.PlanImportResult{Created: 2}) {
				t.Errorf("result %+v", res)
			}
			res, err = plans.ImportPlanCSV(t.Context(), strings.NewReader("department,team,quarter,planned\nData,ingestion,2026-Q3,3\n"))
			if err != nil {
				t.Fatal(err)
			}
			if *res != (hiring.PlanImportResult{Updated: 1}) {
				t.Errorf("result %+v", res)
			}
			want := []string{"engineering||2026-Q3=**", "engineering/data|ingestion|2026-Q3=***"}
			if diff := cmp.Diff(want, list(t)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
		for _, tc := range []struct{ name, csv, key string }{
			{"WrongHeader", "dept,team,quarter,planned\n", "rows[1]"},
			{"DuplicateRow", "department,team,quarter,planned\nData,,2026-Q1,1\ndata,,2026-Q1,2\n", "rows[3]"},
			{"ShortRow", "department,team,quarter,planned\nData,2026-Q1,1\n", "rows[2]"},
			{"BrokenQuotes", "department,team,quarter,planned\n\"Data,,2026-Q1,1\n", "rows[2]"},
			{"Empty", "", "file"},
		} {
			t.Run("Refuses"+tc.name, func(t *testing.T) {
				_, err := plans.ImportPlanCSV(t.Context(), strings.NewReader(tc.csv))
				wantField(t, err, tc.key)
			})
		}
	})
}

func TestPlanReport(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC) // in 2026-Q3
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		role := hiringtest.MustSampleRole(t, db)
		full, err := store.NewRoleService(db).FindRoleByID(t.Context(), role.ID)
		if err != nil {
			t.Fatal(err)
		}
		data := *full.Family.DepartmentID
		plans := store.NewPlanService(db)
		for _, in := range []hiring.PlanInput{
			{DepartmentID: data, Team: "Ingestion", Quarter: "2026-Q3", Planned: 2},
			{DepartmentID: data, Quarter: "2026-Q3", Planned: 1},
			{DepartmentID: data, Quarter: "2026-Q4", Planned: 4},
		} {
			if _, err := plans.SetPlanEntry(t.Context(), in); err != nil {
				t.Fatal(err)
			}
		}
		// Q3: Ingestion 2 seats, Storage 1 seat; one Ingestion seat is hired.
		q3 := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Teams: []hiring.TeamVacancies{
			{Team: "Ingestion", Count: 2}, {Team: "Storage", Count: 1}}})
		// Counted against Q4 although it opens in Q3.
		hiringtest.MustOpenOpening(t, db, hiring.NewOpening{TargetQuarter: "2026-Q4",
			Teams: []hiring.TeamVacancies{{Team: "Ingestion", Count: 3}}})
		// A draft counts nothing.
		hiringtest.MustCreateOpening(t, db, hiring.NewOpening{})
		apps := store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{})
		a := mustApply(t, apps, hiringtest.SampleApplication(q3, "hired@example.org")).Application
		mustSetStatus(t, apps, a.ID, hiring.ApplicationHired)

		type row struct {
			Team, Quarter        string
			Planned, Open, Hired int
		}
		report := func(t *testing.T, f hiring.PlanFilter) []row {
			t.Helper()
			got, err := plans.PlanReport(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, r := range got {
				if r.DepartmentName != "Data" {
					t.Errorf("department %q, want Data", r.DepartmentName)
				}
				out = append(out, row{r.Team, r.Quarter, r.Planned, r.Open, r.Hired})
			}
			return out
		}
		t.Run("PlannedOpenAndHired", func(t *testing.T) {
			want := []row{
				{"", "2026-Q3", 1, 1, 0},          // Storage has no entry: counts in the department's row
				{"Ingestion", "2026-Q3", 2, 1, 1}, // one seat left open, one hired
				{"", "2026-Q4", 4, 3, 0},          // the Q4 opening's Ingestion seats
			}
			if diff := cmp.Diff(want, report(t, hiring.PlanFilter{})); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
		t.Run("OneQuarter", func(t *testing.T) {
			want := []row{{"", "2026-Q4", 4, 3, 0}}
			if diff := cmp.Diff(want, report(t, hiring.PlanFilter{Quarter: "2026-q4"})); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
		t.Run("HiresCountInTheQuarterOfTheHire", func(t *testing.T) {
			clock.Advance(90 * 24 * time.Hour) // November: 2026-Q4
			b := mustApply(t, apps, hiringtest.SampleApplication(q3, "later@example.org")).Application
			mustSetStatus(t, apps, b.ID, hiring.ApplicationHired)
			got := report(t, hiring.PlanFilter{Quarter: "2026-Q4"})
			want := []row{{"", "2026-Q4", 4, 3, 1}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
		t.Run("BadQuarterNamesTheField", func(t *testing.T) {
			_, err := plans.PlanReport(t.Context(), hiring.PlanFilter{Quarter: "autumn"})
			wantField(t, err, "quarter")
		})
		t.Run("SetPlanEntryChecksItsInput", func(t *testing.T) {
			_, err := plans.SetPlanEntry(t.Context(), hiring.PlanInput{DepartmentID: 999999, Quarter: "2026-Q1", Planned: 1})
			wantField(t, err, "department_id")
			_, err = plans.SetPlanEntry(t.Context(), hiring.PlanInput{DepartmentID: data, Quarter: "2026-Q1", Planned: -1})
			wantField(t, err, "planned")
		})
	})
}
