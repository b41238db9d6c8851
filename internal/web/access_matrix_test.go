package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// The visitors of the access matrix.
const (
	vAnonymous   = "anonymous"
	vInterviewer = "interviewer of A"
	vBystander   = "interviewer of nothing"
	vManagerX    = "hiring manager of X"
	vManagerY    = "hiring manager of Y"
	vRecruiter   = "recruiter"
	vAdmin       = "admin"
)

var matrixVisitors = []string{vAnonymous, vInterviewer, vBystander, vManagerX, vManagerY, vRecruiter, vAdmin}

// who is the set of visitors a request lets through.
type who []string

var (
	everyone   = who(matrixVisitors)
	signedIn   = who{vInterviewer, vBystander, vManagerX, vManagerY, vRecruiter, vAdmin}
	staff      = who{vManagerX, vManagerY, vRecruiter, vAdmin}
	recruiters = who{vRecruiter, vAdmin}
	admins     = who{vAdmin}
	teamX      = who{vManagerX, vRecruiter, vAdmin}
	teamY      = who{vManagerY, vRecruiter, vAdmin}
	seeA       = who{vInterviewer, vManagerX, vRecruiter, vAdmin}
)

// matrixWorld is the people of the access matrix, each signed in through
// the session for pages and holding an API token for the JSON API.
type matrixWorld struct {
	e         *env
	users     map[string]*hiring.User
	passwords map[string]string
	pages     map[string]*client
	apis      map[string]*client
	// planTemplate is a template of interview plans.
	planTemplate *hiring.InterviewPlan
}

// matrixFixture is what one row of the matrix is sent against: opening X
// led by the hiring manager of X with the recruiter named, opening Y led
// by the other hiring manager, application A to X with an interview on
// which the interviewer of A sits, application B to X without them, and
// application C to Y from the candidate of A.
type matrixFixture struct {
	x, y      *hiring.Opening
	plan      *hiring.InterviewPlan
	a, b, c   *hiring.ApplyResult
	interview *hiring.Interview
	formKey   string
}

func newMatrixWorld(t *testing.T, db *store.DB) *matrixWorld {
	t.Helper()
	w := &matrixWorld{e: mustEnv(t, db), users: map[string]*hiring.User{}, passwords: map[string]string{},
		pages: map[string]*client{vAnonymous: nil}, apis: map[string]*client{}}
	w.pages[vAnonymous] = w.e.anonymous()
	w.apis[vAnonymous] = w.e.anonymous()
	roles := map[string]hiring.UserRole{vInterviewer: hiring.RoleInterviewer, vBystander: hiring.RoleInterviewer,
		vManagerX: hiring.RoleHiringManager, vManagerY: hiring.RoleHiringManager, vRecruiter: hiring.RoleRecruiter,
		vAdmin: hiring.RoleAdmin}
	for v, role := range roles {
		u, password := hiringtest.MustCreateUser(t, db, role)
		w.users[v], w.passwords[v] = u, password
		w.pages[v] = w.signIn(t, v)
		secret, _, err := store.NewUserService(db).CreateToken(context.Background(), u.ID, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		w.apis[v] = w.e.bearer(secret)
		w.apis[v].user = u
	}
	w.planTemplate = hiringtest.MustTemplate(t, db, hiringtest.BackendTemplate)
	return w
}

// signIn signs visitor v in on a new client.
func (w *matrixWorld) signIn(t *testing.T, v string) *client {
	t.Helper()
	c := w.e.anonymous()
	res := c.postForm("/signin", url.Values{"email": {w.users[v].Email}, "password": {w.passwords[v]}})
	res.wantStatus(t, http.StatusSeeOther)
	c.user = w.users[v]
	return c
}

func (w *matrixWorld) fixture(t *testing.T) *matrixFixture {
	t.Helper()
	e, f := w.e, &matrixFixture{}
	open := func(manager string, recruiter *int64) *hiring.Opening {
		return hiringtest.MustOpenOpening(t, e.db, hiring.NewOpening{RoleID: e.role.ID, Questions: hiringtest.SampleQuestions(),
			HiringManagerID: &w.users[manager].ID, RecruiterID: recruiter})
	}
	f.x = open(vManagerX, &w.users[vRecruiter].ID)
	f.y = open(vManagerY, nil)
	f.plan = hiringtest.MustApplyTemplate(t, e.db, f.x.ID, hiringtest.BackendTemplate)
	hiringtest.MustApplyTemplate(t, e.db, f.y.ID, hiringtest.BackendTemplate)
	f.a = e.mustApply(t, f.x)
	f.b = e.mustApply(t, f.x)
	c, err := e.deps.Applications.Apply(context.Background(), hiringtest.SampleApplication(f.y, f.a.Candidate.Email))
	if err != nil {
		t.Fatal(err)
	}
	if c.Candidate.ID != f.a.Candidate.ID {
		t.Fatalf("the second application of %s made candidate %d, want %d", f.a.Candidate.Email, c.Candidate.ID, f.a.Candidate.ID)
	}
	f.c = c
	step := f.plan.Stages[1].Steps[0]
	f.interview, err = e.deps.Interviews.ScheduleInterview(context.Background(), f.a.Application.ID, hiring.InterviewInput{
		StepID: &step.ID, StartsAt: time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute), TimeZone: "Europe/Berlin",
		InterviewerIDs: []int64{w.users[vInterviewer].ID}, AcceptOverlap: true})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	f.formKey = formKey(t, e.anonymous(), f.a.GuideToken)
	return f
}

// target is one address a row sends its request to, with the visitors
// it lets through.
type target struct {
	name string
	path string
	who  who
}

// row gives the targets of a route on a fixture.
type row func(w *matrixWorld, f *matrixFixture) []target

func at(path string, allowed who) row {
	return func(*matrixWorld, *matrixFixture) []target { return []target{{"", path, allowed}} }
}

// onApps sends the route to applications A, B and C; with change, the
// interviewer of A may not use it.
func onApps(path string, change bool) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		forA := seeA
		if change {
			forA = teamX
		}
		fill := func(a *hiring.ApplyResult) string { return strings.Replace(path, "{id}", itoa(a.Application.ID), 1) }
		return []target{{"A", fill(f.a), forA}, {"B", fill(f.b), teamX}, {"C", fill(f.c), teamY}}
	}
}

// onOpenings sends the route to openings X and Y.
func onOpenings(path string) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		return []target{{"X", strings.Replace(path, "{id}", itoa(f.x.ID), 1), teamX},
			{"Y", strings.Replace(path, "{id}", itoa(f.y.ID), 1), teamY}}
	}
}

// onInterview sends the route to the interview of A.
func onInterview(path string, allowed who) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		return []target{{"interview of A", strings.Replace(path, "{id}", itoa(f.interview.ID), 1), allowed}}
	}
}

func onCatalog(path string, allowed who) row {
	return func(w *matrixWorld, _ *matrixFixture) []target {
		p := strings.NewReplacer("/roles/{id}", "/roles/"+itoa(w.e.role.ID), "/families/{id}", "/families/"+itoa(w.e.family.ID),
			"/departments/{id}", "/departments/"+itoa(*w.e.family.DepartmentID)).Replace(path)
		return []target{{"", p, allowed}}
	}
}

func onGuide(path string) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		p := strings.NewReplacer("{token}", f.a.GuideToken, "{id}", itoa(f.interview.ID)).Replace(path)
		return []target{{"", p, everyone}}
	}
}

// onCandidates sends the route to the candidate of A and C, and to the
// candidate of B; interviewers see candidates only on the pages.
func onCandidates(path string, interviewer bool) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		k := who{vManagerX, vManagerY, vRecruiter, vAdmin}
		if interviewer {
			k = append(k, vInterviewer)
		}
		return []target{{"of A and C", strings.Replace(path, "{id}", itoa(f.a.Candidate.ID), 1), k},
			{"of B", strings.Replace(path, "{id}", itoa(f.b.Candidate.ID), 1), teamX}}
	}
}

func onBoard(path string) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		p := strings.NewReplacer("{board_token}", "larkspur", "{id}", itoa(f.x.ID), "{rest...}", "nothing/here").Replace(path)
		return []target{{"", p, everyone}}
	}
}

// accessMatrix is the expected access of every route, by pattern.
func accessMatrix() map[string]row {
	const v1 = "/api/v1"
	m := map[string]row{
		"GET /{$}":                                      at("/", everyone),
		"GET /departments/{id}":                         onCatalog("/departments/{id}", everyone),
		"GET /families/{id}":                            onCatalog("/families/{id}", everyone),
		"GET /families/{id}/edit":                       onCatalog("/families/{id}/edit", recruiters),
		"POST /families/{id}/edit":                      onCatalog("/families/{id}/edit", recruiters),
		"GET /roles":                                    at("/roles", everyone),
		"GET /roles/{id}":                               onCatalog("/roles/{id}", everyone),
		"GET /roles/{id}/edit":                          onCatalog("/roles/{id}/edit", recruiters),
		"POST /roles/{id}/edit":                         onCatalog("/roles/{id}/edit", recruiters),
		"GET /jobs":                                     at("/jobs", everyone),
		"GET /jobs/feed.atom":                           at("/jobs/feed.atom", everyone),
		"GET /jobs/{id}":                                onOpeningAll("/jobs/{id}"),
		"POST /jobs/{id}/apply":                         onOpeningAll("/jobs/{id}/apply"),
		"GET /jobs/{id}/applied":                        onOpeningAll("/jobs/{id}/applied"),
		"GET /sitemap.xml":                              at("/sitemap.xml", everyone),
		"GET /guide/{token}":                            onGuide("/guide/{token}"),
		"POST /guide/resend":                            at("/guide/resend", everyone),
		"POST /guide/{token}/adjustment":                onGuide("/guide/{token}/adjustment"),
		"POST /guide/{token}/message":                   onGuide("/guide/{token}/message"),
		"GET /guide/{token}/withdraw":                   onGuide("/guide/{token}/withdraw"),
		"POST /guide/{token}/withdraw":                  onGuide("/guide/{token}/withdraw"),
		"GET /guide/{token}/interviews/{id}/invite.ics": onGuide("/guide/{token}/interviews/{id}/invite.ics"),

		"GET /openings": at("/openings", staff),
		"GET /openings/new": func(w *matrixWorld, _ *matrixFixture) []target {
			return []target{{"", "/openings/new?role=" + itoa(w.e.role.ID), recruiters}}
		},
		"POST /openings":                         at("/openings", recruiters),
		"GET /openings/{id}":                     onOpenings("/openings/{id}"),
		"GET /openings/{id}/edit":                onOpenings("/openings/{id}/edit"),
		"POST /openings/{id}/edit":               onOpenings("/openings/{id}/edit"),
		"POST /openings/{id}/status":             onOpenings("/openings/{id}/status"),
		"GET /openings/{id}/applications":        onOpenings("/openings/{id}/applications"),
		"GET /openings/{id}/pipeline":            onOpenings("/openings/{id}/pipeline"),
		"POST /openings/{id}/pipeline/reject":    onOpenings("/openings/{id}/pipeline/reject"),
		"POST /openings/{id}/plan":               onOpenings("/openings/{id}/plan"),
		"GET /applications/{id}":                 onApps("/applications/{id}", false),
		"POST /applications/{id}/advance":        onApps("/applications/{id}/advance", true),
		"POST /applications/{id}/move":           onApps("/applications/{id}/move", true),
		"POST /applications/{id}/step":           onApps("/applications/{id}/step", true),
		"POST /applications/{id}/reject":         onApps("/applications/{id}/reject", true),
		"POST /applications/{id}/withdraw":       onApps("/applications/{id}/withdraw", true),
		"POST /applications/{id}/hire":           onApps("/applications/{id}/hire", true),
		"GET /applications/{id}/messages":        onApps("/applications/{id}/messages", true),
		"POST /applications/{id}/messages":       onApps("/applications/{id}/messages", true),
		"GET /applications/{id}/interviews/new":  onApps("/applications/{id}/interviews/new", true),
		"POST /applications/{id}/interviews/new": onApps("/applications/{id}/interviews/new", true),
		"GET /interviews":                        at("/interviews", signedIn),
		"GET /interviews/{id}":                   onInterview("/interviews/{id}", seeA),
		"GET /interviews/{id}/invite.ics":        onInterview("/interviews/{id}/invite.ics", seeA),
		"POST /interviews/{id}/reschedule":       onInterview("/interviews/{id}/reschedule", teamX),
		"POST /interviews/{id}/cancel":           onInterview("/interviews/{id}/cancel", teamX),
		"POST /interviews/{id}/outcome":          onInterview("/interviews/{id}/outcome", seeA),
		"POST /applications/{id}/guide/link":     onApps("/applications/{id}/guide/link", true),
		"POST /applications/{id}/guide/revoke":   onApps("/applications/{id}/guide/revoke", true),
		"GET /plan":                              at("/plan", recruiters),
		"POST /plan":                             at("/plan", recruiters),
		"POST /plan/import":                      at("/plan/import", recruiters),
		"GET /plan.csv":                          at("/plan.csv", recruiters),
		"GET /candidates":                        at("/candidates", recruiters),
		"GET /candidates/{id}":                   onCandidates("/candidates/{id}", true),
		"GET /files/{id}": func(_ *matrixWorld, f *matrixFixture) []target {
			file := func(a *hiring.ApplyResult) string {
				return "/files/" + itoa(*a.Application.ResumeFileID) + "?application=" + itoa(a.Application.ID)
			}
			return []target{{"resume of A", file(f.a), seeA}, {"resume of B", file(f.b), teamX},
				{"resume of C", file(f.c), teamY},
				{"resume of A without its application", "/files/" + itoa(*f.a.Application.ResumeFileID), recruiters},
				{"resume of B through A", "/files/" + itoa(*f.b.Application.ResumeFileID) + "?application=" +
					itoa(f.a.Application.ID), recruiters}}
		},
		"GET /replies": at("/replies", staff),

		"GET /signin":                                at("/signin", everyone),
		"POST /signin":                               at("/signin", everyone),
		"POST /signout":                              at("/signout", everyone),
		"GET /setup":                                 at("/setup?token=some-token", everyone),
		"POST /setup":                                at("/setup", everyone),
		"GET /account":                               at("/account", signedIn),
		"POST /account/profile":                      at("/account/profile", signedIn),
		"POST /account/tokens":                       at("/account/tokens", signedIn),
		"POST /account/tokens/{id}/revoke":           at("/account/tokens/{id}/revoke", signedIn),
		"GET /admin/users":                           at("/admin/users", admins),
		"POST /admin/users":                          at("/admin/users", admins),
		"GET /admin/settings":                        at("/admin/settings", admins),
		"POST /admin/settings":                       at("/admin/settings", admins),
		"GET /admin/audit":                           at("/admin/audit", admins),
		"GET /settings/messages":                     at("/settings/messages", recruiters),
		"GET /settings/messages/{event}/{language}":  at("/settings/messages/rejection/de", recruiters),
		"POST /settings/messages/{event}/{language}": at("/settings/messages/rejection/de", recruiters),

		"GET " + v1 + "/openapi.json":                  at(v1+"/openapi.json", everyone),
		"GET " + v1 + "/me":                            at(v1+"/me", signedIn),
		"GET " + v1 + "/departments":                   at(v1+"/departments", everyone),
		"GET " + v1 + "/departments/{id}":              onCatalog(v1+"/departments/{id}", everyone),
		"GET " + v1 + "/families":                      at(v1+"/families", everyone),
		"GET " + v1 + "/families/{id}":                 onCatalog(v1+"/families/{id}", everyone),
		"PATCH " + v1 + "/families/{id}":               onCatalog(v1+"/families/{id}", recruiters),
		"GET " + v1 + "/roles":                         at(v1+"/roles", everyone),
		"GET " + v1 + "/roles/{id}":                    onCatalog(v1+"/roles/{id}", everyone),
		"PATCH " + v1 + "/roles/{id}":                  onCatalog(v1+"/roles/{id}", recruiters),
		"GET " + v1 + "/openings":                      at(v1+"/openings", staff),
		"POST " + v1 + "/openings":                     at(v1+"/openings", recruiters),
		"GET " + v1 + "/openings/{id}":                 onOpenings(v1 + "/openings/{id}"),
		"PATCH " + v1 + "/openings/{id}":               onOpenings(v1 + "/openings/{id}"),
		"GET " + v1 + "/candidates":                    at(v1+"/candidates", recruiters),
		"GET " + v1 + "/candidates/{id}":               onCandidates(v1+"/candidates/{id}", false),
		"GET " + v1 + "/applications":                  at(v1+"/applications", signedIn),
		"GET " + v1 + "/applications/{id}":             onApps(v1+"/applications/{id}", false),
		"GET " + v1 + "/applications/{id}/timeline":    onApps(v1+"/applications/{id}/timeline", false),
		"POST " + v1 + "/applications/{id}/moves":      onApps(v1+"/applications/{id}/moves", true),
		"POST " + v1 + "/applications/{id}/rejections": onApps(v1+"/applications/{id}/rejections", true),
		"POST " + v1 + "/rejections":                   at(v1+"/rejections", teamX),
		"POST " + v1 + "/applications/{id}/withdrawal": onApps(v1+"/applications/{id}/withdrawal", true),
		"POST " + v1 + "/applications/{id}/hire":       onApps(v1+"/applications/{id}/hire", true),
		"GET " + v1 + "/applications/{id}/messages":    onApps(v1+"/applications/{id}/messages", true),
		"POST " + v1 + "/applications/{id}/messages":   onApps(v1+"/applications/{id}/messages", true),
		"POST " + v1 + "/applications/{id}/steps/{step_id}": func(w *matrixWorld, f *matrixFixture) []target {
			return onApps(v1+"/applications/{id}/steps/"+itoa(f.plan.Stages[0].Steps[0].ID), true)(w, f)
		},
		"GET " + v1 + "/plan-templates": at(v1+"/plan-templates", staff),
		"GET " + v1 + "/plan-templates/{id}": func(w *matrixWorld, _ *matrixFixture) []target {
			return []target{{"", v1 + "/plan-templates/" + itoa(w.planTemplate.ID), staff}}
		},
		"GET " + v1 + "/openings/{id}/plan":            onOpenings(v1 + "/openings/{id}/plan"),
		"PUT " + v1 + "/openings/{id}/plan":            onOpenings(v1 + "/openings/{id}/plan"),
		"GET " + v1 + "/interviews":                    at(v1+"/interviews", signedIn),
		"GET " + v1 + "/interviews/{id}":               onInterview(v1+"/interviews/{id}", seeA),
		"GET " + v1 + "/interviews/{id}/invite.ics":    onInterview(v1+"/interviews/{id}/invite.ics", seeA),
		"POST " + v1 + "/applications/{id}/interviews": onApps(v1+"/applications/{id}/interviews", true),
		"POST " + v1 + "/interviews/{id}/reschedule":   onInterview(v1+"/interviews/{id}/reschedule", teamX),
		"POST " + v1 + "/interviews/{id}/cancel":       onInterview(v1+"/interviews/{id}/cancel", teamX),
		"POST " + v1 + "/interviews/{id}/outcome":      onInterview(v1+"/interviews/{id}/outcome", seeA),

		"GET /healthz":       at("/healthz", everyone),
		"GET /readyz":        at("/readyz", everyone),
		"GET /metrics":       at("/metrics", everyone),
		"GET /static/{file}": at("/static/app.css", everyone),
	}
	for _, p := range []string{"GET /{rest...}", "POST /{rest...}", "GET /{board_token}", "GET /{board_token}/jobs",
		"GET /{board_token}/jobs/{id}", "POST /{board_token}/jobs/{id}", "GET /{board_token}/departments",
		"GET /{board_token}/departments/{id}", "GET /{board_token}/offices", "GET /{board_token}/offices/{id}"} {
		method, path, _ := strings.Cut(p, " ")
		m[method+" "+jobboard.Prefix+path] = onBoard(jobboard.Prefix + path)
	}
	return m
}

// onOpeningAll sends a public route of the careers site to opening X.
func onOpeningAll(path string) row {
	return func(_ *matrixWorld, f *matrixFixture) []target {
		return []target{{"", strings.Replace(path, "{id}", itoa(f.x.ID), 1), everyone}}
	}
}

// send makes the request of a row: GETs as they are, posts with an empty
// or invalid body, so that only access and input checks answer.
func (w *matrixWorld) send(t *testing.T, rt web.Route, v string, tg target, f *matrixFixture) *response {
	t.Helper()
	c := w.pages[v]
	if rt.API {
		c = w.apis[v]
	}
	path := tg.path
	if strings.Contains(path, "/tokens/{id}") {
		id := int64(1)
		if u := w.users[v]; u != nil {
			_, tok, err := store.NewUserService(w.e.db).CreateToken(context.Background(), u.ID, "to revoke")
			if err != nil {
				t.Fatal(err)
			}
			id = tok.ID
		}
		path = strings.Replace(path, "{id}", itoa(id), 1)
	}
	switch {
	case rt.Method == http.MethodGet:
		return c.get(path)
	case rt.Path == "/api/v1/rejections":
		return c.do(rt.Method, path, "application/json", strings.NewReader(
			`{"reason": "experience", "application_ids": [`+itoa(f.b.Application.ID)+`]}`))
	case rt.API:
		return c.do(rt.Method, path, "application/json", strings.NewReader(`{}`))
	case strings.HasPrefix(rt.Path, "/guide/{token}/"):
		return c.postForm(path, url.Values{"form_key": {f.formKey}})
	}
	return c.postForm(path, url.Values{})
}

// TestAccessMatrix sends every route of the table as every kind of
// visitor, to data that is theirs and data that is not. Refused visitors
// are sent to sign in (401 from the API) or get 403 or 404; let-through
// visitors are answered, with a 4xx only for the empty input sent.
func TestAccessMatrix(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		w := newMatrixWorld(t, db)
		matrix := accessMatrix()
		seen := map[string]bool{}

		w.checkInterviewerView(t)

		for _, rt := range w.e.srv.Routes() {
			seen[rt.Pattern()] = true
			rowOf, ok := matrix[rt.Pattern()]
			if !ok {
				t.Errorf("%s has no row in the access matrix; add one", rt.Pattern())
				continue
			}
			t.Run(rt.Pattern(), func(t *testing.T) {
				f := w.fixture(t)
				for _, tg := range rowOf(w, f) {
					for _, v := range matrixVisitors {
						res := w.send(t, rt, v, tg, f)
						w.check(t, rt, v, tg, res)
						if rt.Path == "/signout" && v != vAnonymous {
							w.pages[v] = w.signIn(t, v)
						}
					}
				}
			})
		}
		for p := range matrix {
			if !seen[p] {
				t.Errorf("the access matrix has a row for %s, which the route table does not serve", p)
			}
		}
	})
}

// answersNotFound reports the public routes that answer 404 to a visit
// without what they need beyond access: the job board without a board
// configured, and the thanks page without an application just sent.
func answersNotFound(rt web.Route) bool {
	return rt.Path == "/jobs/{id}/applied" || strings.HasPrefix(rt.Path, jobboard.Prefix)
}

// check asserts the answer of visitor v to a request of a row.
func (w *matrixWorld) check(t *testing.T, rt web.Route, v string, tg target, res *response) {
	t.Helper()
	name := rt.Method + " " + res.Request.URL.String() + " (" + tg.name + ") as " + v
	body := res.body
	if len(body) > 600 {
		body = body[:600] + "..."
	}
	status := res.StatusCode
	toSignIn := status == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/signin")
	if slices.Contains(tg.who, v) {
		refused := status == http.StatusUnauthorized || status == http.StatusForbidden || toSignIn ||
			(status == http.StatusNotFound && !answersNotFound(rt))
		if refused || status >= 500 {
			t.Errorf("%s: status %d, want an answer\n%s", name, status, body)
		}
		if rt.Method == http.MethodGet && status >= 400 && rt.Path != "/setup" && !answersNotFound(rt) {
			t.Errorf("%s: status %d, want the page\n%s", name, status, body)
		}
		if rt.Path == "/api/v1/rejections" && status == http.StatusOK {
			var out struct {
				Data hiring.BulkRejectResult `json:"data"`
			}
			res.decode(t, &out)
			for _, why := range out.Data.Skipped {
				if strings.Contains(why, "may change") {
					t.Errorf("%s: B skipped as not theirs: %s", name, why)
				}
			}
		}
		return
	}
	switch {
	case v == vAnonymous && rt.API:
		if status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401\n%s", name, status, body)
		} else if code := res.apiError(t).Error.Code; code != "unauthorized" {
			t.Errorf("%s: error code %q, want unauthorized", name, code)
		}
	case v == vAnonymous:
		if !toSignIn || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
			t.Errorf("%s: status %d to %q, want 303 to the sign-in page\n%s", name, status, res.Header.Get("Location"), body)
		}
	case rt.Path == "/api/v1/rejections":
		var out struct {
			Data hiring.BulkRejectResult `json:"data"`
		}
		if status != http.StatusOK {
			t.Errorf("%s: status %d, want 200 with B skipped\n%s", name, status, body)
			return
		}
		res.decode(t, &out)
		if len(out.Data.Rejected) != 0 || len(out.Data.Skipped) != 1 {
			t.Errorf("%s: rejected %v, skipped %v; want B skipped as not theirs", name, out.Data.Rejected, out.Data.Skipped)
		}
	case status != http.StatusForbidden && status != http.StatusNotFound:
		t.Errorf("%s: status %d, want 403 or 404\n%s", name, status, body)
	}
}

// checkInterviewerView checks what the interviewer of A sees of it, and
// that the hiring manager of X sees more.
func (w *matrixWorld) checkInterviewerView(t *testing.T) {
	t.Helper()
	f := w.fixture(t)
	iv, manager := w.pages[vInterviewer], w.pages[vManagerX]
	appPath := "/applications/" + itoa(f.a.Application.ID)
	changes := `form[action^="` + appPath + `/"], a[href^="/openings"], a[href="` + appPath + `/messages"], a[href^="` + appPath + `/interviews/new"]`
	t.Run("ApplicationWithoutChanges", func(t *testing.T) {
		res := iv.get(appPath)
		res.wantStatus(t, http.StatusOK)
		d := res.doc(t)
		checkAccessible(t, appPath, d)
		d.Find(changes).Each(func(_ int, s *goquery.Selection) {
			h, _ := goquery.OuterHtml(s)
			if len(h) > 200 {
				h = h[:200]
			}
			t.Errorf("the interviewer sees a form or link they may not use: %s", h)
		})
		if n := manager.get(appPath).doc(t).Find(changes).Length(); n < 5 {
			t.Errorf("the hiring manager sees %d forms and links to change the application, want them all", n)
		}
	})
	t.Run("CandidateWithOnlyA", func(t *testing.T) {
		path := "/candidates/" + itoa(f.a.Candidate.ID)
		res := iv.get(path)
		res.wantStatus(t, http.StatusOK)
		got := res.doc(t).Find("article.application")
		if got.Length() != 1 {
			t.Errorf("the interviewer sees %d applications of the candidate, want only A", got.Length())
		}
		if strings.Contains(res.body, "/applications/"+itoa(f.c.Application.ID)) {
			t.Error("the interviewer's candidate page links to C")
		}
		if n := w.pages[vRecruiter].get(path).doc(t).Find("article.application").Length(); n != 2 {
			t.Errorf("the recruiter sees %d applications of the candidate, want 2", n)
		}
	})
	t.Run("APIListsOnlyA", func(t *testing.T) {
		ids := func(c *client, path string) []int64 {
			var body struct {
				Data []hiring.Application `json:"data"`
			}
			res := c.get(path)
			res.wantStatus(t, http.StatusOK)
			res.decode(t, &body)
			out := []int64{}
			for _, a := range body.Data {
				out = append(out, a.ID)
			}
			slices.Sort(out)
			return out
		}
		a := f.a.Application.ID
		for _, path := range []string{"/api/v1/applications", "/api/v1/applications?opening=" + itoa(f.x.ID)} {
			if got := ids(w.apis[vInterviewer], path); !slices.Equal(got, []int64{a}) {
				t.Errorf("%s lists %v for the interviewer of A, want [%d]", path, got, a)
			}
			if got := ids(w.apis[vBystander], path); len(got) != 0 {
				t.Errorf("%s lists %v for an interviewer of nothing", path, got)
			}
		}
		if got := ids(w.apis[vInterviewer], "/api/v1/applications?opening="+itoa(f.y.ID)); len(got) != 0 {
			t.Errorf("the interviewer of A lists %v of opening Y", got)
		}
		if got := ids(w.apis[vManagerX], "/api/v1/applications"); !slices.Equal(got, []int64{a, f.b.Application.ID}) {
			t.Errorf("the hiring manager of X lists %v, want A and B", got)
		}
		var d struct {
			Data struct {
				Access string `json:"access"`
			} `json:"data"`
		}
		w.apis[vInterviewer].get("/api/v1/applications/"+itoa(a)).decode(t, &d)
		if d.Data.Access != "interview" {
			t.Errorf("the interviewer's access to A is %q, want interview", d.Data.Access)
		}
	})
}
