package jobboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/jobboard"
	"hireloop/internal/store"
)

const (
	testToken   = "acme"
	testKey     = "board-key-3f9a"
	testBaseURL = "https://jobs.example.com"
	testCompany = "Acme Test Co"
)

// testNow is the clock of every handler in these tests.
var testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

// board is a store with a small company's openings and a job board API
// served over HTTP on the loopback interface.
type board struct {
	db  *store.DB
	h   *jobboard.Handler
	srv *httptest.Server

	// data, sre and marketing are open; noDept is open without a
	// department or a location; draft and closed are not on the board.
	data, sre, marketing, noDept, draft, closed *hiring.Opening
	// dept holds the departments by slug.
	dept map[string]*hiring.Department
}

// mustImportFamily imports a one-role family in the department path and
// returns its role.
func mustImportFamily(tb testing.TB, db *store.DB, slug, title string, path ...string) *hiring.Role {
	tb.Helper()
	res, err := store.NewFamilyService(db).ImportFamily(context.Background(), &hiring.Family{
		Slug: slug, Title: title, Summary: "The " + title + " family.",
		DepartmentPath: path, Source: "test/" + slug + ".md", ContentHash: slug,
		Roles: []*hiring.Role{{Slug: slug, Title: title, Level: "Intermediate",
			Summary:          "Does the work of a " + title + ".",
			Responsibilities: []string{"Ship careful work"}, Requirements: []string{"Two years of practice"}}},
	})
	if err != nil {
		tb.Fatalf("import family %s: %v", slug, err)
	}
	return res.Family.Roles[0]
}

// mustNewBoard fills db with openings in three departments and serves the
// job board API for them.
func mustNewBoard(t *testing.T, db *store.DB) *board {
	t.Helper()
	ctx := context.Background()
	b := &board{db: db, dept: map[string]*hiring.Department{}}
	sre := mustImportFamily(t, db, "site-reliability-engineer", "Site Reliability Engineer", "Engineering", "Infrastructure")
	marketer := mustImportFamily(t, db, "content-marketer", "Content Marketer", "Marketing")

	questions := append(hiringtest.SampleQuestions(),
		hiring.Question{Label: "A work sample you are proud of", Type: hiring.FileQuestion},
		hiring.Question{Label: "Your GitHub name", Type: hiring.ShortText})
	b.data = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{
		Title:     "Data Platform Engineer",
		Locations: []hiring.Location{{Name: "Berlin", CountryCode: "DE"}, {Name: "Remote", Remote: true}},
		Teams:     []hiring.TeamVacancies{{Team: "Create", Count: 1}, {Team: "Plan", Count: 2}},
		Pay:       &hiring.PayRange{Min: 7000000, Max: 9000000, Currency: "EUR", Period: hiring.PerYear},
		Description: "We move **data** reliably.\n\n## What you will do\n\n- Keep loads on time\n\n" +
			"<script>alert('x')</script>\n\n[Our blog](https://example.com/blog) & more.\n",
		Questions: questions,
	})
	b.sre = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: sre.ID,
		Locations: []hiring.Location{{Name: "Europe", Remote: true}}})
	b.marketing = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: marketer.ID,
		Locations: []hiring.Location{{Name: "berlin", CountryCode: "DE"}}})
	b.noDept = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: marketer.ID, Title: "Office Manager"})
	none := int64(0)
	openings := store.NewOpeningService(db)
	var err error
	if b.noDept, err = openings.UpdateOpening(ctx, b.noDept.ID, hiring.OpeningUpdate{DepartmentID: &none}); err != nil {
		t.Fatalf("remove department: %v", err)
	}
	b.draft = hiringtest.MustCreateOpening(t, db, hiring.NewOpening{RoleID: sre.ID, Title: "Draft Engineer"})
	b.closed = hiringtest.MustOpenOpening(t, db, hiring.NewOpening{RoleID: sre.ID, Title: "Closed Engineer"})
	if b.closed, err = openings.SetOpeningStatus(ctx, b.closed.ID, hiring.OpeningClosed); err != nil {
		t.Fatalf("close opening: %v", err)
	}

	depts, _, err := store.NewDepartmentService(db).FindDepartments(ctx, hiring.DepartmentFilter{Limit: 100})
	if err != nil {
		t.Fatalf("find departments: %v", err)
	}
	for _, d := range depts {
		b.dept[d.Slug] = d
	}
	for _, slug := range []string{"engineering", "engineering/data", "engineering/infrastructure", "marketing"} {
		if b.dept[slug] == nil {
			t.Fatalf("department %s is missing; have %v", slug, keys(b.dept))
		}
	}
	b.h = newHandler(t, db)
	b.srv = httptest.NewServer(b.h)
	t.Cleanup(b.srv.Close)
	return b
}

// newHandler returns a job board API on db's store, as a server wires it.
func newHandler(t testing.TB, db *store.DB) *jobboard.Handler {
	t.Helper()
	return &jobboard.Handler{
		Openings:     store.NewOpeningService(db),
		Departments:  store.NewDepartmentService(db),
		Applications: store.NewApplicationService(db, hiringtest.MustNewBlobStore(t), store.ApplyRules{}),
		BoardToken:   testToken,
		APIKey:       testKey,
		BaseURL:      testBaseURL,
		CompanyName:  testCompany,
		Now:          hiringtest.FixedClock(testNow),
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// get requests path from the board's server and returns the status and body.
func (b *board) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	res, err := http.Get(b.srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read GET %s: %v", path, err)
	}
	return res.StatusCode, body
}

// mustGetJSON requests path, wants 200 and decodes the body into v.
func (b *board) mustGetJSON(t *testing.T, path string, v any) {
	t.Helper()
	status, body := b.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s; want 200", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: decode %s: %v", path, body, err)
	}
}

// wantError checks that a response is Greenhouse's error body with the
// status.
func wantError(t *testing.T, status int, body []byte, want int) jobboard.ErrorBody {
	t.Helper()
	if status != want {
		t.Fatalf("status = %d (%s); want %d", status, body, want)
	}
	var e jobboard.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	if e.Status != want || strings.TrimSpace(e.Error) == "" {
		t.Errorf("error body = %s; want status %d and a message", body, want)
	}
	return e
}

func path(format string, args ...any) string {
	return jobboard.Prefix + "/" + testToken + fmt.Sprintf(format, args...)
}

// serve runs one request through h without a network.
func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	return record(h, httptest.NewRequest(method, target, nil))
}

// record runs req through h without a network.
func record(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
