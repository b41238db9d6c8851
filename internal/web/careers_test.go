package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// The careers site's public address and employer in these tests.
const (
	testBaseURL = "https://jobs.example.com"
	testCompany = "Example Co"
)

// mustCareersEnv starts a server as main wires it for the careers site:
// a base URL, a company name, confirmation emails with the Guide link,
// and no rate limit unless change sets one.
func mustCareersEnv(t *testing.T, db *store.DB, change ...func(*web.Deps)) *env {
	t.Helper()
	blobs := hiringtest.MustNewBlobStore(t)
	wire := func(d *web.Deps) {
		d.BaseURL = testBaseURL
		d.CompanyName = testCompany
		d.ApplyRatePerMinute = -1
		d.Applications = store.NewApplicationService(db, blobs, store.ApplyRules{
			Confirm: func(c hiring.Confirmation) hiring.MessageDraft {
				return hiring.ComposeConfirmation(c, web.GuideURL(testBaseURL, c.GuideToken))
			}})
		d.Files = store.NewFileService(db, blobs)
	}
	return mustEnv(t, db, append([]func(*web.Deps){wire}, change...)...)
}

// mustPeopleRole imports a second family, in another department, and
// returns its role.
func mustPeopleRole(t *testing.T, db *store.DB) *hiring.Role {
	t.Helper()
	res, err := store.NewFamilyService(db).ImportFamily(context.Background(), &hiring.Family{
		Slug:           "talent-partner",
		Title:          "Talent Partner",
		DepartmentPath: []string{"People"},
		Source:         "job-families/people/talent-partner.md",
		ContentHash:    "people-v1",
		Roles: []*hiring.Role{{
			Slug: "talent-partner", Title: "Talent Partner", Level: "Intermediate",
			Responsibilities: []string{"Run fair and friendly hiring processes"},
			HiringProcess:    []hiring.HiringStep{{Name: "Conversation with the people lead", Minutes: 45}},
		}},
	})
	if err != nil {
		t.Fatalf("import people family: %v", err)
	}
	return res.Family.Roles[0]
}

// mustFindOpening reads an opening back whole (role, vacancies).
func mustFindOpening(t *testing.T, db *store.DB, id int64) *hiring.Opening {
	t.Helper()
	o, err := store.NewOpeningService(db).FindOpeningByID(context.Background(), id)
	if err != nil {
		t.Fatalf("find opening %d: %v", id, err)
	}
	return o
}

func mustCloseOpening(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	if _, err := store.NewOpeningService(db).SetOpeningStatus(context.Background(), id, hiring.OpeningClosed); err != nil {
		t.Fatalf("close opening %d: %v", id, err)
	}
}

// careersFixture is a small careers site: two open jobs in two
// departments, a draft and a closed one.
type careersFixture struct {
	data, people, draft, closed *hiring.Opening
}

func mustCareersFixture(t *testing.T, db *store.DB) careersFixture {
	t.Helper()
	var f careersFixture
	f.data = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{
		Title:     "Data Platform Engineer, Pipelines",
		Teams:     []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}},
		Locations: []hiring.Location{{Name: "Berlin", CountryCode: "DE"}},
		Pay:       &hiring.PayRange{Min: 8500000, Max: 10000000, Currency: "EUR", Period: hiring.PerYear},
	})
	f.people = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{
		RoleID:         mustPeopleRole(t, db).ID,
		Locations:      []hiring.Location{{Remote: true}},
		EmploymentType: hiring.PartTime,
	})
	f.draft = hiringtest.MustCreateOpening(t, db, hiring.NewOpening{Title: "Secret Draft Engineer"})
	f.closed = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: "Closed Pipeline Engineer"})
	mustCloseOpening(t, db, f.closed.ID)
	return f
}

// jobList reads the job list as "department: title" lines.
func jobList(t *testing.T, d *goquery.Document) []string {
	t.Helper()
	var got []string
	d.Find("section.job-group").Each(func(_ int, s *goquery.Selection) {
		dept := strings.TrimSpace(s.Find("h2").Text())
		s.Find(".job-title").Each(func(_ int, a *goquery.Selection) {
			got = append(got, dept+": "+strings.TrimSpace(a.Text()))
		})
	})
	return got
}

func TestJobList(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		c := e.anonymous()

		t.Run("ShowsOnlyOpenJobsByDepartment", func(t *testing.T) {
			res := c.get("/jobs")
			res.wantStatus(t, http.StatusOK)
			d := res.doc(t)
			checkAccessible(t, "/jobs", d)
			want := []string{"Data: Data Platform Engineer, Pipelines", "People: Talent Partner"}
			if diff := cmp.Diff(want, jobList(t, d)); diff != "" {
				t.Errorf("job list (-want +got):\n%s", diff)
			}
			if got := strings.TrimSpace(d.Find(".job-count").Text()); got != "2 open jobs." {
				t.Errorf("count = %q, want %q", got, "2 open jobs.")
			}
			meta := d.Find(`a[href="/jobs/` + itoa(f.data.ID) + `"]`).Parent().Find(".job-meta").Text()
			for _, s := range []string{"Berlin", "Full-time", "3 vacancies: Create 1, Plan 2"} {
				if !strings.Contains(meta, s) {
					t.Errorf("data job line %q lacks %q", meta, s)
				}
			}
			remote := d.Find(`a[href="/jobs/` + itoa(f.people.ID) + `"]`).Parent()
			if got := remote.Find(".badge").Text(); got != "Remote" {
				t.Errorf("remote job badge = %q, want Remote", got)
			}
			if n := strings.Count(remote.Find(".job-meta").Text(), "Remote"); n != 1 {
				t.Errorf("remote job line says Remote %d times: %q", n, remote.Find(".job-meta").Text())
			}
			if strings.Contains(res.body, "Secret Draft") || strings.Contains(res.body, "Closed Pipeline") {
				t.Error("the list shows a draft or a closed job")
			}
		})

		t.Run("FiltersAndSearch", func(t *testing.T) {
			peopleDept := itoa(*f.people.DepartmentID)
			for _, tc := range []struct {
				name, query string
				want        []string
			}{
				{"ByDepartment", "department=" + peopleDept, []string{"People: Talent Partner"}},
				{"RemoteOnly", "remote=yes", []string{"People: Talent Partner"}},
				{"OnSiteOnly", "remote=no", []string{"Data: Data Platform Engineer, Pipelines"}},
				{"ByLocation", "location=Berlin", []string{"Data: Data Platform Engineer, Pipelines"}},
				{"SearchIgnoresCase", "q=PIPELINES", []string{"Data: Data Platform Engineer, Pipelines"}},
				{"SearchAndFilterTogether", "q=pipelines&remote=yes", nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res := c.get("/jobs?" + tc.query)
					res.wantStatus(t, http.StatusOK)
					d := res.doc(t)
					if diff := cmp.Diff(tc.want, jobList(t, d)); diff != "" {
						t.Errorf("jobs for %s (-want +got):\n%s", tc.query, diff)
					}
					if d.Find(`a[href="/jobs"]`).Length() == 0 {
						t.Error("a filtered list has no link to clear the filters")
					}
				})
			}
			d := c.get("/jobs?department=" + peopleDept).doc(t)
			if v, _ := d.Find("#department option[selected]").Attr("value"); v != peopleDept {
				t.Errorf("selected department = %q, want %q", v, peopleDept)
			}
			empty := c.get("/jobs?q=astronaut").doc(t)
			if got := empty.Find(".empty-state h2").Text(); got != "No jobs match" {
				t.Errorf("empty state heading = %q", got)
			}
			if !strings.Contains(empty.Find(".job-count").Text(), "0 jobs match your search, of 2 open") {
				t.Errorf("empty count = %q", empty.Find(".job-count").Text())
			}
		})

		t.Run("RefusesBadFilters", func(t *testing.T) {
			for _, q := range []string{"department=abc", "remote=maybe", "q=" + strings.Repeat("x", 300)} {
				res := c.get("/jobs?" + q)
				res.wantStatus(t, http.StatusBadRequest)
				checkAccessible(t, "/jobs?"+q, res.doc(t))
			}
		})
	})
}

func TestJobListWithoutJobs(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		res := e.anonymous().get("/jobs")
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		if got := d.Find(".empty-state h2").Text(); got != "No open jobs right now" {
			t.Errorf("empty state heading = %q", got)
		}
		if d.Find("section.job-group").Length() != 0 {
			t.Error("an empty list shows department sections")
		}
	})
}

func TestJobsNotPublished(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		c := e.anonymous()

		t.Run("DraftIsNotFound", func(t *testing.T) {
			res := c.get("/jobs/" + itoa(f.draft.ID))
			res.wantStatus(t, http.StatusNotFound)
			if strings.Contains(res.body, f.draft.Title) {
				t.Error("the not-found page names the draft")
			}
			c.postMultipart("/jobs/"+itoa(f.draft.ID)+"/apply", validApplication(f.draft, "draft@example.com")).
				wantStatus(t, http.StatusNotFound)
		})
		t.Run("ClosedIsGoneWithALinkToOpenJobs", func(t *testing.T) {
			res := c.get("/jobs/" + itoa(f.closed.ID))
			res.wantStatus(t, http.StatusGone)
			d := res.doc(t)
			checkAccessible(t, "closed job", d)
			if got := d.Find("h1").Text(); got != "This job is closed" {
				t.Errorf("h1 = %q", got)
			}
			if d.Find(`main a[href="/jobs"]`).Length() == 0 {
				t.Error("the closed page has no link to the open jobs")
			}
			c.postMultipart("/jobs/"+itoa(f.closed.ID)+"/apply", validApplication(f.closed, "closed@example.com")).
				wantStatus(t, http.StatusGone)
		})
		t.Run("MissingAndMalformed", func(t *testing.T) {
			c.get("/jobs/999999").wantStatus(t, http.StatusNotFound)
			c.get("/jobs/abc").wantStatus(t, http.StatusBadRequest)
		})
	})
}

// jsonLD returns the JSON-LD of a page, decoded.
func jsonLD(t *testing.T, d *goquery.Document) map[string]any {
	t.Helper()
	scripts := d.Find(`script[type="application/ld+json"]`)
	if scripts.Length() != 1 {
		t.Fatalf("%d JSON-LD scripts, want 1", scripts.Length())
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(scripts.Text()), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, scripts.Text())
	}
	return v
}

func TestJobPage(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		c := e.anonymous()
		job := mustFindOpening(t, db, f.data.ID)
		res := c.get("/jobs/" + itoa(job.ID))
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, "job page", d)

		t.Run("ShowsTheJob", func(t *testing.T) {
			if got := d.Find("h1").Text(); got != job.Title {
				t.Errorf("h1 = %q, want %q", got, job.Title)
			}
			facts := d.Find(".job-facts").Text()
			for _, s := range []string{"Data", "Berlin", "Full-time", "85,000–100,000 EUR per year",
				job.OpenedAt.UTC().Format("2 Jan 2006"), job.RequisitionID} {
				if !strings.Contains(facts, s) {
					t.Errorf("facts %q lack %q", facts, s)
				}
			}
			if got := d.Find("#vacancies + p").Text(); got != "We are hiring 3 people, in these teams:" {
				t.Errorf("vacancies = %q", got)
			}
			var teams []string
			d.Find(".team-vacancies li").Each(func(_ int, s *goquery.Selection) { teams = append(teams, s.Text()) })
			if diff := cmp.Diff([]string{"Create: 1 vacancy", "Plan: 2 vacancies"}, teams); diff != "" {
				t.Errorf("vacancies per team (-want +got):\n%s", diff)
			}
			if got := d.Find(".job-description h2").First().Text(); got != "Responsibilities" {
				t.Errorf("first heading of the description = %q; is the Markdown rendered?", got)
			}
			if !strings.Contains(d.Find(".job-description li").Text(), "Keep nightly loads on time") {
				t.Error("the description does not list the responsibilities")
			}
		})
		t.Run("ShowsTheHiringSteps", func(t *testing.T) {
			var steps []string
			d.Find("#how-we-hire + p + ol li").Each(func(_ int, s *goquery.Selection) {
				steps = append(steps, strings.Join(strings.Fields(s.Text()), " "))
			})
			want := []string{"Screening call 30 min with a recruiter", "Technical interview 1 h 30 min"}
			if diff := cmp.Diff(want, steps); diff != "" {
				t.Errorf("hiring steps (-want +got):\n%s", diff)
			}
		})
		t.Run("HasJobPostingData", func(t *testing.T) {
			ld := jsonLD(t, d)
			org, _ := ld["hiringOrganization"].(map[string]any)
			id, _ := ld["identifier"].(map[string]any)
			salary, _ := ld["baseSalary"].(map[string]any)
			value, _ := salary["value"].(map[string]any)
			got := map[string]any{
				"@context": ld["@context"], "@type": ld["@type"], "title": ld["title"],
				"datePosted": ld["datePosted"], "employmentType": ld["employmentType"],
				"org": org["name"], "requisition": id["value"], "url": ld["url"],
				"currency": salary["currency"], "min": value["minValue"], "max": value["maxValue"], "unit": value["unitText"],
				"remote": ld["jobLocationType"], "openings": ld["totalJobOpenings"],
			}
			want := map[string]any{
				"@context": "https://schema.org/", "@type": "JobPosting", "title": job.Title,
				"datePosted": job.OpenedAt.UTC().Format("2006-01-02"), "employmentType": "FULL_TIME",
				"org": testCompany, "requisition": job.RequisitionID, "url": testBaseURL + "/jobs/" + itoa(job.ID),
				"currency": "EUR", "min": 85000.0, "max": 100000.0, "unit": "YEAR",
				"remote": nil, "openings": 3.0,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("JSON-LD (-want +got):\n%s", diff)
			}
			desc, _ := ld["description"].(string)
			if !strings.Contains(desc, "<li>Keep nightly loads on time</li>") {
				t.Errorf("JSON-LD description is not the job's HTML: %.200s", desc)
			}
			places, _ := ld["jobLocation"].([]any)
			if len(places) != 1 || !strings.Contains(mustJSON(t, places[0]), `"addressCountry":"DE"`) {
				t.Errorf("jobLocation = %s, want Berlin in DE", mustJSON(t, places))
			}
		})
		t.Run("RemoteJobIsTelecommute", func(t *testing.T) {
			ld := jsonLD(t, c.get("/jobs/"+itoa(f.people.ID)).doc(t))
			if ld["jobLocationType"] != "TELECOMMUTE" || ld["employmentType"] != "PART_TIME" {
				t.Errorf("jobLocationType %v, employmentType %v; want TELECOMMUTE, PART_TIME", ld["jobLocationType"], ld["employmentType"])
			}
			if _, ok := ld["baseSalary"]; ok {
				t.Error("a job without pay states a salary")
			}
		})
	})
}

// The hiring process shows once on a job page, as the list of steps with
// their durations, although the composed description has a section on it
// too; the stored description keeps that section for staff.
func TestJobPageShowsTheHiringProcessOnce(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		c := e.anonymous()

		t.Run("ComposedDescription", func(t *testing.T) {
			res := c.get("/jobs/" + itoa(f.data.ID))
			res.wantStatus(t, http.StatusOK)
			for _, step := range []string{"Screening call", "Technical interview"} {
				if n := strings.Count(res.body, step); n != 1 {
					t.Errorf("%q appears %d times on the page, want once", step, n)
				}
			}
			d := res.doc(t)
			if got := d.Find("#how-we-hire + p + ol li").Length(); got != 2 {
				t.Errorf("%d steps in the list, want 2", got)
			}
			if got := d.Find(".job-description").Text(); strings.Contains(got, "Hiring process") ||
				!strings.Contains(got, "Keep nightly loads on time") {
				t.Errorf("description = %q, want the responsibilities without the hiring process", got)
			}
			if got := mustFindOpening(t, db, f.data.ID).Description; !strings.Contains(got,
				"## Hiring process\n\n1. Screening call (30 minutes), with a recruiter\n") {
				t.Errorf("stored description lost its hiring process:\n%s", got)
			}
		})
		t.Run("EditedDescriptionKeepsWhatFollows", func(t *testing.T) {
			desc := "We hire kindly.\n\n### Hiring Process\n\n1. Conversation with the people lead, 45 minutes\n\n" +
				"### Benefits\n\n- Four weeks of leave\n"
			if _, err := store.NewOpeningService(db).UpdateOpening(context.Background(), f.people.ID,
				hiring.OpeningUpdate{Description: &desc}); err != nil {
				t.Fatal(err)
			}
			res := c.get("/jobs/" + itoa(f.people.ID))
			res.wantStatus(t, http.StatusOK)
			if n := strings.Count(res.body, "Conversation with the people lead"); n != 1 {
				t.Errorf("the step appears %d times on the page, want once", n)
			}
			got := strings.Join(strings.Fields(res.doc(t).Find(".job-description").Text()), " ")
			if want := "We hire kindly. Benefits Four weeks of leave"; got != want {
				t.Errorf("description = %q, want %q", got, want)
			}
		})
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJobPageIsSafeFromItsOwnText(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		title := `Engineer </script><script>alert("title")</script>`
		o := hiringtest.MustOpenOpening(t, db, hiring.NewOpening{Title: title})
		desc := "Intro <script>alert('desc')</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(2)>\n\n## Fine heading\n"
		if _, err := store.NewOpeningService(db).UpdateOpening(context.Background(), o.ID, hiring.OpeningUpdate{Description: &desc}); err != nil {
			t.Fatal(err)
		}
		res := e.anonymous().get("/jobs/" + itoa(o.ID))
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)

		t.Run("TitleCannotLeaveTheJSONLD", func(t *testing.T) {
			if n := d.Find("script").Length(); n != 1 {
				t.Errorf("%d script elements, want only the JSON-LD", n)
			}
			if got := jsonLD(t, d)["title"]; got != title {
				t.Errorf("JSON-LD title = %q, want %q", got, title)
			}
			if got := d.Find("h1").Text(); got != title {
				t.Errorf("h1 = %q, want the title as text", got)
			}
		})
		t.Run("DescriptionIsSanitised", func(t *testing.T) {
			body := d.Find(".job-description")
			if body.Find("script, img[onerror], [onerror]").Length() != 0 {
				t.Error("the description keeps a script or an event handler")
			}
			body.Find("a").Each(func(_ int, a *goquery.Selection) {
				if href, _ := a.Attr("href"); strings.HasPrefix(strings.ToLower(href), "javascript:") {
					t.Errorf("the description links to %q", href)
				}
			})
			if body.Find("h2").Text() != "Fine heading" {
				t.Error("the safe part of the description is lost")
			}
		})
	})
}

// sitemapDoc is the part of a sitemap the tests read.
type sitemapDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func (s sitemapDoc) locs() map[string]bool {
	out := map[string]bool{}
	for _, u := range s.URLs {
		out[u.Loc] = true
	}
	return out
}

func TestSitemap(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		read := func(c *client) sitemapDoc {
			res := c.get("/sitemap.xml")
			res.wantStatus(t, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
				t.Errorf("Content-Type = %q", ct)
			}
			var doc sitemapDoc
			if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
				t.Fatalf("sitemap does not parse: %v\n%s", err, res.body)
			}
			return doc
		}
		doc := read(e.anonymous())
		locs := doc.locs()
		for _, want := range []string{
			testBaseURL + "/jobs", testBaseURL + "/jobs/" + itoa(f.data.ID), testBaseURL + "/jobs/" + itoa(f.people.ID),
			testBaseURL + "/", testBaseURL + "/families/" + itoa(e.family.ID), testBaseURL + "/roles/" + itoa(e.role.ID),
		} {
			if !locs[want] {
				t.Errorf("sitemap lacks %s", want)
			}
		}
		for _, not := range []int64{f.draft.ID, f.closed.ID} {
			if locs[testBaseURL+"/jobs/"+itoa(not)] {
				t.Errorf("sitemap lists unpublished job %d", not)
			}
		}
		for _, u := range doc.URLs {
			if u.LastMod != "" {
				if _, err := time.Parse("2006-01-02", u.LastMod); err != nil {
					t.Errorf("lastmod %q of %s is not a date", u.LastMod, u.Loc)
				}
			}
		}

		t.Run("LeavesOutAPrivateCatalog", func(t *testing.T) {
			if err := store.NewSettingsService(db).UpdateSettings(context.Background(), hiring.Settings{CatalogPrivate: true}); err != nil {
				t.Fatal(err)
			}
			locs := read(e.anonymous()).locs()
			if locs[testBaseURL+"/roles/"+itoa(e.role.ID)] || !locs[testBaseURL+"/jobs/"+itoa(f.data.ID)] {
				t.Errorf("with a private catalog the sitemap should list jobs only: %v", locs)
			}
		})
		t.Run("FallsBackToTheRequestHost", func(t *testing.T) {
			plain := mustEnv(t, db, func(d *web.Deps) { d.ApplyRatePerMinute = -1 })
			locs := read(plain.anonymous()).locs()
			if !locs[plain.ts.URL+"/jobs/"+itoa(f.data.ID)] {
				t.Errorf("without a base URL the sitemap should use %s: %v", plain.ts.URL, locs)
			}
		})
	})
}

// atomDoc is the part of an Atom feed the tests read.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestAtomFeed(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustCareersEnv(t, db)
		f := mustCareersFixture(t, db)
		res := e.anonymous().get("/jobs/feed.atom")
		res.wantStatus(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("Content-Type = %q", ct)
		}
		var feed atomDoc
		if err := xml.Unmarshal([]byte(res.body), &feed); err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, res.body)
		}
		if feed.ID == "" || feed.Title != "Jobs at "+testCompany || feed.Author.Name != testCompany {
			t.Errorf("feed id %q title %q author %q", feed.ID, feed.Title, feed.Author.Name)
		}
		if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
			t.Errorf("feed updated %q: %v", feed.Updated, err)
		}
		self := false
		for _, l := range feed.Links {
			self = self || l.Rel == "self" && l.Href == testBaseURL+"/jobs/feed.atom"
		}
		if !self {
			t.Errorf("feed has no self link: %+v", feed.Links)
		}
		got := map[string]string{}
		for _, en := range feed.Entries {
			got[en.Title] = en.Link.Href
			if _, err := time.Parse(time.RFC3339, en.Updated); err != nil {
				t.Errorf("entry %q updated %q: %v", en.Title, en.Updated, err)
			}
			if en.ID == "" || en.Content.Type != "html" || !strings.Contains(en.Content.Body, "<") {
				t.Errorf("entry %q: id %q, content type %q", en.Title, en.ID, en.Content.Type)
			}
		}
		want := map[string]string{
			f.data.Title:   testBaseURL + "/jobs/" + itoa(f.data.ID),
			f.people.Title: testBaseURL + "/jobs/" + itoa(f.people.ID),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("feed entries (-want +got):\n%s", diff)
		}
	})
}
