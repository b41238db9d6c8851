package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestFindRoleByID(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		res := mustImport(t, db, hiringtest.SampleFamily())
		roles := store.NewRoleService(db)

		t.Run("LoadsFamilyAndDepartment", func(t *testing.T) {
			got, err := roles.FindRoleByID(t.Context(), res.Family.Roles[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Senior Data Platform Engineer" || got.Family == nil || got.Family.ID != res.Family.ID {
				t.Fatalf("role %q family %+v", got.Title, got.Family)
			}
			if got.Family.Department == nil || got.Family.Department.Slug != "engineering/data" {
				t.Errorf("family department = %+v, want engineering/data", got.Family.Department)
			}
		})
		t.Run("UnknownIsNotFound", func(t *testing.T) {
			r, err := roles.FindRoleByID(t.Context(), 98765)
			wantCode(t, err, hiring.ENOTFOUND)
			if r != nil {
				t.Errorf("role = %+v, want nil", r)
			}
		})
	})
}

func TestFindRoles(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		sample := mustImport(t, db, hiringtest.SampleFamily()).Family
		other := family("sales.md", "Account Executive", []string{"Sales"}, "Account Executive", "Senior Account Executive")
		other.Roles[1].Grade = ptr(7.0)
		mustImport(t, db, other)
		roles := store.NewRoleService(db)

		find := func(t *testing.T, f hiring.RoleFilter) ([]string, int) {
			t.Helper()
			got, total, err := roles.FindRoles(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			return roleTitles(got), total
		}
		for _, tc := range []struct {
			name      string
			filter    hiring.RoleFilter
			want      []string
			wantTotal int
		}{
			{"OrderedByFamilyThenPosition", hiring.RoleFilter{}, []string{"Account Executive", "Senior Account Executive",
				"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager"}, 5},
			{"QueryIgnoresCase", hiring.RoleFilter{Query: "senior"}, []string{"Senior Account Executive", "Senior Data Platform Engineer"}, 2},
			{"ByFamily", hiring.RoleFilter{FamilyID: &sample.ID}, []string{"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager"}, 3},
			{"ByDepartmentIncludingSubDepartments", hiring.RoleFilter{DepartmentID: sample.Department.ParentID},
				[]string{"Data Platform Engineer", "Senior Data Platform Engineer", "Data Platform Engineering Manager"}, 3},
			{"ByGrade", hiring.RoleFilter{Grade: ptr(7.0)}, []string{"Senior Account Executive", "Senior Data Platform Engineer"}, 2},
			{"PageWithTotal", hiring.RoleFilter{Limit: 2, Offset: 2}, []string{"Data Platform Engineer", "Senior Data Platform Engineer"}, 5},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := find(t, tc.filter)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("titles (-want +got):\n%s", diff)
				}
				if total != tc.wantTotal {
					t.Errorf("total = %d, want %d", total, tc.wantTotal)
				}
			})
		}
		t.Run("ListingCarriesItsFamily", func(t *testing.T) {
			got, _, err := roles.FindRoles(t.Context(), hiring.RoleFilter{FamilyID: &sample.ID, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if f := got[0].Family; f == nil || f.Title != sample.Title || f.Slug != sample.Slug {
				t.Errorf("family = %+v, want %q", f, sample.Title)
			}
		})
		t.Run("NegativePagingNamesTheField", func(t *testing.T) {
			_, _, err := roles.FindRoles(t.Context(), hiring.RoleFilter{Offset: -1})
			wantField(t, err, "offset")
			_, _, err = roles.FindRoles(t.Context(), hiring.RoleFilter{Limit: -1})
			wantField(t, err, "limit")
		})
	})
}

func TestUpdateRole(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		res := mustImport(t, db, hiringtest.SampleFamily())
		role := res.Family.Roles[0]
		roles := store.NewRoleService(db)
		editor, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
		ctx := hiring.NewContextWithActor(t.Context(), editor)

		t.Run("ChangesFieldsAndRecordsTheirNames", func(t *testing.T) {
			reqs := []string{"Two years of SQL", "Writes clearly"}
			got, err := roles.UpdateRole(ctx, role.ID, hiring.RoleUpdate{
				Requirements: &reqs,
				Grade:        ptr(9.5),
				Title:        ptr(role.Title), // unchanged, so not recorded
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(reqs, got.Requirements); diff != "" {
				t.Errorf("requirements (-want +got):\n%s", diff)
			}
			if got.Grade == nil || *got.Grade != 9.5 {
				t.Errorf("grade = %v, want 9.5", got.Grade)
			}
			if diff := cmp.Diff(role.Responsibilities, got.Responsibilities); diff != "" {
				t.Errorf("untouched responsibilities changed (-before +after):\n%s", diff)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "role", EntityID: &role.ID})
			if len(entries) != 1 {
				t.Fatalf("audit entries = %d, want 1", len(entries))
			}
			e := entries[0]
			if e.Action != "update" || e.ActorLabel != editor.Email || e.ActorID == nil || *e.ActorID != editor.ID {
				t.Errorf("entry = %+v", e)
			}
			if !strings.Contains(e.Detail, "grade") || !strings.Contains(e.Detail, "requirements") || strings.Contains(e.Detail, "title") {
				t.Errorf("detail = %q, want grade and requirements only", e.Detail)
			}
		})
		t.Run("ClearsGrade", func(t *testing.T) {
			got, err := roles.UpdateRole(ctx, role.ID, hiring.RoleUpdate{ClearGrade: true})
			if err != nil {
				t.Fatal(err)
			}
			if got.Grade != nil {
				t.Errorf("grade = %v, want none", *got.Grade)
			}
		})
		t.Run("NoChangeWritesNoEntry", func(t *testing.T) {
			_, before := mustAudit(t, db, hiring.AuditFilter{Entity: "role"})
			if _, err := roles.UpdateRole(ctx, role.ID, hiring.RoleUpdate{Level: ptr(role.Level)}); err != nil {
				t.Fatal(err)
			}
			if _, after := mustAudit(t, db, hiring.AuditFilter{Entity: "role"}); after != before {
				t.Errorf("audit entries went from %d to %d on an update that changed nothing", before, after)
			}
		})
		t.Run("InvalidGradeNamesTheField", func(t *testing.T) {
			_, err := roles.UpdateRole(ctx, role.ID, hiring.RoleUpdate{Grade: ptr(13.0)})
			wantField(t, err, "grade")
		})
		t.Run("EmptyRequirementNamesTheField", func(t *testing.T) {
			_, err := roles.UpdateRole(ctx, role.ID, hiring.RoleUpdate{Requirements: &[]string{"ok", " "}})
			wantField(t, err, "requirements")
		})
		t.Run("UnknownIsNotFound", func(t *testing.T) {
			_, err := roles.UpdateRole(ctx, 424242, hiring.RoleUpdate{Title: ptr("X")})
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}

func TestConcurrentRoleEditsKeepEveryField(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		role := mustImport(t, db, hiringtest.SampleFamily()).Family.Roles[0]
		roles := store.NewRoleService(db)
		updates := []hiring.RoleUpdate{
			{Level: ptr("Staff")},
			{Grade: ptr(8.0)},
			{Requirements: &[]string{"Edited requirement"}},
			{CareerLadder: ptr("Edited ladder")},
			{Summary: ptr("Edited summary")},
			{NiceToHaves: &[]string{"Edited nice-to-have"}},
		}
		var wg sync.WaitGroup
		for _, u := range updates {
			wg.Go(func() {
				if _, err := roles.UpdateRole(context.Background(), role.ID, u); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := roles.FindRoleByID(t.Context(), role.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Level != "Staff" || got.Grade == nil || *got.Grade != 8 || got.CareerLadder != "Edited ladder" ||
			got.Summary != "Edited summary" || len(got.Requirements) != 1 || len(got.NiceToHaves) != 1 {
			t.Errorf("role after concurrent edits = %+v, want every edit kept", got)
		}
	})
}
