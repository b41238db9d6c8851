package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// postFile sends a multipart form with one file, as a browser's upload.
func (c *client) postFile(path, field, filename string, content []byte) *response {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		c.e.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	if err := mw.Close(); err != nil {
		c.e.t.Fatal(err)
	}
	return c.do(http.MethodPost, path, mw.FormDataContentType(), &body)
}

// planRows reads the plan table as "quarter department team planned open hired".
func planRows(tb testing.TB, res *response) []string {
	tb.Helper()
	var rows []string
	res.doc(tb).Find("table.plan tbody tr").Each(func(_ int, s *goquery.Selection) {
		cells := s.Find("td").Map(func(_ int, td *goquery.Selection) string { return strings.TrimSpace(td.Text()) })
		rows = append(rows, strings.Join(cells, " | "))
	})
	return rows
}

func planEntryCount(tb testing.TB, db *store.DB) int {
	tb.Helper()
	_, n, err := store.NewPlanService(db).FindPlanEntries(context.Background(), hiring.PlanFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestPlanImportAndReport(t *testing.T) {
	start := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)

		res := c.get("/plan")
		res.wantStatus(t, http.StatusOK)
		checkAccessible(t, "/plan", res.doc(t))
		if !strings.Contains(res.body, "Nothing is planned") {
			t.Error("no empty state before anything is planned")
		}

		file := "department,team,quarter,planned\r\nengineering/data,Create,2026-q4,3\r\nData,,2026-Q4,5\r\n"
		res = c.postFile("/plan/import", "file", "plan.csv", []byte(file))
		res.wantStatus(t, http.StatusSeeOther)
		if got := c.get("/plan").body; !strings.Contains(got, "Imported the plan: 2 entries new, 0 entries changed.") {
			t.Error("no message saying what was imported")
		}

		// An open opening counts its open seats; a hire counts in the
		// quarter of the hire and fills a seat.
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: e.role.ID, TargetQuarter: "2026-Q4",
			Teams: []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}}})
		applied := e.mustApply(t, o)
		if _, err := e.deps.Applications.SetApplicationStatus(context.Background(), applied.Application.ID,
			hiring.StatusChange{Status: hiring.ApplicationHired}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"2026-Q4 | Data | whole department | 5 | 2 | 0",
			"2026-Q4 | Data | Create | 3 | 0 | 1",
		}
		res = c.get("/plan")
		if diff := cmp.Diff(want, planRows(t, res)); diff != "" {
			t.Errorf("plan report (-want +got):\n%s", diff)
		}
		total := strings.Join(res.doc(t).Find("table.plan tfoot").Find("th, td").Map(func(_ int, s *goquery.Selection) string {
			return strings.TrimSpace(s.Text())
		}), " ")
		if total != "Total 8 2 1" {
			t.Errorf("totals row = %q", total)
		}
		if got := planRows(t, c.get("/plan?quarter=2027-Q1")); len(got) != 0 {
			t.Errorf("another quarter shows %v", got)
		}
		c.get("/plan?quarter=soon").wantStatus(t, http.StatusBadRequest)

		t.Run("BadRowImportsNothing", func(t *testing.T) {
			bad := "department,team,quarter,planned\nengineering/data,Plan,2026-Q4,2\nengineering/data,Plan,2027-Q1,many\n"
			res := c.postFile("/plan/import", "file", "plan.csv", []byte(bad))
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			checkAccessible(t, "/plan/import", d)
			msg := d.Find(".error-summary").Text()
			if !strings.Contains(msg, "Row 3, column planned: Planned hires must be a whole number") {
				t.Errorf("the error does not name row 3 and the column planned:\n%s", msg)
			}
			if n := planEntryCount(t, db); n != 2 {
				t.Errorf("%d plan entries after a rejected file, want the 2 there were", n)
			}
			unknown := "department,team,quarter,planned\nNowhere,,2026-Q4,1\n"
			msg = c.postFile("/plan/import", "file", "plan.csv", []byte(unknown)).doc(t).Find(".error-summary").Text()
			if !strings.Contains(msg, `Row 2, column department: No department is named "Nowhere"`) {
				t.Errorf("unknown department: %s", msg)
			}
			msg = c.postFile("/plan/import", "file", "plan.csv", []byte("team,planned\nx,1\n")).doc(t).Find(".error-summary").Text()
			if !strings.Contains(msg, "Row 1") || !strings.Contains(msg, "header") {
				t.Errorf("wrong header: %s", msg)
			}
			c.postFile("/plan/import", "file", "plan.csv", nil).wantStatus(t, http.StatusBadRequest)
			c.postForm("/plan/import", url.Values{"file": {"not a file"}}).wantStatus(t, http.StatusBadRequest)
			big := bytes.Repeat([]byte("engineering/data,Plan,2026-Q4,2\n"), 40000)
			c.postFile("/plan/import", "file", "plan.csv", big).wantStatus(t, http.StatusRequestEntityTooLarge)
			if n := planEntryCount(t, db); n != 2 {
				t.Errorf("%d plan entries after rejected files, want 2", n)
			}
		})

		t.Run("SetOneEntry", func(t *testing.T) {
			res := c.postForm("/plan", url.Values{"department_id": {itoa(*e.family.DepartmentID)},
				"team": {"Plan"}, "quarter": {"2027-q1"}, "planned": {"4"}})
			res.wantStatus(t, http.StatusSeeOther)
			if got := planRows(t, c.get("/plan?quarter=2027-Q1")); !cmp.Equal(got, []string{"2027-Q1 | Data | Plan | 4 | 0 | 0"}) {
				t.Errorf("after setting an entry: %v", got)
			}
			for field, form := range map[string]url.Values{
				"planned":       {"department_id": {itoa(*e.family.DepartmentID)}, "quarter": {"2027-Q1"}, "planned": {"-1"}},
				"quarter":       {"department_id": {itoa(*e.family.DepartmentID)}, "quarter": {"2027"}, "planned": {"1"}},
				"department_id": {"department_id": {""}, "quarter": {"2027-Q1"}, "planned": {"1"}},
			} {
				res := c.postForm("/plan", form)
				res.wantStatus(t, http.StatusBadRequest)
				d := res.doc(t)
				if d.Find("#"+field+"-error").Length() != 1 {
					t.Errorf("no message beside %s", field)
				}
				if v, _ := d.Find("#quarter").Attr("value"); v != form.Get("quarter") {
					t.Errorf("quarter not kept: %q", v)
				}
			}
		})

		t.Run("DownloadImportsBack", func(t *testing.T) {
			res := c.get("/plan.csv")
			res.wantStatus(t, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
				t.Errorf("Content-Disposition %q", cd)
			}
			recs, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{{"department", "team", "quarter", "planned"},
				{"engineering/data", "", "2026-Q4", "5"}, {"engineering/data", "Create", "2026-Q4", "3"},
				{"engineering/data", "Plan", "2027-Q1", "4"}}
			if diff := cmp.Diff(want, recs); diff != "" {
				t.Errorf("downloaded plan (-want +got):\n%s", diff)
			}
			c.postFile("/plan/import", "file", "plan.csv", []byte(res.body)).wantStatus(t, http.StatusSeeOther)
			if !strings.Contains(c.get("/plan").body, "0 entries new, 3 entries changed") {
				t.Error("importing the download back did not change the same 3 entries")
			}
		})
	})
}
