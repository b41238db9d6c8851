package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// env is a running server on a real store with the sample family imported.
type env struct {
	t      testing.TB
	db     *store.DB
	srv    *web.Server
	ts     *httptest.Server
	logs   *syncBuffer
	family *hiring.Family
	// role is the first role of the sample family, the one with every field.
	role *hiring.Role
	// deps are the services the server was built with, for tests that make
	// data through them (openings, applications).
	deps web.Deps
}

// syncBuffer collects log lines from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// depsFor wires the real services of db, as main does; uploads go to a
// blob store in a folder removed when the test ends.
func depsFor(tb testing.TB, db *store.DB, logs io.Writer) web.Deps {
	blobs := hiringtest.MustNewBlobStore(tb)
	return web.Deps{
		Departments:    store.NewDepartmentService(db),
		Families:       store.NewFamilyService(db),
		Roles:          store.NewRoleService(db),
		Users:          store.NewUserService(db),
		Audit:          store.NewAuditService(db),
		Settings:       store.NewSettingsService(db),
		Sessions:       db.SessionStore(),
		Ready:          db.Ready,
		DB:             db.SQL(),
		Logger:         slog.New(slog.NewJSONHandler(logs, nil)),
		Openings:       store.NewOpeningService(db),
		Plans:          store.NewPlanService(db),
		Applications:   store.NewApplicationService(db, blobs, store.ApplyRules{}),
		Candidates:     store.NewCandidateService(db),
		Files:          store.NewFileService(db, blobs),
		Outbox:         store.NewOutboxService(db),
		SelfID:         store.NewSelfIDService(db),
		Replies:        store.NewReplyService(db),
		InterviewPlans: store.NewInterviewPlanService(db),
		Pipeline:       store.NewPipelineService(db, store.PipelineOptions{Interviews: store.NewInterviewService(db, store.InterviewOptions{})}),
		Interviews:     store.NewInterviewService(db, store.InterviewOptions{CompanyName: "Larkspur"}),
		Guide:          store.NewGuideService(db, store.GuideOptions{}),
		Templates:      store.NewTemplateService(db, store.TemplateOptions{CompanyName: "Larkspur"}),
		Messages:       store.NewMessageService(db),

		ApplicationFacts: store.NewAccessService(db),
	}
}

// mustEnv starts a server on db; change adjusts its dependencies first.
func mustEnv(tb testing.TB, db *store.DB, change ...func(*web.Deps)) *env {
	tb.Helper()
	e := &env{t: tb, db: db, logs: &syncBuffer{}}
	d := depsFor(tb, db, e.logs)
	for _, c := range change {
		c(&d)
	}
	e.deps = d
	srv, err := web.NewServer(d)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	tb.Cleanup(e.ts.Close)
	res, err := store.NewFamilyService(db).ImportFamily(context.Background(), hiringtest.SampleFamily())
	if err != nil {
		tb.Fatalf("import sample family: %v", err)
	}
	e.family = res.Family
	roles, _, err := store.NewRoleService(db).FindRoles(context.Background(), hiring.RoleFilter{FamilyID: &e.family.ID})
	if err != nil || len(roles) == 0 {
		tb.Fatalf("find sample roles: %v (%d roles)", err, len(roles))
	}
	e.role = roles[0]
	return e
}

// client is one browser: it keeps cookies and does not follow redirects,
// so tests see each answer.
type client struct {
	e    *env
	http *http.Client
	user *hiring.User
	// header is added to every request, for bearer tokens and browser headers.
	header http.Header
}

func (e *env) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, header: http.Header{}, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// mustSignIn creates a user with the role and signs a new client in.
func (e *env) mustSignIn(role hiring.UserRole) *client {
	e.t.Helper()
	u, password := hiringtest.MustCreateUser(e.t, e.db, role)
	c := e.anonymous()
	res := c.postForm("/signin", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d, body %s", role, res.StatusCode, res.body)
	}
	c.user = u
	return c
}

// bearer returns a client without cookies that sends the token.
func (e *env) bearer(token string) *client {
	c := e.anonymous()
	c.http.Jar = nil
	c.header.Set("Authorization", "Bearer "+token)
	return c
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body string
}

func (c *client) do(method, path, contentType string, body io.Reader) *response {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.ts.URL+path, body)
	if err != nil {
		c.e.t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.e.t.Fatalf("read %s %s: %v", method, path, err)
	}
	return &response{Response: res, body: string(b)}
}

func (c *client) get(path string) *response { return c.do(http.MethodGet, path, "", nil) }

func (c *client) postForm(path string, form url.Values) *response {
	return c.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (c *client) patchJSON(path, body string) *response {
	return c.do(http.MethodPatch, path, "application/json", strings.NewReader(body))
}

// doc parses an HTML answer.
func (r *response) doc(tb testing.TB) *goquery.Document {
	tb.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		tb.Fatalf("parse HTML: %v", err)
	}
	return d
}

// apiError is the JSON error shape.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Field   string            `json:"field"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (r *response) apiError(tb testing.TB) apiError {
	tb.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		tb.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	return e
}

func (r *response) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		tb.Fatalf("body is not the JSON expected: %v\n%s", err, r.body)
	}
}

// wantStatus fails the test when the status differs, showing the body.
func (r *response) wantStatus(tb testing.TB, want int) {
	tb.Helper()
	if r.StatusCode != want {
		body := r.body
		if len(body) > 2000 {
			body = body[:2000] + "..."
		}
		tb.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, body)
	}
}

// checkAccessible asserts what every page must have: one h1, the
// landmarks, and a label for every form control.
func checkAccessible(tb testing.TB, path string, d *goquery.Document) {
	tb.Helper()
	if n := d.Find("h1").Length(); n != 1 {
		tb.Errorf("%s: %d h1 elements, want 1", path, n)
	}
	for _, sel := range []string{"header", "nav", "main#main", "footer", `a.skip-link[href="#main"]`} {
		if d.Find(sel).Length() == 0 {
			tb.Errorf("%s: no %s", path, sel)
		}
	}
	if lang, _ := d.Find("html").Attr("lang"); lang == "" {
		tb.Errorf("%s: html has no lang", path)
	}
	d.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		if t, _ := s.Attr("type"); t == "hidden" || t == "submit" || t == "button" {
			return
		}
		id, _ := s.Attr("id")
		name, _ := s.Attr("name")
		if _, ok := s.Attr("aria-label"); ok {
			return
		}
		if id == "" || d.Find(`label[for="`+id+`"]`).Length() == 0 {
			tb.Errorf("%s: form control %q (id %q) has no label", path, name, id)
		}
	})
	ids := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if ids[id] {
			tb.Errorf("%s: id %q is used twice", path, id)
		}
		ids[id] = true
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var sequence atomic.Int64

// unique returns a string no other call in this test binary returns.
func unique() string { return strconv.FormatInt(sequence.Add(1), 10) }
