package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestListRolesFilters(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		dataDept := itoa(*e.family.DepartmentID)
		cases := []struct {
			name  string
			query string
			want  []string
		}{
			{"All", "", []string{"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager", "Account Executive"}},
			{"ByFamily", "?family_id=" + itoa(e.family.ID), []string{"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager"}},
			{"ByDepartment", "?department_id=" + dataDept, []string{"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager"}},
			{"ByGrade", "?grade=9.5", []string{"Data Platform Engineering Manager"}},
			{"ByTitle", "?q=senior", []string{"Senior Data Platform Engineer"}},
			{"Combined", "?q=data&grade=7", []string{"Senior Data Platform Engineer"}},
			{"NothingMatches", "?q=astronaut", []string{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := decode[list[*hiring.Role]](t, e.get("/api/v1/roles"+tc.query))
				// Families come in their own order; compare as sets.
				if diff := cmp.Diff(tc.want, titles(got.Data), cmpSorted); diff != "" {
					t.Errorf("titles (-want +got):\n%s", diff)
				}
				if got.Meta.Total != len(tc.want) {
					t.Errorf("meta.total = %d, want %d", got.Meta.Total, len(tc.want))
				}
			})
		}
	})
}

func TestListRolesIncludesArchivedOnRequest(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		page := hiringtest.SampleFamily()
		page.ContentHash = "sample-v2"
		page.Roles = page.Roles[:2] // The manager role left the page.
		if _, err := store.NewFamilyService(db).ImportFamily(context.Background(), page); err != nil {
			t.Fatal(err)
		}
		q := "/api/v1/roles?family_id=" + itoa(e.family.ID)
		if got := decode[list[*hiring.Role]](t, e.get(q)); got.Meta.Total != 2 {
			t.Errorf("without include_archived: %v", titles(got.Data))
		}
		got := decode[list[*hiring.Role]](t, e.get(q+"&include_archived=true"))
		if got.Meta.Total != 3 {
			t.Errorf("with include_archived: %v, want 3 roles", titles(got.Data))
		}
	})
}

func TestListPaging(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		all := decode[list[*hiring.Role]](t, e.get("/api/v1/roles"))
		if all.Meta.Limit != 50 || all.Meta.Offset != 0 {
			t.Errorf("default meta = %+v, want offset 0 limit 50", all.Meta)
		}
		var paged []string
		for off := 0; off < all.Meta.Total; off += 2 {
			p := decode[list[*hiring.Role]](t, e.get("/api/v1/roles?limit=2&offset="+itoa(int64(off))))
			if p.Meta.Total != all.Meta.Total || p.Meta.Limit != 2 || p.Meta.Offset != off || len(p.Data) > 2 {
				t.Errorf("page at %d: meta %+v with %d items", off, p.Meta, len(p.Data))
			}
			paged = append(paged, titles(p.Data)...)
		}
		if diff := cmp.Diff(titles(all.Data), paged); diff != "" {
			t.Errorf("pages put together differ from the whole listing (-want +got):\n%s", diff)
		}

		fams := decode[list[*hiring.Family]](t, e.get("/api/v1/families?limit=1"))
		if fams.Meta.Total != 2 || len(fams.Data) != 1 {
			t.Errorf("families limit=1: total %d, %d items", fams.Meta.Total, len(fams.Data))
		}
	})
}

func TestFamiliesAndDepartments(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		e := mustAPIEnv(t, db)
		got := decode[list[*hiring.Family]](t, e.get("/api/v1/families?q=ACCOUNT"))
		if len(got.Data) != 1 || got.Data[0].Title != "Account Executive" {
			t.Errorf("families?q=ACCOUNT = %v", got.Data)
		}
		byDept := decode[list[*hiring.Family]](t, e.get("/api/v1/families?department_id="+itoa(*e.family.DepartmentID)))
		if len(byDept.Data) != 1 || byDept.Data[0].ID != e.family.ID {
			t.Errorf("families by department = %v", byDept.Data)
		}

		one := decode[struct{ Data *hiring.Family }](t, e.get("/api/v1/families/"+itoa(e.family.ID)))
		if one.Data.Title != e.family.Title || len(one.Data.Roles) != 3 {
			t.Errorf("family = %q with %d roles", one.Data.Title, len(one.Data.Roles))
		}

		deps := decode[list[*hiring.Department]](t, e.get("/api/v1/departments"))
		var names []string
		for _, d := range deps.Data {
			names = append(names, d.Name)
		}
		if diff := cmp.Diff([]string{"Engineering", "Data", "Sales"}, names, cmpSorted); diff != "" {
			t.Errorf("departments (-want +got):\n%s", diff)
		}
		dept := decode[struct{ Data *hiring.Department }](t, e.get("/api/v1/departments/"+itoa(*e.family.DepartmentID)))
		if dept.Data.Name != "Data" || dept.Data.ParentID == nil {
			t.Errorf("department = %+v, want Data under Engineering", dept.Data)
		}
		kids := decode[list[*hiring.Department]](t, e.get("/api/v1/departments?parent_id="+itoa(*dept.Data.ParentID)))
		if len(kids.Data) != 1 || kids.Data[0].Name != "Data" {
			t.Errorf("children of Engineering = %v", kids.Data)
		}
	})
}

func TestGetRoleHasEveryField(t *testing.T) {
	e := mustAPIEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	r := e.get("/api/v1/roles/" + itoa(e.roles[1].ID))
	raw := decode[struct{ Data map[string]any }](t, r)
	for _, k := range []string{"id", "title", "level", "grade", "summary", "responsibilities", "requirements",
		"nice_to_haves", "performance_indicators", "specialties", "hiring_process", "career_ladder", "family"} {
		if _, ok := raw.Data[k]; !ok {
			t.Errorf("role JSON lacks %q", k)
		}
	}
	if _, ok := raw.Data["specialties"].([]any); !ok {
		t.Errorf("specialties = %v, want a list even when empty", raw.Data["specialties"])
	}
}

func TestBadQueriesNameTheField(t *testing.T) {
	e := mustAPIEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	cases := []struct{ path, field string }{
		{"/api/v1/roles?limit=-1", "limit"},
		{"/api/v1/roles?limit=0", "limit"},
		{"/api/v1/roles?limit=100000", "limit"},
		{"/api/v1/roles?offset=-5", "offset"},
		{"/api/v1/roles?offset=x", "offset"},
		{"/api/v1/roles?grade=abc", "grade"},
		{"/api/v1/roles?grade=13", "grade"},
		{"/api/v1/roles?family_id=x", "family_id"},
		{"/api/v1/roles?department_id=0", "department_id"},
		{"/api/v1/roles?include_archived=maybe", "include_archived"},
		{"/api/v1/roles?q=" + strings.Repeat("q", 300), "q"},
		{"/api/v1/families?department_id=-2", "department_id"},
		{"/api/v1/departments?parent_id=abc", "parent_id"},
		{"/api/v1/roles/abc", "id"},
		{"/api/v1/roles/0", "id"},
		{"/api/v1/families/1.5", "id"},
		{"/api/v1/departments/99999999999999999999", "id"},
	}
	for _, tc := range cases {
		t.Run(tc.path[:min(len(tc.path), 60)], func(t *testing.T) {
			e.get(tc.path).wantError(t, http.StatusBadRequest, "invalid", tc.field)
		})
	}
}

func TestNotFoundIsJSON(t *testing.T) {
	e := mustAPIEnv(t, hiringtest.MustOpenStore(t, "sqlite"))
	for _, path := range []string{"/api/v1/roles/999999", "/api/v1/families/999999", "/api/v1/departments/999999", "/api/v1/nothing-here"} {
		e.get(path).wantError(t, http.StatusNotFound, "not_found", "")
	}
	r := e.do(http.MethodDelete, "/api/v1/roles/1", e.editor, "", nil)
	r.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
	if !strings.Contains(r.header.Get("Allow"), "PATCH") {
		t.Errorf("Allow = %q, want PATCH listed", r.header.Get("Allow"))
	}
	e.patch("/api/v1/roles/999999", e.editor, `{"title": "Ghost"}`).wantError(t, http.StatusNotFound, "not_found", "")
}

var cmpSorted = cmp.Transformer("sorted", func(in []string) []string {
	out := append([]string{}, in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})
