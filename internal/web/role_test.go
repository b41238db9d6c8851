package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// roleForm is a complete, valid role form as a browser would send it.
func roleForm() url.Values {
	return url.Values{
		"title":                  {"Staff Data Platform Engineer"},
		"level":                  {"Staff"},
		"grade":                  {"9.5"},
		"summary":                {"Sets direction for the data platform.\r\n\r\nWorks across teams."},
		"responsibilities":       {"Own the platform roadmap\r\n\r\n  Review designs across teams  \r\n"},
		"requirements":           {"Eight years of building data systems"},
		"nice_to_haves":          {""},
		"performance_indicators": {"Pipeline freshness | https://example.com/freshness\r\nCost per query"},
		"specialties":            {"Ingestion | Getting data in | Go\r\nModelling"},
		"hiring_process":         {"Screening call | 30 | a recruiter\r\nTechnical interview | 90 min\r\nReferences"},
		"career_ladder":          {"Next: Principal Engineer."},
	}
}

func TestRoleEditSaves(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		path := "/roles/" + itoa(e.role.ID)

		form := c.get(path + "/edit")
		form.wantStatus(t, http.StatusOK)
		if got, _ := form.doc(t).Find("#title").Attr("value"); got != e.role.Title {
			t.Errorf("edit form title = %q, want %q", got, e.role.Title)
		}
		if got := form.doc(t).Find("#hiring_process").Text(); got != "Screening call | 30 | a recruiter\nTechnical interview | 90" {
			t.Errorf("edit form hiring process = %q", got)
		}

		res := c.postForm(path+"/edit", roleForm())
		res.wantStatus(t, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != path {
			t.Errorf("redirected to %q, want %q", loc, path)
		}

		got, err := store.NewRoleService(db).FindRoleByID(context.Background(), e.role.ID)
		if err != nil {
			t.Fatal(err)
		}
		grade := 9.5
		want := hiring.Role{
			Title:            "Staff Data Platform Engineer",
			Level:            "Staff",
			Grade:            &grade,
			Summary:          "Sets direction for the data platform.\n\nWorks across teams.",
			Responsibilities: []string{"Own the platform roadmap", "Review designs across teams"},
			Requirements:     []string{"Eight years of building data systems"},
			NiceToHaves:      []string{},
			PerformanceIndicators: []hiring.PerformanceIndicator{
				{Name: "Pipeline freshness", URL: "https://example.com/freshness"}, {Name: "Cost per query"}},
			Specialties: []hiring.Specialty{
				{Name: "Ingestion", Description: "Getting data in", PrimaryLanguage: "Go"}, {Name: "Modelling"}},
			HiringProcess: []hiring.HiringStep{
				{Name: "Screening call", Minutes: 30, Who: "a recruiter"}, {Name: "Technical interview", Minutes: 90}, {Name: "References"}},
			CareerLadder: "Next: Principal Engineer.",
		}
		opts := cmp.FilterPath(func(p cmp.Path) bool {
			switch p.String() {
			case "ID", "FamilyID", "Family", "Slug", "Position", "ArchivedAt", "CreatedAt", "UpdatedAt":
				return true
			}
			return false
		}, cmp.Ignore())
		if diff := cmp.Diff(want, *got, opts); diff != "" {
			t.Errorf("stored role (-want +got):\n%s", diff)
		}

		page := c.get(path)
		page.wantStatus(t, http.StatusOK)
		if flash := page.doc(t).Find(".flash").Text(); !strings.Contains(flash, "Role saved") {
			t.Errorf("flash after saving = %q, want it to say the role was saved", flash)
		}
		if again := c.get(path).doc(t).Find(".flash").Length(); again != 0 {
			t.Error("the flash message shows a second time")
		}
	})
}

func TestRoleEditRejectsBadInput(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		path := "/roles/" + itoa(e.role.ID) + "/edit"
		cases := []struct {
			name  string
			field string
			value string
		}{
			{"EmptyTitle", "title", "   "},
			{"TitleTooLong", "title", strings.Repeat("t", hiring.MaxTitleLen+1)},
			{"GradeNotANumber", "grade", "eight"},
			{"GradeThirteen", "grade", "13"},
			{"GradeOutOfRange", "grade", "40"},
			{"LinkNotHTTP", "performance_indicators", "Uptime | javascript:alert(1)"},
			{"MinutesNotANumber", "hiring_process", "Screening call | soon"},
			{"MinutesTooMany", "hiring_process", "Onsite | 5000"},
			{"ItemTooLong", "requirements", strings.Repeat("r", hiring.MaxItemLen+1)},
			{"TooManyItems", "responsibilities", strings.Repeat("do a thing\n", hiring.MaxItems+1)},
			{"SpecialtyWithoutName", "specialties", " | a description only"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				form := roleForm()
				form.Set(tc.field, tc.value)
				res := c.postForm(path, form)
				res.wantStatus(t, http.StatusBadRequest)
				d := res.doc(t)
				checkAccessible(t, path, d)

				control := d.Find("#" + tc.field)
				if inv, _ := control.Attr("aria-invalid"); inv != "true" {
					t.Errorf("#%s has aria-invalid=%q, want true", tc.field, inv)
				}
				if desc, _ := control.Attr("aria-describedby"); !strings.Contains(desc, tc.field+"-error") {
					t.Errorf("#%s aria-describedby=%q does not point at its message", tc.field, desc)
				}
				if msg := strings.TrimSpace(d.Find("#" + tc.field + "-error").Text()); msg == "" {
					t.Errorf("no message beside %s", tc.field)
				}
				if d.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
					t.Errorf("the error summary does not link to %s", tc.field)
				}
				// The form comes back as typed.
				var kept string
				if control.Is("textarea") {
					kept = control.Text()
				} else {
					kept, _ = control.Attr("value")
				}
				if kept != tc.value {
					t.Errorf("#%s came back as %q, want what was typed, %q", tc.field, kept, tc.value)
				}
				if got, _ := d.Find("#level").Attr("value"); got != "Staff" {
					t.Errorf("another field came back as %q, want it kept", got)
				}
				// Nothing was stored.
				stored, err := store.NewRoleService(db).FindRoleByID(context.Background(), e.role.ID)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Title != e.role.Title || stored.Level != e.role.Level {
					t.Errorf("a rejected form changed the role: %q %q", stored.Title, stored.Level)
				}
			})
		}
	})
}

func TestRoleEditClearsGrade(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		form := roleForm()
		form.Set("grade", "")
		c.postForm("/roles/"+itoa(e.role.ID)+"/edit", form).wantStatus(t, http.StatusSeeOther)
		got, err := store.NewRoleService(db).FindRoleByID(context.Background(), e.role.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Grade != nil {
			t.Errorf("grade = %v after saving an empty grade, want none", *got.Grade)
		}
	})
}

func TestFormBodyTooLarge(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		form := roleForm()
		form.Set("summary", strings.Repeat("s", 2<<20))
		res := c.postForm("/roles/"+itoa(e.role.ID)+"/edit", form)
		res.wantStatus(t, http.StatusRequestEntityTooLarge)
		if !strings.Contains(res.doc(t).Find("main").Text(), "larger than 1 MiB") {
			t.Errorf("413 page does not say why:\n%s", res.doc(t).Find("main").Text())
		}
	})
}

func TestFamilyEdit(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		path := "/families/" + itoa(e.family.ID)

		t.Run("RejectsEmptyTitle", func(t *testing.T) {
			res := c.postForm(path+"/edit", url.Values{"title": {""}, "summary": {"Kept summary"}})
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			if d.Find("#title-error").Length() != 1 {
				t.Error("no message beside the title")
			}
			if got := d.Find("#summary").Text(); got != "Kept summary" {
				t.Errorf("summary came back as %q", got)
			}
		})
		t.Run("Saves", func(t *testing.T) {
			res := c.postForm(path+"/edit", url.Values{"title": {"  Data Platform  "}, "summary": {"New words."}})
			res.wantStatus(t, http.StatusSeeOther)
			page := c.get(path)
			d := page.doc(t)
			if got := strings.TrimSpace(d.Find("h1").Text()); got != "Data Platform" {
				t.Errorf("h1 = %q after saving", got)
			}
			if !strings.Contains(d.Find(".prose").Text(), "New words.") {
				t.Error("the new summary is not shown")
			}
		})
	})
}
