package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// mustOpening makes a draft opening of the sample role, led by manager
// when one is given, with the sample questions.
func (e *env) mustOpening(tb testing.TB, manager *hiring.User) *hiring.Opening {
	tb.Helper()
	n := hiring.NewOpening{RoleID: e.role.ID, Questions: hiringtest.SampleQuestions(),
		Teams: []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}}}
	if manager != nil {
		n.HiringManagerID = &manager.ID
	}
	return hiringtest.MustCreateOpening(tb, e.db, n)
}

// mustApplied opens a new opening (see mustOpening) and applies to it with
// the sample application from a new email address; change adjusts the
// application first.
func (e *env) mustApplied(tb testing.TB, manager *hiring.User, change ...func(*hiring.ApplyInput)) (*hiring.Opening, *hiring.ApplyResult) {
	tb.Helper()
	o := e.mustOpening(tb, manager)
	o, err := store.NewOpeningService(e.db).SetOpeningStatus(context.Background(), o.ID, hiring.OpeningOpen)
	if err != nil {
		tb.Fatalf("open opening: %v", err)
	}
	return o, e.mustApply(tb, o, change...)
}

// mustApply applies to o with the sample application from a new address.
func (e *env) mustApply(tb testing.TB, o *hiring.Opening, change ...func(*hiring.ApplyInput)) *hiring.ApplyResult {
	tb.Helper()
	in := hiringtest.SampleApplication(o, "applicant-"+unique()+"@example.com")
	for _, c := range change {
		c(&in)
	}
	res, err := e.deps.Applications.Apply(context.Background(), in)
	if err != nil {
		tb.Fatalf("apply: %v", err)
	}
	return res
}

// openingForm is a complete, valid form for a new opening of role, as a
// browser would send it.
func openingForm(role *hiring.Role, manager *hiring.User) url.Values {
	f := url.Values{
		"role_id":           {itoa(role.ID)},
		"title":             {"Data Platform Engineer, Ingestion"},
		"specialty":         {"Ingestion"},
		"requisition_id":    {""},
		"department_id":     {itoa(*role.Family.DepartmentID)},
		"teams":             {"Create: 1\r\nPlan: 2\r\n"},
		"remote":            {"on"},
		"locations":         {"Berlin | de\r\nGermany | DE | remote"},
		"employment_type":   {"full_time"},
		"pay_min":           {"85,000"},
		"pay_max":           {"110000.50"},
		"pay_currency":      {"eur"},
		"pay_period":        {"year"},
		"target_quarter":    {"2026-q4"},
		"hiring_manager_id": {""},
		"recruiter_id":      {""},
		"coordinator_id":    {""},
		"description":       {"We load data.\r\n\r\n## Requirements\r\n\r\n- SQL"},
		"q_rows":            {"3"},
		"q0_label":          {"Which stream processors have you run?"},
		"q0_type":           {"multi_select"},
		"q0_options":        {"Kafka\r\nFlink\r\n"},
		"q0_required":       {"on"},
		"q1_label":          {""},
		"q1_type":           {"short_text"},
		"q2_label":          {"Anything else?"},
		"q2_type":           {"long_text"},
	}
	if manager != nil {
		f.Set("hiring_manager_id", itoa(manager.ID))
	}
	return f
}

// sampleRole returns the sample role with its family, as openings need.
func (e *env) sampleRole(tb testing.TB) *hiring.Role {
	tb.Helper()
	r, err := store.NewRoleService(e.db).FindRoleByID(context.Background(), e.role.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestOpeningCreatedFromRole(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		manager := e.mustSignIn(hiring.RoleHiringManager).user
		role := e.sampleRole(t)

		href, ok := c.get("/roles/" + itoa(role.ID)).doc(t).Find(`a[href^="/openings/new"]`).Attr("href")
		if !ok {
			t.Fatal("the role page has no “Create an opening” link for a recruiter")
		}
		if e.anonymous().get("/roles/"+itoa(role.ID)).doc(t).Find(`a[href^="/openings/new"]`).Length() != 0 {
			t.Error("an anonymous visitor sees “Create an opening”")
		}

		res := c.get(href)
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, href, d)
		if got, _ := d.Find("#title").Attr("value"); got != role.Title {
			t.Errorf("title prefilled with %q, want %q", got, role.Title)
		}
		if got, _ := d.Find("#department_id option[selected]").Attr("value"); got != itoa(*role.Family.DepartmentID) {
			t.Errorf("department preselected %q, want the family's %d", got, *role.Family.DepartmentID)
		}
		desc := d.Find("#description").Text()
		for _, want := range []string{role.Summary, "- " + role.Responsibilities[0], "Screening call (30 minutes)"} {
			if !strings.Contains(desc, want) {
				t.Errorf("composed description lacks %q:\n%s", want, desc)
			}
		}
		if n := d.Find(`#hiring_manager_id option`).Length(); n < 2 {
			t.Errorf("hiring manager select has %d options", n)
		}

		res = c.postForm("/openings", openingForm(role, manager))
		res.wantStatus(t, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/openings/") {
			t.Fatalf("redirected to %q", loc)
		}
		list, _, err := store.NewOpeningService(db).FindOpenings(context.Background(), hiring.OpeningFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("openings after create: %d, %v", len(list), err)
		}
		o, err := store.NewOpeningService(db).FindOpeningByID(context.Background(), list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if loc != "/openings/"+itoa(o.ID) {
			t.Errorf("redirected to %q, want the opening", loc)
		}
		got := struct {
			Title, Specialty, Quarter, Description string
			Status                                 hiring.OpeningStatus
			Teams                                  []hiring.TeamVacancies
			Locations                              []hiring.Location
			Pay                                    *hiring.PayRange
			Manager                                *int64
			Codes                                  []string
		}{o.Title, o.Specialty, o.TargetQuarter, o.Description, o.Status, o.Teams, o.Locations, o.Pay, o.HiringManagerID, nil}
		for _, v := range o.Vacancies {
			got.Codes = append(got.Codes, v.Code+" "+v.Team)
		}
		req := o.RequisitionID
		want := got
		want.Title, want.Specialty, want.Quarter, want.Status = "Data Platform Engineer, Ingestion", "Ingestion", "2026-Q4", hiring.OpeningDraft
		want.Description = "We load data.\n\n## Requirements\n\n- SQL"
		want.Teams = []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}}
		want.Locations = []hiring.Location{{Name: "Remote", Remote: true}, {Name: "Berlin", CountryCode: "DE"},
			{Name: "Germany", CountryCode: "DE", Remote: true}}
		want.Pay = &hiring.PayRange{Min: 8500000, Max: 11000050, Currency: "EUR", Period: hiring.PerYear}
		want.Manager = &manager.ID
		want.Codes = []string{req + "-1 Create", req + "-2 Plan", req + "-3 Plan"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("opening stored (-want +got):\n%s", diff)
		}
		wantQ := []string{"Which stream processors have you run? multi_select true [Kafka Flink]", "Anything else? long_text false []"}
		var gotQ []string
		for _, q := range o.Questions {
			gotQ = append(gotQ, fmt.Sprintf("%s %s %v %v", q.Label, q.Type, q.Required, q.Options))
		}
		if diff := cmp.Diff(wantQ, gotQ); diff != "" {
			t.Errorf("questions (-want +got):\n%s", diff)
		}

		page := c.get(loc)
		page.wantStatus(t, http.StatusOK)
		pd := page.doc(t)
		checkAccessible(t, loc, pd)
		var codes []string
		pd.Find(".vacancy-code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
		if diff := cmp.Diff([]string{req + "-1", req + "-2", req + "-3"}, codes); diff != "" {
			t.Errorf("vacancy codes on the page (-want +got):\n%s", diff)
		}
		text := pd.Find("main").Text()
		for _, s := range []string{"Opening " + req + " was made as a draft with 3 vacancies", "85,000–110,000.50 EUR per year",
			"Berlin (DE)", "Test Hiring manager", "Which stream processors have you run?"} {
			if !strings.Contains(text, s) {
				t.Errorf("opening page does not show %q", s)
			}
		}
	})
}

func TestOpeningDescriptionComposedWithSpecialty(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		role := e.sampleRole(t)
		composed := c.get("/openings/new?role=" + itoa(role.ID)).doc(t).Find("#description").Text()
		form := openingForm(role, nil)
		form.Set("description", strings.ReplaceAll(composed, "\n", "\r\n"))
		c.postForm("/openings", form).wantStatus(t, http.StatusSeeOther)
		list, _, err := store.NewOpeningService(db).FindOpenings(context.Background(), hiring.OpeningFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("openings: %d, %v", len(list), err)
		}
		if !strings.Contains(list[0].Description, role.Specialties[0].Description) {
			t.Errorf("an untouched description was not composed again with the specialty:\n%s", list[0].Description)
		}
	})
}

func TestOpeningFormRejectsBadInput(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		role := e.sampleRole(t)
		for _, tc := range []struct {
			name   string
			change func(url.Values)
			// field is the id of the element the message must be beside.
			field string
		}{
			{"MissingTitle", func(f url.Values) { f.Set("title", "  ") }, "title"},
			{"TeamCountNotANumber", func(f url.Values) { f.Set("teams", "Create: x\r\nPlan: 2") }, "teams"},
			{"ZeroVacancies", func(f url.Values) { f.Set("teams", "Create: 0") }, "teams"},
			{"NoVacancies", func(f url.Values) { f.Set("teams", "") }, "teams"},
			{"PayMinAboveMax", func(f url.Values) { f.Set("pay_min", "120000"); f.Set("pay_max", "90000") }, "pay"},
			{"BadCurrency", func(f url.Values) { f.Set("pay_currency", "E1") }, "pay"},
			{"PayAmountNotMoney", func(f url.Values) { f.Set("pay_min", "lots") }, "pay_min"},
			{"UnknownUser", func(f url.Values) { f.Set("hiring_manager_id", "999999") }, "hiring_manager_id"},
			{"BadQuarter", func(f url.Values) { f.Set("target_quarter", "Q5") }, "target_quarter"},
			{"ChoiceWithoutOptions", func(f url.Values) { f.Set("q0_options", "") }, "q0_options"},
			{"QuestionWithoutWording", func(f url.Values) { f.Set("q2_label", ""); f.Set("q2_options", "x") }, "q2_label"},
			{"BadLocationMark", func(f url.Values) { f.Set("locations", "Berlin | DE | sometimes") }, "locations"},
			{"ScriptInTitleIsKeptAsText", func(f url.Values) { f.Set("title", "<script>alert(1)</script>"); f.Set("teams", "x") }, "teams"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				form := openingForm(role, nil)
				tc.change(form)
				res := c.postForm("/openings", form)
				res.wantStatus(t, http.StatusBadRequest)
				d := res.doc(t)
				checkAccessible(t, "/openings", d)
				if d.Find(".error-summary").Length() == 0 {
					t.Error("no error summary")
				}
				msg := strings.TrimSpace(d.Find("#" + tc.field + "-error").Text())
				if msg == "" {
					t.Fatalf("no message beside %s; summary: %s", tc.field, d.Find(".error-summary").Text())
				}
				if tc.field != "pay" {
					if inv, _ := d.Find("#" + tc.field).Attr("aria-invalid"); inv != "true" {
						t.Errorf("%s is not marked invalid", tc.field)
					}
				}
				if got := d.Find("#teams").Text(); got != strings.ReplaceAll(form.Get("teams"), "\r\n", "\n") {
					t.Errorf("teams not kept: %q", got)
				}
				if got, _ := d.Find("#title").Attr("value"); got != form.Get("title") {
					t.Errorf("title not kept: %q", got)
				}
				if got, _ := d.Find("#q0_label").Attr("value"); got != form.Get("q0_label") {
					t.Errorf("question not kept: %q", got)
				}
				if strings.Contains(res.body, "<script>alert") {
					t.Error("typed HTML came back unescaped")
				}
				_, n, err := store.NewOpeningService(db).FindOpenings(context.Background(), hiring.OpeningFilter{})
				if err != nil || n != 0 {
					t.Errorf("a rejected form stored %d openings (%v)", n, err)
				}
			})
		}
		t.Run("DuplicateRequisitionID", func(t *testing.T) {
			first := openingForm(role, nil)
			first.Set("requisition_id", "R-77")
			c.postForm("/openings", first).wantStatus(t, http.StatusSeeOther)
			res := c.postForm("/openings", first)
			res.wantStatus(t, http.StatusBadRequest)
			if msg := res.doc(t).Find("#requisition_id-error").Text(); !strings.Contains(msg, "already") {
				t.Errorf("requisition id message = %q", msg)
			}
		})
		t.Run("UnknownRole", func(t *testing.T) {
			c.get("/openings/new?role=999999").wantStatus(t, http.StatusNotFound)
			c.get("/openings/new?role=abc").wantStatus(t, http.StatusBadRequest)
			res := c.get("/openings/new")
			res.wantStatus(t, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/roles" {
				t.Errorf("without a role, sent to %q, want /roles", loc)
			}
		})
	})
}

func TestOpeningStatusButtons(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		o := e.mustOpening(t, nil)
		path := "/openings/" + itoa(o.ID)
		press := func(wantLabel string, wantJobLink bool) {
			t.Helper()
			d := c.get(path).doc(t)
			form := d.Find(`form[action="` + path + `/status"]`)
			if form.Length() != 1 {
				t.Fatalf("%d status buttons, want 1", form.Length())
			}
			if got := strings.TrimSpace(form.Find("button").Text()); got != wantLabel {
				t.Errorf("button %q, want %q", got, wantLabel)
			}
			if got := d.Find(`a[href="/jobs/`+itoa(o.ID)+`"]`).Length() > 0; got != wantJobLink {
				t.Errorf("link to the job page shown: %v, want %v", got, wantJobLink)
			}
			status, _ := form.Find(`input[name="status"]`).Attr("value")
			c.postForm(path+"/status", url.Values{"status": {status}}).wantStatus(t, http.StatusSeeOther)
		}
		statusNow := func() hiring.OpeningStatus {
			got, err := store.NewOpeningService(db).FindOpeningByID(context.Background(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		press("Open and publish", false)
		if s := statusNow(); s != hiring.OpeningOpen {
			t.Fatalf("after opening: %s", s)
		}
		if !strings.Contains(c.get(path).body, "is open and published") {
			t.Error("no message after opening")
		}
		press("Close", true)
		if s := statusNow(); s != hiring.OpeningClosed {
			t.Fatalf("after closing: %s", s)
		}
		press("Reopen", false)
		if s := statusNow(); s != hiring.OpeningOpen {
			t.Fatalf("after reopening: %s", s)
		}

		c.postForm(path+"/status", url.Values{"status": {"open"}}).wantStatus(t, http.StatusConflict)
		c.postForm(path+"/status", url.Values{"status": {"draft"}}).wantStatus(t, http.StatusBadRequest)
		c.postForm(path+"/status", url.Values{}).wantStatus(t, http.StatusBadRequest)
		c.postForm("/openings/999999/status", url.Values{"status": {"open"}}).wantStatus(t, http.StatusNotFound)
	})
}

func TestOpeningEditSaves(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleRecruiter)
		o := e.mustOpening(t, nil)
		path := "/openings/" + itoa(o.ID) + "/edit"

		res := c.get(path)
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, path, d)
		if got := d.Find("#teams").Text(); got != "Create: 1\nPlan: 2" {
			t.Errorf("teams in the form = %q", got)
		}
		if got := d.Find("#description").Text(); got != o.Description {
			t.Errorf("description in the form = %q, want %q", got, o.Description)
		}
		if n := d.Find("fieldset.question").Length(); n != len(o.Questions)+3 {
			t.Errorf("%d question groups, want %d", n, len(o.Questions)+3)
		}
		if got, _ := d.Find("#q1_label").Attr("value"); got != o.Questions[1].Label {
			t.Errorf("second question = %q", got)
		}

		// Send the form back as the browser would, with changes.
		form := url.Values{}
		d.Find("form.wide input, form.wide select, form.wide textarea").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			switch {
			case goquery.NodeName(s) == "textarea":
				form.Set(name, s.Text())
			case goquery.NodeName(s) == "select":
				v, _ := s.Find("option[selected]").Attr("value")
				form.Set(name, v)
			default:
				if t, _ := s.Attr("type"); t == "checkbox" {
					if _, on := s.Attr("checked"); on {
						form.Set(name, "on")
					}
					return
				}
				v, _ := s.Attr("value")
				form.Set(name, v)
			}
		})
		form.Set("title", "Data Platform Engineer (Streaming)")
		form.Set("teams", "Create: 2\nPlan: 1")
		form.Set("description", "Edited by hand.")
		form.Set("pay_min", "12.25")
		form.Set("pay_max", "20")
		form.Set("pay_currency", "USD")
		form.Set("pay_period", "hour")
		form.Set("q0_remove", "on")
		n := len(o.Questions)
		form.Set("q"+itoa(int64(n))+"_label", "Do you hold a driving licence?")
		form.Set("q"+itoa(int64(n))+"_type", "yes_no")
		res = c.postForm(path, form)
		res.wantStatus(t, http.StatusSeeOther)

		got, err := store.NewOpeningService(db).FindOpeningByID(context.Background(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Data Platform Engineer (Streaming)" || got.Description != "Edited by hand." {
			t.Errorf("title %q, description %q", got.Title, got.Description)
		}
		if diff := cmp.Diff(&hiring.PayRange{Min: 1225, Max: 2000, Currency: "USD", Period: hiring.PerHour}, got.Pay); diff != "" {
			t.Errorf("pay (-want +got):\n%s", diff)
		}
		var labels []string
		for _, q := range got.Questions {
			labels = append(labels, q.Label)
		}
		wantLabels := []string{o.Questions[1].Label, o.Questions[2].Label, o.Questions[3].Label, "Do you hold a driving licence?"}
		if diff := cmp.Diff(wantLabels, labels); diff != "" {
			t.Errorf("questions after removing the first and adding one (-want +got):\n%s", diff)
		}
		if got.Questions[0].ID != o.Questions[1].ID {
			t.Errorf("a kept question changed its id from %d to %d", o.Questions[1].ID, got.Questions[0].ID)
		}
		var open []string
		for _, v := range got.Vacancies {
			if v.Status == hiring.VacancyOpen {
				open = append(open, v.Team)
			}
		}
		slices.Sort(open)
		if diff := cmp.Diff([]string{"Create", "Create", "Plan"}, open); diff != "" {
			t.Errorf("open vacancies after changing the counts (-want +got):\n%s", diff)
		}

		t.Run("RejectedEditKeepsWhatWasTyped", func(t *testing.T) {
			form.Set("teams", "Create: many")
			form.Set("title", "Typed but not saved")
			res := c.postForm(path, form)
			res.wantStatus(t, http.StatusBadRequest)
			d := res.doc(t)
			if d.Find("#teams-error").Length() != 1 {
				t.Error("no message beside the teams")
			}
			if v, _ := d.Find("#title").Attr("value"); v != "Typed but not saved" {
				t.Errorf("title not kept: %q", v)
			}
		})
	})
}

func TestOpeningsList(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		recruiter := e.mustSignIn(hiring.RoleRecruiter)
		manager := e.mustSignIn(hiring.RoleHiringManager)
		own := e.mustOpening(t, manager.user)
		other, _ := e.mustApplied(t, nil)
		titles := func(c *client, path string) []string {
			t.Helper()
			res := c.get(path)
			res.wantStatus(t, http.StatusOK)
			var got []string
			res.doc(t).Find(`tbody a[href^="/openings/"]:not([href$="/applications"])`).Each(func(_ int, s *goquery.Selection) {
				href, _ := s.Attr("href")
				got = append(got, href)
			})
			return got
		}
		all := titles(recruiter, "/openings")
		if diff := cmp.Diff([]string{"/openings/" + itoa(other.ID), "/openings/" + itoa(own.ID)}, all); diff != "" {
			t.Errorf("recruiter's list, newest first (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"/openings/" + itoa(other.ID)}, titles(recruiter, "/openings?status=open")); diff != "" {
			t.Errorf("open openings (-want +got):\n%s", diff)
		}
		if got := titles(recruiter, "/openings?department_id=999999"); len(got) != 0 {
			t.Errorf("unknown department lists %v", got)
		}
		if got := titles(recruiter, "/openings?department_id="+itoa(*e.family.DepartmentID)); len(got) != 2 {
			t.Errorf("the family's department lists %v", got)
		}
		if diff := cmp.Diff([]string{"/openings/" + itoa(own.ID)}, titles(manager, "/openings")); diff != "" {
			t.Errorf("a hiring manager's list (-want +got):\n%s", diff)
		}
		if strings.Contains(recruiter.get("/openings?status=draft&department_id=999999").body, "No opening matches") == false {
			t.Error("no empty state for filters that match nothing")
		}
		recruiter.get("/openings?status=sideways").wantStatus(t, http.StatusBadRequest)
		recruiter.get("/openings?department_id=x").wantStatus(t, http.StatusBadRequest)
		recruiter.get("/openings?page=0").wantStatus(t, http.StatusBadRequest)
	})
}
