package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
	"hireloop/internal/web"
)

// benchServer is a server on SQLite with a catalog of 30 families in 10
// departments, as a mid-sized company would have.
func benchServer(b *testing.B) (*web.Server, *hiring.Role) {
	b.Helper()
	db := hiringtest.MustOpenStore(b, "sqlite")
	fams := store.NewFamilyService(db)
	var role *hiring.Role
	for i := range 30 {
		f := hiringtest.SampleFamily()
		f.Source = fmt.Sprintf("job-families/bench/family-%d.md", i)
		f.Slug = fmt.Sprintf("family-%d", i)
		f.Title = fmt.Sprintf("%s %d", f.Title, i)
		f.DepartmentPath = []string{"Engineering", fmt.Sprintf("Group %d", i%10)}
		res, err := fams.ImportFamily(context.Background(), f)
		if err != nil {
			b.Fatal(err)
		}
		if role == nil {
			full, err := fams.FindFamilyByID(context.Background(), res.Family.ID)
			if err != nil {
				b.Fatal(err)
			}
			role = full.Roles[0]
			role.Family = full
		}
	}
	srv, err := web.NewServer(depsFor(b, db, io.Discard))
	if err != nil {
		b.Fatal(err)
	}
	return srv, role
}

func benchPage(b *testing.B, srv http.Handler, path string) {
	b.Helper()
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", path, rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkCatalogPage renders the department tree and a department's
// family listing.
func BenchmarkCatalogPage(b *testing.B) {
	srv, role := benchServer(b)
	b.Run("Home", func(b *testing.B) { benchPage(b, srv, "/") })
	b.Run("Department", func(b *testing.B) {
		benchPage(b, srv, "/departments/"+itoa(*role.Family.DepartmentID))
	})
	b.Run("Family", func(b *testing.B) { benchPage(b, srv, "/families/"+itoa(role.FamilyID)) })
}

// BenchmarkRolePage renders a role page with every section filled.
func BenchmarkRolePage(b *testing.B) {
	srv, role := benchServer(b)
	benchPage(b, srv, "/roles/"+itoa(role.ID))
}
