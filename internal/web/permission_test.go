package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// allowed says whether a user may use a route of the access level; nil is
// an anonymous visitor.
func allowed(access web.Access, u *hiring.User) bool {
	switch access {
	case web.AccessPublic, web.AccessCatalog:
		return true
	case web.AccessUser:
		return u != nil
	case web.AccessEditor:
		return u != nil && u.Role.CanEditCatalog()
	case web.AccessAdmin:
		return u != nil && u.Role == hiring.RoleAdmin
	case web.AccessStaff:
		return u != nil && u.Role.CanSeeOpenings()
	case web.AccessRecruiter:
		return u != nil && u.Role.CanManageOpenings()
	case web.AccessTeam:
		// The fixtures of request make the hiring manager lead the opening
		// and schedule no interviewer.
		return u != nil && u.Role.CanSeeOpenings()
	}
	panic("unknown access " + access)
}

// request makes a valid request for a route on the sample catalog, so that
// an allowed user succeeds and only permissions can refuse.
func (e *env) request(t *testing.T, c *client, rt web.Route) *response {
	t.Helper()
	if res, ok := e.requestInterviewRoute(t, c, rt); ok {
		return res
	}
	if res, ok := e.requestStaffRoute(t, c, rt); ok {
		return res
	}
	path := rt.Path
	path = strings.Replace(path, "/roles/{id}", "/roles/"+itoa(e.role.ID), 1)
	path = strings.Replace(path, "/families/{id}", "/families/"+itoa(e.family.ID), 1)
	path = strings.NewReplacer("{event}", "rejection", "{language}", "de").Replace(path)
	if strings.Contains(path, "/tokens/{id}") {
		id := int64(1)
		if c.user != nil {
			_, tok, err := store.NewUserService(e.db).CreateToken(context.Background(), c.user.ID, "to revoke")
			if err != nil {
				t.Fatal(err)
			}
			id = tok.ID
		}
		path = strings.Replace(path, "{id}", itoa(id), 1)
	}
	if strings.Contains(path, "{") {
		t.Fatalf("the permission test does not know how to fill in %s; teach request", rt.Path)
	}
	switch {
	case rt.Method == http.MethodGet:
		return c.get(path)
	case rt.API:
		body := map[string]string{
			"/api/v1/roles/{id}":    `{"level": "Senior"}`,
			"/api/v1/families/{id}": `{"summary": "Changed through the API."}`,
		}[rt.Path]
		if body == "" {
			t.Fatalf("no body for %s %s; teach request", rt.Method, rt.Path)
		}
		return c.do(rt.Method, path, "application/json", strings.NewReader(body))
	}
	forms := map[string]url.Values{
		"/roles/{id}/edit":            roleForm(),
		"/families/{id}/edit":         {"title": {"Data Platform Engineer"}, "summary": {"Edited."}},
		"/account/profile":            {"job_title": {"Staff Backend Engineer"}, "profile_url": {"https://people.example.com/robin"}},
		"/account/tokens":             {"name": {"deploy script"}},
		"/account/tokens/{id}/revoke": {},
		"/admin/users":                {"email": {"new-" + unique() + "@example.com"}, "role": {"interviewer"}, "password": {"a long enough password"}},
		"/admin/settings":             {"catalog_private": {""}},
		"/settings/messages/{event}/{language}": {"action": {"save"}, "subject": {"Ihre Bewerbung"},
			"body": {"Guten Tag {{candidate_name}},\n\nvielen Dank.\n"}},
	}
	form, ok := forms[rt.Path]
	if !ok {
		t.Fatalf("no form for %s %s; teach request", rt.Method, rt.Path)
	}
	return c.postForm(path, form)
}

// TestPermissions sends every route that needs an account, as every kind
// of user: anonymous visitors are sent to sign in (or get 401 from the API),
// users without the right role get 403, the others succeed.
func TestPermissions(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		clients := map[string]*client{"anonymous": e.anonymous()}
		for _, r := range hiring.UserRoles {
			clients[string(r)] = e.mustSignIn(r)
		}
		for _, rt := range e.srv.Routes() {
			if rt.Access == web.AccessPublic || rt.Access == web.AccessCatalog || loopAPIRoute(rt) {
				continue
			}
			for name, c := range clients {
				t.Run(rt.Pattern()+"/"+name, func(t *testing.T) {
					res := e.request(t, c, rt)
					switch {
					case allowedRoute(rt, c.user):
						if res.StatusCode >= 400 {
							t.Errorf("status %d, want success\n%s", res.StatusCode, res.body)
						}
					case c.user != nil:
						res.wantStatus(t, http.StatusForbidden)
					case rt.API:
						res.wantStatus(t, http.StatusUnauthorized)
						if code := res.apiError(t).Error.Code; code != "unauthorized" {
							t.Errorf("error code %q, want unauthorized", code)
						}
					default:
						res.wantStatus(t, http.StatusSeeOther)
						if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/signin") {
							t.Errorf("redirected to %q, want the sign-in page", loc)
						}
					}
				})
			}
		}
	})
}

// TestCrossOriginRefused checks that a browser request from another site
// cannot change anything, even with the admin's cookie.
func TestCrossOriginRefused(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		c := e.mustSignIn(hiring.RoleAdmin)
		path := "/roles/" + itoa(e.role.ID) + "/edit"

		c.header.Set("Sec-Fetch-Site", "cross-site")
		res := c.postForm(path, roleForm())
		res.wantStatus(t, http.StatusForbidden)
		checkAccessible(t, path, res.doc(t))

		c.header = http.Header{"Origin": {"https://evil.example"}}
		c.postForm(path, roleForm()).wantStatus(t, http.StatusForbidden)

		c.header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
		api := c.patchJSON("/api/v1/roles/"+itoa(e.role.ID), `{"title": "Forged"}`)
		api.wantStatus(t, http.StatusForbidden)
		if code := api.apiError(t).Error.Code; code != "forbidden" {
			t.Errorf("API error code %q, want forbidden", code)
		}

		got, err := store.NewRoleService(db).FindRoleByID(context.Background(), e.role.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != e.role.Title {
			t.Errorf("a cross-origin request changed the title to %q", got.Title)
		}

		c.header = http.Header{"Sec-Fetch-Site": {"same-origin"}}
		c.postForm(path, roleForm()).wantStatus(t, http.StatusSeeOther)
	})
}

// loopAPIRoute reports the API routes of the interview loop (plans, moves,
// messages, interviews), whose permissions package api tests for every
// kind of user on its own fixtures.
func loopAPIRoute(rt web.Route) bool {
	if !rt.API {
		return false
	}
	p := strings.TrimPrefix(rt.Path, "/api/v1")
	if p == "/applications" {
		return true
	}
	for _, prefix := range []string{"/applications/", "/rejections", "/plan-templates", "/interviews", "/openings/{id}/plan"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// allowedRoute refines allowed for team routes, whose answer depends on
// the user's part in what is asked for: the fixtures of request make a
// hiring manager lead the opening, schedule no interviewer on an
// application, and seat the user on the interview of an /interviews/{id}
// route. Listings answer every user with what they may see.
func allowedRoute(rt web.Route, u *hiring.User) bool {
	if rt.Access != web.AccessTeam {
		return allowed(rt.Access, u)
	}
	switch {
	case u == nil:
		return false
	case rt.Method == http.MethodGet && !strings.Contains(rt.Path, "{"):
		return true
	case strings.HasPrefix(rt.Path, "/interviews/{id}") && (rt.Method == http.MethodGet || strings.HasSuffix(rt.Path, "/outcome")):
		return true
	}
	return u.Role.CanSeeOpenings()
}
