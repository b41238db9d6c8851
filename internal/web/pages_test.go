package web_test

import (
	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"net/http"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// pageURL turns a GET page route into an address on the sample catalog;
// ok is false for routes that are not HTML pages.
func (e *env) pageURL(rt web.Route) (string, bool) {
	if rt.API || rt.Method != http.MethodGet {
		return "", false
	}
	if strings.HasPrefix(rt.Path, "/v1/boards/") {
		return "", false // The job board answers JSON; package jobboard tests it.
	}
	if p, ok, handled := e.staffPageURL(rt); handled {
		return p, ok
	}
	if p, ok, handled := e.interviewPageURL(rt); handled {
		return p, ok
	}
	switch rt.Path {
	case "/healthz", "/readyz", "/metrics", "/static/{file}":
		return "", false
	case "/{$}":
		return "/", true
	case "/setup":
		return "/setup?token=some-token", true
	case "/sitemap.xml", "/jobs/feed.atom":
		return "", false // XML; the careers tests parse them.
	case "/guide/{token}", "/guide/{token}/withdraw", "/guide/{token}/interviews/{id}/invite.ics":
		return "", false // Needs a candidate's secret; the guide tests visit it.
	case "/jobs/{id}/applied":
		return "", false // Needs an application just sent; the apply tests visit it.
	}
	p := rt.Path
	switch {
	case strings.HasPrefix(p, "/roles/"):
		p = strings.Replace(p, "{id}", itoa(e.role.ID), 1)
	case strings.HasPrefix(p, "/families/"):
		p = strings.Replace(p, "{id}", itoa(e.family.ID), 1)
	case strings.HasPrefix(p, "/departments/"):
		p = strings.Replace(p, "{id}", itoa(*e.family.DepartmentID), 1)
	case strings.HasPrefix(p, "/jobs/"):
		p = strings.Replace(p, "{id}", itoa(hiringtest.MustOpenOpening(e.t, e.db, hiring.NewOpening{}).ID), 1)
	case strings.HasPrefix(p, "/settings/messages/"):
		p = strings.NewReplacer("{event}", "rejection", "{language}", "de").Replace(p)
	}
	if strings.Contains(p, "{") {
		e.t.Fatalf("the page test does not know how to fill in %s; teach pageURL", rt.Path)
	}
	return p, true
}

// TestEveryPageRenders visits every HTML page of the route table as each
// kind of visitor, and checks the status and the page's accessibility basics.
func TestEveryPageRenders(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		admin := e.mustSignIn(hiring.RoleAdmin)
		interviewer := e.mustSignIn(hiring.RoleInterviewer)
		visitors := []struct {
			name string
			c    *client
			// want gives the status for a route.
			want func(web.Route) int
		}{
			{"Anonymous", e.anonymous(), func(rt web.Route) int {
				if rt.Access == web.AccessPublic || rt.Access == web.AccessCatalog {
					return http.StatusOK
				}
				return http.StatusSeeOther
			}},
			{"Interviewer", interviewer, func(rt web.Route) int {
				switch a := rt.Access; {
				case a == web.AccessEditor || a == web.AccessAdmin || a == web.AccessStaff || a == web.AccessRecruiter:
					return http.StatusForbidden
				case a == web.AccessTeam && strings.Contains(rt.Path, "{"):
					// The pages' fixtures seat the interviewer on no
					// interview, so every opening and application is another's.
					return http.StatusForbidden
				}
				return http.StatusOK
			}},
			{"Admin", admin, func(web.Route) int { return http.StatusOK }},
		}
		for _, v := range visitors {
			t.Run(v.name, func(t *testing.T) {
				pages := 0
				for _, rt := range e.srv.Routes() {
					path, ok := e.pageURL(rt)
					if !ok {
						continue
					}
					pages++
					want := v.want(rt)
					if rt.Path == "/setup" {
						want = http.StatusConflict // Accounts exist, so setup is over.
					}
					res := v.c.get(path)
					res.wantStatus(t, want)
					if want == http.StatusSeeOther {
						if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/signin?next=") {
							t.Errorf("%s: redirected to %q, want the sign-in page", path, loc)
						}
						continue
					}
					if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
						t.Errorf("%s: Content-Type %q", path, ct)
					}
					checkAccessible(t, path, res.doc(t))
					if len(res.body) > 50_000 {
						t.Errorf("%s: page is %d bytes; keep pages small", path, len(res.body))
					}
				}
				if pages < 13 {
					t.Errorf("visited %d pages; the route table should have more", pages)
				}
			})
		}
	})
}

func TestRolePageShowsEverything(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		res := e.anonymous().get("/roles/" + itoa(e.role.ID))
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		want := hiringtest.SampleFamily().Roles[0]
		if got := strings.TrimSpace(d.Find("h1").Text()); got != want.Title {
			t.Errorf("h1 = %q, want %q", got, want.Title)
		}
		text := d.Find("main").Text()
		for _, s := range []string{
			want.Summary, "Intermediate", "6",
			want.Responsibilities[0], want.Responsibilities[1], want.Requirements[0], want.NiceToHaves[0],
			want.Specialties[0].Name, want.Specialties[0].Description, "Primary language: Go",
			"Screening call", "30 min", "a recruiter", "Technical interview", "1 h 30 min",
			hiringtest.SampleFamily().Source,
		} {
			if !strings.Contains(text, s) {
				t.Errorf("role page does not show %q", s)
			}
		}
		pi := want.PerformanceIndicators[0]
		if href, _ := d.Find(`#performance-indicators + ul a`).Attr("href"); href != pi.URL {
			t.Errorf("performance indicator link = %q, want %q", href, pi.URL)
		}
		if d.Find(`a[href$="/edit"]`).Length() != 0 {
			t.Error("an anonymous visitor sees an edit link")
		}
	})
}

func TestCatalogNavigation(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.anonymous()

		home := c.get("/").doc(t)
		var deptHref string
		home.Find(".tree a").Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Text()) == "Data" {
				deptHref, _ = s.Attr("href")
			}
		})
		if deptHref == "" {
			t.Fatalf("home page does not link the nested department Data:\n%s", home.Find("main").Text())
		}
		if home.Find(".tree .tree a").Length() == 0 {
			t.Error("departments are not nested on the home page")
		}

		dept := c.get(deptHref)
		dept.wantStatus(t, http.StatusOK)
		famHref, ok := dept.doc(t).Find(`table a[href^="/families/"]`).Attr("href")
		if !ok {
			t.Fatal("department page lists no family")
		}

		fam := c.get(famHref)
		fam.wantStatus(t, http.StatusOK)
		var rows []string
		fam.doc(t).Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
			rows = append(rows, strings.Join(s.Find("td").Map(func(_ int, td *goquery.Selection) string {
				return strings.TrimSpace(td.Text())
			}), " "))
		})
		want := []string{
			"Data Platform Engineer Intermediate 6",
			"Senior Data Platform Engineer Senior 7",
			"Data Platform Engineering Manager Manager 9.5",
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("family roles table (-want +got):\n%s", diff)
		}
	})
}

func TestRoleSearch(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.anonymous()
		titles := func(path string) []string {
			res := c.get(path)
			res.wantStatus(t, http.StatusOK)
			var got []string
			res.doc(t).Find(`tbody td:first-child a`).Each(func(_ int, s *goquery.Selection) {
				got = append(got, s.Text())
			})
			return got
		}
		if diff := cmp.Diff([]string{"Data Platform Engineering Manager"}, titles("/roles?q=MANAGER")); diff != "" {
			t.Errorf("search by title, ignoring case (-want +got):\n%s", diff)
		}
		if got := titles("/roles?q=nothing-like-this"); len(got) != 0 {
			t.Errorf("search for an absent title found %v", got)
		}
		if got := titles("/roles"); len(got) != 3 {
			t.Errorf("all roles: %v, want 3", got)
		}
		c.get("/roles?page=abc").wantStatus(t, http.StatusBadRequest)
		c.get("/roles?q="+strings.Repeat("x", 300)).wantStatus(t, http.StatusBadRequest)
	})
}

func TestUnknownPage(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.anonymous()
		for _, path := range []string{"/no-such-page", "/roles/999999", "/roles/abc", "/families/0"} {
			res := c.get(path)
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 404 or 400", path, res.StatusCode)
			}
			checkAccessible(t, path, res.doc(t))
		}
		c.get("/roles/999999").wantStatus(t, http.StatusNotFound)
		c.get("/roles/abc").wantStatus(t, http.StatusBadRequest)
		res := c.do(http.MethodDelete, "/roles/"+itoa(e.role.ID), "", nil)
		res.wantStatus(t, http.StatusMethodNotAllowed)
		if allow := res.Header.Get("Allow"); !strings.Contains(allow, "GET") {
			t.Errorf("Allow = %q, want GET listed", allow)
		}
	})
}
