package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// apiEnv is a real server on a real store with the sample family imported,
// and a token for an editor and one for an interviewer.
type apiEnv struct {
	t           *testing.T
	db          *store.DB
	srv         *web.Server
	ts          *httptest.Server
	family      *hiring.Family
	roles       []*hiring.Role
	editor      string
	interviewer string
}

func mustAPIEnv(t *testing.T, db *store.DB) *apiEnv {
	t.Helper()
	srv, err := web.NewServer(web.Deps{
		Departments: store.NewDepartmentService(db),
		Families:    store.NewFamilyService(db),
		Roles:       store.NewRoleService(db),
		Users:       store.NewUserService(db),
		Audit:       store.NewAuditService(db),
		Settings:    store.NewSettingsService(db),
		Sessions:    db.SessionStore(),
		Ready:       db.Ready,
		Logger:      slog.New(slog.DiscardHandler),

		Openings:     store.NewOpeningService(db),
		Plans:        store.NewPlanService(db),
		Applications: store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}),
		Candidates:   store.NewCandidateService(db),

		InterviewPlans:   store.NewInterviewPlanService(db),
		Pipeline:         store.NewPipelineService(db, store.PipelineOptions{}),
		Outbox:           store.NewOutboxService(db),
		Interviews:       store.NewInterviewService(db, store.InterviewOptions{}),
		ApplicationFacts: store.NewAccessService(db),
		Messages:         store.NewMessageService(db),
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &apiEnv{t: t, db: db, srv: srv, ts: httptest.NewServer(srv)}
	t.Cleanup(e.ts.Close)
	ctx := context.Background()
	res, err := store.NewFamilyService(db).ImportFamily(ctx, hiringtest.SampleFamily())
	if err != nil {
		t.Fatal(err)
	}
	e.family = res.Family
	other := hiringtest.SampleFamily()
	other.Source, other.Slug, other.Title = "job-families/sales/account-executive.md", "account-executive", "Account Executive"
	other.DepartmentPath = []string{"Sales"}
	other.Roles = other.Roles[:1]
	other.Roles[0].Title, other.Roles[0].Slug = "Account Executive", "account-executive"
	if _, err := store.NewFamilyService(db).ImportFamily(ctx, other); err != nil {
		t.Fatal(err)
	}
	e.roles, _, err = store.NewRoleService(db).FindRoles(ctx, hiring.RoleFilter{FamilyID: &e.family.ID})
	if err != nil {
		t.Fatal(err)
	}
	e.editor = mustToken(t, db, hiring.RoleRecruiter)
	e.interviewer = mustToken(t, db, hiring.RoleInterviewer)
	return e
}

func mustToken(t *testing.T, db *store.DB, role hiring.UserRole) string {
	t.Helper()
	u, _ := hiringtest.MustCreateUser(t, db, role)
	secret, _, err := store.NewUserService(db).CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *apiEnv) do(method, path, token, contentType string, body io.Reader) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

func (e *apiEnv) get(path string) reply { return e.do(http.MethodGet, path, "", "", nil) }

func (e *apiEnv) patch(path, token, body string) reply {
	return e.do(http.MethodPatch, path, token, "application/json", strings.NewReader(body))
}

// errBody is the API's error shape.
type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Field   string            `json:"field"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantError checks an error answer's status, code and, when given, field.
func (r reply) wantError(t *testing.T, status int, code, field string) errBody {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d\n%s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	var e errBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	if e.Error.Code != code {
		t.Errorf("code %q, want %q (%s)", e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Message == "" {
		t.Error("the error has no message")
	}
	if field != "" && (e.Error.Field != field || e.Error.Fields[field] == "") {
		t.Errorf("field %q with fields %v, want %q named", e.Error.Field, e.Error.Fields, field)
	}
	return e
}

// list is a listing answer.
type list[T any] struct {
	Data []T `json:"data"`
	Meta struct {
		Total  int `json:"total"`
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	} `json:"meta"`
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", r.status, r.body)
	}
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode: %v\n%s", err, r.body)
	}
	return v
}

func titles(roles []*hiring.Role) []string {
	out := []string{}
	for _, r := range roles {
		out = append(out, r.Title)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
