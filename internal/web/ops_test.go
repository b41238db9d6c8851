package web_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

func TestHealthAndReadiness(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		t.Run("ReadyOnMigratedStore", func(t *testing.T) {
			e := mustEnv(t, db)
			c := e.anonymous()
			res := c.get("/healthz")
			res.wantStatus(t, http.StatusOK)
			if strings.TrimSpace(res.body) != "ok" {
				t.Errorf("/healthz body %q, want ok", res.body)
			}
			c.get("/readyz").wantStatus(t, http.StatusOK)
		})
		t.Run("NotReadyWithoutDetail", func(t *testing.T) {
			e := mustEnv(t, db, func(d *web.Deps) {
				d.Ready = func(context.Context) error {
					return errors.New("dial tcp 10.0.0.7:5432: connection refused")
				}
			})
			res := e.anonymous().get("/readyz")
			res.wantStatus(t, http.StatusServiceUnavailable)
			if strings.Contains(res.body, "10.0.0.7") || !strings.Contains(res.body, "not ready") {
				t.Errorf("/readyz body %q: want a short reason without internal detail", res.body)
			}
			if !strings.Contains(e.logs.String(), "10.0.0.7") {
				t.Error("the log does not keep the detail of why the server is not ready")
			}
			e.anonymous().get("/healthz").wantStatus(t, http.StatusOK)
		})
	})
}

func TestMetricsLabelRequestsByRoute(t *testing.T) {
	e := mustEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	c := e.anonymous()
	c.get("/roles/"+itoa(e.role.ID)).wantStatus(t, http.StatusOK)
	c.get("/roles/999999").wantStatus(t, http.StatusNotFound)
	c.get("/no/such/page").wantStatus(t, http.StatusNotFound)

	res := c.get("/metrics")
	res.wantStatus(t, http.StatusOK)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`hireloop_http_requests_total\{code="200",method="GET",route="GET /roles/\{id\}"\} 1`),
		regexp.MustCompile(`hireloop_http_requests_total\{code="404",method="GET",route="GET /roles/\{id\}"\} 1`),
		regexp.MustCompile(`hireloop_http_requests_total\{code="404",method="GET",route="unmatched"\} 1`),
		regexp.MustCompile(`hireloop_http_request_duration_seconds_bucket\{code="200",method="GET",route="GET /roles/\{id\}",le="[^"]+"\}`),
		regexp.MustCompile(`go_sql_max_open_connections\{db_name="hireloop"\}`),
		regexp.MustCompile(`go_goroutines`),
	} {
		if !want.MatchString(res.body) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(res.body, `route="/roles/`+itoa(e.role.ID)) || strings.Contains(res.body, "/no/such/page") {
		t.Error("/metrics labels a request with its raw path")
	}
}

// panickyRoles fails the way a bug would.
type panickyRoles struct{ hiring.RoleService }

func (panickyRoles) FindRoleByID(context.Context, int64) (*hiring.Role, error) {
	panic("role lookup exploded")
}

// brokenRoles fails the way a database would.
type brokenRoles struct{ hiring.RoleService }

var errDatabase = errors.New("pq: relation \"roles\" does not exist")

func (brokenRoles) FindRoleByID(context.Context, int64) (*hiring.Role, error) {
	return nil, errDatabase
}

func (brokenRoles) FindRoles(context.Context, hiring.RoleFilter) ([]*hiring.Role, int, error) {
	return nil, 0, errDatabase
}

func TestPanicBecomesPlain500(t *testing.T) {
	db := hiringtest.MustOpenStore(t, "sqlite")
	e := mustEnv(t, db, func(d *web.Deps) { d.Roles = panickyRoles{d.Roles} })
	res := e.anonymous().get("/roles/1")
	res.wantStatus(t, http.StatusInternalServerError)
	if strings.TrimSpace(res.body) != "Internal error." {
		t.Errorf("body %q, want only Internal error.", res.body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "role lookup exploded") || !strings.Contains(logs, "goroutine") {
		t.Error("the log lacks the panic and its stack")
	}
	e.anonymous().get("/healthz").wantStatus(t, http.StatusOK)
}

func TestInternalErrorsHideDetail(t *testing.T) {
	db := hiringtest.MustOpenStore(t, "sqlite")
	e := mustEnv(t, db, func(d *web.Deps) { d.Roles = brokenRoles{d.Roles} })
	c := e.anonymous()

	page := c.get("/roles/1")
	page.wantStatus(t, http.StatusInternalServerError)
	checkAccessible(t, "/roles/1", page.doc(t))
	if strings.Contains(page.body, "relation") || !strings.Contains(page.body, "Internal error.") {
		t.Errorf("the error page shows internal detail or no message:\n%s", page.doc(t).Find("main").Text())
	}

	api := c.get("/api/v1/roles")
	api.wantStatus(t, http.StatusInternalServerError)
	got := api.apiError(t)
	if got.Error.Code != "internal" || got.Error.Message != "Internal error." {
		t.Errorf("API error = %+v, want internal / Internal error.", got.Error)
	}
	if !strings.Contains(e.logs.String(), `relation \"roles\" does not exist`) {
		t.Error("the log lacks the internal error's detail")
	}
}

func TestStaticAndHeaders(t *testing.T) {
	e := mustEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	c := e.anonymous()
	home := c.get("/")
	href, ok := home.doc(t).Find(`link[rel="stylesheet"]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/static/app.css?v=") {
		t.Fatalf("stylesheet link %q", href)
	}
	if csp := home.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if home.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	css := c.get(href)
	css.wantStatus(t, http.StatusOK)
	if ct := css.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("stylesheet Content-Type %q", ct)
	}
	if !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned stylesheet Cache-Control %q", css.Header.Get("Cache-Control"))
	}
	if len(css.body) > 20_000 {
		t.Errorf("stylesheet is %d bytes; keep it small", len(css.body))
	}
	c.get("/static/../server.go").wantStatus(t, http.StatusNotFound)
	c.get("/static/nothing.css").wantStatus(t, http.StatusNotFound)
}

func TestNewServerNeedsDependencies(t *testing.T) {
	if _, err := web.NewServer(web.Deps{}); err == nil {
		t.Error("NewServer without services succeeded")
	}
}
