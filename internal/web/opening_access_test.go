package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// staffFixture is an open opening with one application, led by a hiring
// manager or by nobody.
type staffFixture struct {
	opening *hiring.Opening
	applied *hiring.ApplyResult
}

func (e *env) mustStaffFixture(tb testing.TB, manager *hiring.User) staffFixture {
	tb.Helper()
	o, res := e.mustApplied(tb, manager)
	return staffFixture{o, res}
}

// fill puts the fixture's ids into a route's path.
func (f staffFixture) fill(path string) string {
	id := itoa(f.opening.ID)
	switch {
	case strings.Contains(path, "/candidates/{id}"):
		id = itoa(f.applied.Candidate.ID)
	case strings.HasPrefix(path, "/applications/{id}"):
		id = itoa(f.applied.Application.ID)
	case strings.HasPrefix(path, "/files/{id}"):
		return "/files/" + itoa(*f.applied.Application.ResumeFileID) + "?application=" + itoa(f.applied.Application.ID)
	case path == "/api/v1/applications":
		return path + "?opening=" + id
	}
	return strings.Replace(path, "{id}", id, 1)
}

// isStaffRoute reports the routes of openings, the plan and candidates.
func isStaffRoute(rt web.Route) bool {
	p := strings.TrimPrefix(rt.Path, "/api/v1")
	for _, prefix := range []string{"/openings", "/plan", "/candidates", "/files/", "/applications"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// staffPageURL fills in a GET page route of openings, the plan and
// candidates for the page test; handled is false for other routes.
func (e *env) staffPageURL(rt web.Route) (path string, ok, handled bool) {
	if !isStaffRoute(rt) {
		return "", false, false
	}
	switch rt.Path {
	case "/plan.csv", "/files/{id}":
		return "", false, true
	case "/openings/new":
		return "/openings/new?role=" + itoa(e.role.ID), true, true
	}
	if !strings.Contains(rt.Path, "{") {
		return rt.Path, true, true
	}
	return e.mustStaffFixture(e.t, nil).fill(rt.Path), true, true
}

// requestStaffRoute sends a valid request to a route of openings, the plan
// or candidates, with data that c's user leads when they are a hiring
// manager; handled is false for other routes.
func (e *env) requestStaffRoute(t *testing.T, c *client, rt web.Route) (res *response, handled bool) {
	t.Helper()
	if !isStaffRoute(rt) {
		return nil, false
	}
	var manager *hiring.User
	if c.user != nil && c.user.Role == hiring.RoleHiringManager {
		manager = c.user
	}
	path := rt.Path
	if strings.Contains(path, "{") || path == "/api/v1/applications" {
		path = e.mustStaffFixture(t, manager).fill(path)
	}
	role := e.sampleRole(t)
	switch {
	case rt.Method == http.MethodGet && rt.Path == "/openings/new":
		return c.get(path + "?role=" + itoa(role.ID)), true
	case rt.Method == http.MethodGet:
		return c.get(path), true
	case e.isPipelineForm(rt):
		return c.postForm(path, e.pipelineForm(t, rt, path)), true
	case rt.Path == "/openings":
		return c.postForm(path, openingForm(role, nil)), true
	case rt.Path == "/openings/{id}/edit":
		form := openingForm(role, manager)
		form.Del("role_id")
		return c.postForm(path, form), true
	case rt.Path == "/openings/{id}/status":
		return c.postForm(path, url.Values{"status": {"closed"}}), true
	case rt.Path == "/plan":
		return c.postForm(path, url.Values{"department_id": {itoa(*e.family.DepartmentID)}, "team": {""},
			"quarter": {"2026-Q4"}, "planned": {"2"}}), true
	case rt.Path == "/plan/import":
		return c.postFile(path, "file", "plan.csv", []byte("department,team,quarter,planned\nengineering/data,,2026-Q4,1\n")), true
	case rt.Path == "/api/v1/openings":
		return c.do(rt.Method, path, "application/json", strings.NewReader(`{"role_id": `+itoa(role.ID)+`}`)), true
	case rt.Path == "/api/v1/openings/{id}":
		return c.do(rt.Method, path, "application/json", strings.NewReader(`{"title": "Renamed through the API"}`)), true
	}
	t.Fatalf("no request for %s %s; teach requestStaffRoute", rt.Method, rt.Path)
	return nil, true
}

// TestHiringManagerSeesOnlyOwnOpenings sends every route of openings and
// candidates as a hiring manager, for an opening they lead and for
// another's.
func TestHiringManagerSeesOnlyOwnOpenings(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustEnv(t, db)
		manager := e.mustSignIn(hiring.RoleHiringManager)
		otherManager := e.mustSignIn(hiring.RoleHiringManager).user
		for _, rt := range e.srv.Routes() {
			if !isStaffRoute(rt) || loopAPIRoute(rt) {
				continue
			}
			t.Run(rt.Pattern(), func(t *testing.T) {
				own := e.mustStaffFixture(t, manager.user)
				other := e.mustStaffFixture(t, otherManager)
				send := func(path string) *response {
					if rt.Method == http.MethodGet {
						return manager.get(path)
					}
					return e.sendAs(t, manager, rt, path)
				}
				if rt.Access == web.AccessRecruiter {
					res := send(own.fill(rt.Path))
					res.wantStatus(t, http.StatusForbidden)
					return
				}
				if strings.Contains(rt.Path, "{id}") || rt.Path == "/api/v1/applications" {
					res := send(own.fill(rt.Path))
					if res.StatusCode >= 400 {
						t.Errorf("own opening: status %d\n%s", res.StatusCode, res.body)
					}
					send(other.fill(rt.Path)).wantStatus(t, http.StatusForbidden)
					return
				}
				res := send(rt.Path)
				if res.StatusCode >= 400 {
					t.Errorf("status %d\n%s", res.StatusCode, res.body)
				}
			})
		}

		own := e.mustStaffFixture(t, manager.user)
		other := e.mustStaffFixture(t, otherManager)
		t.Run("ListsOnlyOwnOpenings", func(t *testing.T) {
			var body struct {
				Data []hiring.Opening `json:"data"`
			}
			res := manager.get("/api/v1/openings?limit=200")
			res.wantStatus(t, http.StatusOK)
			res.decode(t, &body)
			if len(body.Data) == 0 {
				t.Fatal("the hiring manager sees none of their openings")
			}
			for _, o := range body.Data {
				if o.HiringManagerID == nil || *o.HiringManagerID != manager.user.ID {
					t.Errorf("the API lists opening %d, led by someone else", o.ID)
				}
			}
			if strings.Contains(manager.get("/openings").body, "/openings/"+itoa(other.opening.ID)+`"`) {
				t.Error("the openings page lists another manager's opening")
			}
		})
		t.Run("FilesOnlyThroughOwnApplications", func(t *testing.T) {
			resume := itoa(*own.applied.Application.ResumeFileID)
			manager.get("/files/"+resume).wantStatus(t, http.StatusForbidden)
			manager.get("/files/"+itoa(*other.applied.Application.ResumeFileID)+"?application="+
				itoa(own.applied.Application.ID)).wantStatus(t, http.StatusForbidden)
			manager.get("/files/"+resume+"?application=999999").wantStatus(t, http.StatusForbidden)
			manager.get("/files/"+resume+"?application="+itoa(own.applied.Application.ID)).wantStatus(t, http.StatusOK)
		})
		t.Run("CandidatePageShowsOnlyOwnApplications", func(t *testing.T) {
			// The same person applies to both openings.
			email := own.applied.Candidate.Email
			in := hiringtest.SampleApplication(other.opening, email)
			if _, err := e.deps.Applications.Apply(context.Background(), in); err != nil {
				t.Fatal(err)
			}
			res := manager.get("/candidates/" + itoa(own.applied.Candidate.ID))
			res.wantStatus(t, http.StatusOK)
			if n := res.doc(t).Find("article.application").Length(); n != 1 {
				t.Errorf("the hiring manager sees %d applications, want only the one to their opening", n)
			}
			var apps struct {
				Data []json.RawMessage `json:"data"`
			}
			r := manager.get("/api/v1/applications?opening=" + itoa(own.opening.ID))
			r.decode(t, &apps)
			if len(apps.Data) != 1 {
				t.Errorf("%d applications to the own opening, want 1", len(apps.Data))
			}
			var others struct {
				Data []json.RawMessage `json:"data"`
			}
			manager.get("/api/v1/applications?opening="+itoa(other.opening.ID)).decode(t, &others)
			if len(others.Data) != 0 {
				t.Errorf("another manager's opening lists %d applications", len(others.Data))
			}
			manager.get("/api/v1/applications?opening="+itoa(own.opening.ID)+"&candidate="+
				itoa(own.applied.Candidate.ID)).wantStatus(t, http.StatusOK)
		})
		t.Run("InterviewerSeesNothing", func(t *testing.T) {
			iv := e.mustSignIn(hiring.RoleInterviewer)
			for _, p := range []string{"/openings", "/openings/" + itoa(own.opening.ID), "/candidates/" + itoa(own.applied.Candidate.ID),
				"/api/v1/openings"} {
				iv.get(p).wantStatus(t, http.StatusForbidden)
			}
			if body := iv.get("/api/v1/applications?opening=" + itoa(own.opening.ID)).body; !strings.Contains(body, `"data":[]`) {
				t.Errorf("an interviewer on no interview lists applications: %s", body)
			}
			if strings.Contains(iv.get("/").body, `href="/openings"`) {
				t.Error("an interviewer's navigation links to the openings")
			}
			if !strings.Contains(manager.get("/").body, `href="/openings"`) {
				t.Error("a hiring manager's navigation does not link to the openings")
			}
		})
	})
}

// sendAs sends a state-changing request for rt at path, with a valid body.
func (e *env) sendAs(t *testing.T, c *client, rt web.Route, path string) *response {
	t.Helper()
	if e.isPipelineForm(rt) {
		return c.postForm(path, e.pipelineForm(t, rt, path))
	}
	role := e.sampleRole(t)
	switch rt.Path {
	case "/openings/{id}/edit":
		form := openingForm(role, c.user)
		form.Del("role_id")
		return c.postForm(path, form)
	case "/openings/{id}/status":
		return c.postForm(path, url.Values{"status": {"closed"}})
	case "/api/v1/openings/{id}":
		return c.do(rt.Method, path, "application/json", strings.NewReader(`{"title": "Renamed"}`))
	case "/openings":
		return c.postForm(path, openingForm(role, nil))
	case "/api/v1/openings":
		return c.do(rt.Method, path, "application/json", strings.NewReader(`{"role_id": `+itoa(role.ID)+`}`))
	case "/plan/import":
		return c.postFile(path, "file", "plan.csv", []byte("department,team,quarter,planned\n"))
	}
	return c.postForm(path, url.Values{})
}
