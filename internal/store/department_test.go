package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestDepartments(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		mustImport(t, db, family("a.md", "Backend Engineer", []string{"Engineering", "Development"}, "A"))
		mustImport(t, db, family("b.md", "Frontend Engineer", []string{"Engineering", "Development"}, "B"))
		mustImport(t, db, family("c.md", "SRE", []string{"Engineering", "Infrastructure"}, "C"))
		mustImport(t, db, family("d.md", "Account Executive", []string{"Sales"}, "D"))
		deps := store.NewDepartmentService(db)

		slugs := func(t *testing.T, f hiring.DepartmentFilter) ([]string, []*hiring.Department) {
			t.Helper()
			got, total, err := deps.FindDepartments(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			if f.Limit == 0 && total != len(got) {
				t.Errorf("total = %d, rows = %d", total, len(got))
			}
			out := []string{}
			for _, d := range got {
				out = append(out, d.Slug)
			}
			return out, got
		}

		t.Run("AllOrderedBySlugPath", func(t *testing.T) {
			got, _ := slugs(t, hiring.DepartmentFilter{})
			want := []string{"engineering", "engineering/development", "engineering/infrastructure", "sales"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("slugs (-want +got):\n%s", diff)
			}
		})
		t.Run("RootsOnly", func(t *testing.T) {
			got, _ := slugs(t, hiring.DepartmentFilter{RootsOnly: true})
			if diff := cmp.Diff([]string{"engineering", "sales"}, got); diff != "" {
				t.Errorf("slugs (-want +got):\n%s", diff)
			}
		})
		t.Run("ChildrenOfAParentWithFamilyCounts", func(t *testing.T) {
			_, roots := slugs(t, hiring.DepartmentFilter{RootsOnly: true})
			got, children := slugs(t, hiring.DepartmentFilter{ParentID: &roots[0].ID})
			if diff := cmp.Diff([]string{"engineering/development", "engineering/infrastructure"}, got); diff != "" {
				t.Errorf("slugs (-want +got):\n%s", diff)
			}
			if children[0].FamilyCount != 2 || children[0].Name != "Development" {
				t.Errorf("first child = %+v, want Development with 2 families", children[0])
			}
		})
		t.Run("ByID", func(t *testing.T) {
			_, roots := slugs(t, hiring.DepartmentFilter{RootsOnly: true})
			got, err := deps.FindDepartmentByID(t.Context(), roots[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "Sales" || got.FamilyCount != 1 || got.CreatedAt.IsZero() {
				t.Errorf("department = %+v", got)
			}
		})
		t.Run("UnknownIsNotFound", func(t *testing.T) {
			_, err := deps.FindDepartmentByID(t.Context(), 5555)
			wantCode(t, err, hiring.ENOTFOUND)
		})
		t.Run("NegativeLimitNamesTheField", func(t *testing.T) {
			_, _, err := deps.FindDepartments(t.Context(), hiring.DepartmentFilter{Limit: -1})
			wantField(t, err, "limit")
		})
	})
}
