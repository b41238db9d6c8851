package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

// roleContent compares what a page says about a role, not how it is stored.
var roleContent = cmp.Options{
	cmpopts.IgnoreFields(hiring.Role{}, "ID", "FamilyID", "Family", "CreatedAt", "UpdatedAt", "ArchivedAt"),
	cmpopts.EquateEmpty(),
}

func roleTitles(roles []*hiring.Role) []string {
	out := []string{}
	for _, r := range roles {
		out = append(out, r.Title)
	}
	return out
}

func TestImportFamily(t *testing.T) {
	t.Parallel()
	t.Run("CreatesFamilyRolesAndNestedDepartments", func(t *testing.T) {
		now := time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)
		hiringtest.EnginesWithClock(t, now, func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			in := hiringtest.SampleFamily()
			res := mustImport(t, db, in)
			if !res.Created || res.Unchanged {
				t.Errorf("Created, Unchanged = %v, %v; want true, false", res.Created, res.Unchanged)
			}
			got, err := store.NewFamilyService(db).FindFamilyByID(t.Context(), res.Family.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Slug != "data-platform-engineer" || got.Title != in.Title || got.Summary != in.Summary || got.Source != in.Source {
				t.Errorf("family = %q %q %q %q, want the imported fields", got.Slug, got.Title, got.Summary, got.Source)
			}
			if want := now.Truncate(time.Microsecond); !got.CreatedAt.Equal(want) || !got.UpdatedAt.Equal(want) {
				t.Errorf("timestamps = %v, %v; want the clock's %v", got.CreatedAt, got.UpdatedAt, want)
			}
			if got.Department == nil || got.Department.Slug != "engineering/data" || got.Department.Name != "Data" {
				t.Fatalf("department = %+v, want Data at engineering/data", got.Department)
			}
			parent, err := store.NewDepartmentService(db).FindDepartmentByID(t.Context(), *got.Department.ParentID)
			if err != nil {
				t.Fatal(err)
			}
			if parent.Slug != "engineering" || parent.ParentID != nil {
				t.Errorf("parent = %+v, want the root Engineering", parent)
			}
			if diff := cmp.Diff(in.Roles, got.Roles, roleContent); diff != "" {
				t.Errorf("roles differ from the page (-page +stored):\n%s", diff)
			}
			if got.RoleCount != 3 {
				t.Errorf("RoleCount = %d, want 3", got.RoleCount)
			}
		})
	})

	t.Run("KeepsGradeNinePointFiveExactly", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			res := mustImport(t, db, hiringtest.SampleFamily())
			manager := res.Family.Roles[2]
			got, err := store.NewRoleService(db).FindRoleByID(t.Context(), manager.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Grade == nil || *got.Grade != 9.5 {
				t.Fatalf("grade = %v, want 9.5", got.Grade)
			}
			roles, total, err := store.NewRoleService(db).FindRoles(t.Context(), hiring.RoleFilter{Grade: ptr(9.5)})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(roles) != 1 || roles[0].ID != manager.ID {
				t.Errorf("roles at grade 9.5 = %v (total %d), want only %q", roleTitles(roles), total, manager.Title)
			}
		})
	})

	t.Run("SameContentHashWritesNothing", func(t *testing.T) {
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			first := mustImport(t, db, hiringtest.SampleFamily())
			clock.Advance(time.Hour)
			again := mustImport(t, db, hiringtest.SampleFamily())
			if !again.Unchanged || again.Created {
				t.Errorf("Unchanged, Created = %v, %v; want true, false", again.Unchanged, again.Created)
			}
			if !again.Family.UpdatedAt.Equal(first.Family.UpdatedAt) {
				t.Errorf("UpdatedAt moved from %v to %v on an unchanged import", first.Family.UpdatedAt, again.Family.UpdatedAt)
			}
			if _, total := mustAudit(t, db, hiring.AuditFilter{Entity: "family"}); total != 1 {
				t.Errorf("audit entries = %d, want 1 (the first import only)", total)
			}
		})
	})

	t.Run("ChangedPageUpdatesInPlaceAndArchivesMissingRoles", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			first := mustImport(t, db, hiringtest.SampleFamily())

			page := hiringtest.SampleFamily()
			page.ContentHash = "sample-v2"
			page.Roles[0].Requirements = []string{"Three years of SQL"}
			page.Roles = append([]*hiring.Role{page.Roles[0], page.Roles[2]},
				&hiring.Role{Title: "Staff Data Platform Engineer", Level: "Staff", Grade: ptr(8.0)})
			res := mustImport(t, db, page)

			if res.Created || res.Unchanged {
				t.Errorf("Created, Unchanged = %v, %v; want false, false", res.Created, res.Unchanged)
			}
			if res.Family.ID != first.Family.ID {
				t.Errorf("family id = %d, want %d (updated in place)", res.Family.ID, first.Family.ID)
			}
			if diff := cmp.Diff([]string{"Senior Data Platform Engineer"}, res.Archived); diff != "" {
				t.Errorf("archived (-want +got):\n%s", diff)
			}
			want := []string{"Data Platform Engineer", "Data Platform Engineering Manager", "Staff Data Platform Engineer"}
			if diff := cmp.Diff(want, roleTitles(res.Family.Roles)); diff != "" {
				t.Errorf("live roles (-want +got):\n%s", diff)
			}
			if res.Family.Roles[0].ID != first.Family.Roles[0].ID {
				t.Errorf("matched role got a new id %d, want %d", res.Family.Roles[0].ID, first.Family.Roles[0].ID)
			}
			if diff := cmp.Diff([]string{"Three years of SQL"}, res.Family.Roles[0].Requirements); diff != "" {
				t.Errorf("requirements (-want +got):\n%s", diff)
			}

			roles := store.NewRoleService(db)
			archived, err := roles.FindRoleByID(t.Context(), first.Family.Roles[1].ID)
			if err != nil {
				t.Fatalf("the archived role must still exist: %v", err)
			}
			if archived.ArchivedAt == nil {
				t.Error("the missing role has no ArchivedAt")
			}
			_, live, _ := roles.FindRoles(t.Context(), hiring.RoleFilter{FamilyID: &first.Family.ID})
			_, all, _ := roles.FindRoles(t.Context(), hiring.RoleFilter{FamilyID: &first.Family.ID, IncludeArchived: true})
			if live != 3 || all != 4 {
				t.Errorf("role counts live, all = %d, %d; want 3, 4", live, all)
			}
		})
	})

	t.Run("RestoresARoleThatReturns", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			first := mustImport(t, db, hiringtest.SampleFamily())
			without := hiringtest.SampleFamily()
			without.ContentHash = "sample-v2"
			without.Roles = without.Roles[:2]
			mustImport(t, db, without)

			back := hiringtest.SampleFamily()
			back.ContentHash = "sample-v3"
			res := mustImport(t, db, back)
			if len(res.Archived) != 0 {
				t.Errorf("archived = %v, want none", res.Archived)
			}
			if len(res.Family.Roles) != 3 {
				t.Fatalf("roles = %v, want all three", roleTitles(res.Family.Roles))
			}
			restored := res.Family.Roles[2]
			if restored.ID != first.Family.Roles[2].ID || restored.ArchivedAt != nil {
				t.Errorf("restored role id %d archived %v; want id %d and not archived",
					restored.ID, restored.ArchivedAt, first.Family.Roles[2].ID)
			}
		})
	})

	t.Run("GivesAClashingSlugASuffix", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			mustImport(t, db, hiringtest.SampleFamily())
			other := hiringtest.SampleFamily()
			other.Source = "elsewhere/data-platform-engineer.md"
			res := mustImport(t, db, other)
			if !res.Created || res.Family.Slug != "data-platform-engineer-2" {
				t.Errorf("Created %v, slug %q; want a new family at data-platform-engineer-2", res.Created, res.Family.Slug)
			}
			// Importing the second page again keeps its own slug.
			other.ContentHash = "other-v2"
			if res := mustImport(t, db, other); res.Family.Slug != "data-platform-engineer-2" {
				t.Errorf("slug after re-import = %q, want data-platform-engineer-2", res.Family.Slug)
			}
		})
	})

	t.Run("RejectsInvalidPagesNamingTheField", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			families := store.NewFamilyService(db)
			noTitle := hiringtest.SampleFamily()
			noTitle.Title = "  "
			_, err := families.ImportFamily(t.Context(), noTitle)
			wantField(t, err, "title")

			badGrade := hiringtest.SampleFamily()
			badGrade.Roles[1].Grade = ptr(13.0)
			_, err = families.ImportFamily(t.Context(), badGrade)
			wantField(t, err, "roles[1].grade")

			longTitle := hiringtest.SampleFamily()
			longTitle.Roles[2].Title = strings.Repeat("x", hiring.MaxTitleLen+1)
			_, err = families.ImportFamily(t.Context(), longTitle)
			wantField(t, err, "roles[2].title")

			noSource := hiringtest.SampleFamily()
			noSource.Source = ""
			_, err = families.ImportFamily(t.Context(), noSource)
			wantField(t, err, "source")

			_, err = families.ImportFamily(t.Context(), nil)
			wantCode(t, err, hiring.EINVALID)

			if _, total, _ := families.FindFamilies(t.Context(), hiring.FamilyFilter{}); total != 0 {
				t.Errorf("families stored = %d, want 0", total)
			}
		})
	})

	t.Run("FailedImportLeavesNothingBehind", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			mustRejectRoleTitle(t, db, "Rejected Role")
			families := store.NewFamilyService(db)

			// A new page in new departments fails on its last role.
			page := family("sales/enterprise.md", "Account Executive", []string{"Sales", "Enterprise"},
				"Account Executive", "Senior Account Executive", "Rejected Role")
			if _, err := families.ImportFamily(t.Context(), page); err == nil {
				t.Fatal("import succeeded, want the database to reject the last role")
			} else {
				wantCode(t, err, hiring.EINTERNAL)
			}
			if _, n, _ := families.FindFamilies(t.Context(), hiring.FamilyFilter{}); n != 0 {
				t.Errorf("families = %d, want 0", n)
			}
			if _, n, _ := store.NewDepartmentService(db).FindDepartments(t.Context(), hiring.DepartmentFilter{}); n != 0 {
				t.Errorf("departments = %d, want 0", n)
			}
			if _, n, _ := store.NewRoleService(db).FindRoles(t.Context(), hiring.RoleFilter{IncludeArchived: true}); n != 0 {
				t.Errorf("roles = %d, want 0", n)
			}

			// An update that fails leaves the stored family as it was.
			before := mustImport(t, db, hiringtest.SampleFamily()).Family
			change := hiringtest.SampleFamily()
			change.ContentHash = "sample-v2"
			change.Title = "Renamed"
			change.Roles = append(change.Roles[1:], &hiring.Role{Title: "Rejected Role"})
			if _, err := families.ImportFamily(t.Context(), change); err == nil {
				t.Fatal("update succeeded, want the database to reject the new role")
			}
			after, err := families.FindFamilyByID(t.Context(), before.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("family changed by a failed import (-before +after):\n%s", diff)
			}
			if _, n := mustAudit(t, db, hiring.AuditFilter{}); n != 1 {
				t.Errorf("audit entries = %d, want 1 (the successful import)", n)
			}
		})
	})

	t.Run("CancelledContextWritesNothing", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			_, err := store.NewFamilyService(db).ImportFamily(ctx, hiringtest.SampleFamily())
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if _, n, _ := store.NewFamilyService(db).FindFamilies(t.Context(), hiring.FamilyFilter{}); n != 0 {
				t.Errorf("families = %d, want 0", n)
			}
		})
	})

	t.Run("RecordsWhoImported", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			admin, _ := hiringtest.MustCreateUser(t, db, hiring.RoleAdmin)
			ctx := hiring.NewContextWithActor(t.Context(), admin)
			res, err := store.NewFamilyService(db).ImportFamily(ctx, hiringtest.SampleFamily())
			if err != nil {
				t.Fatal(err)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "family", EntityID: &res.Family.ID})
			if len(entries) != 1 {
				t.Fatalf("audit entries = %d, want 1", len(entries))
			}
			e := entries[0]
			if e.ActorID == nil || *e.ActorID != admin.ID || e.ActorLabel != admin.Email || e.Action != "import" {
				t.Errorf("entry = actor %v %q action %q; want %d %q import", e.ActorID, e.ActorLabel, e.Action, admin.ID, admin.Email)
			}
			if !strings.Contains(e.Detail, "3 roles added") {
				t.Errorf("detail = %q, want it to count the added roles", e.Detail)
			}
		})
	})
}

// mustRejectRoleTitle installs a trigger that makes the database refuse a
// role with this title, the way a constraint would refuse bad data. Test
// code may tell the engines apart; the store may not.
func mustRejectRoleTitle(t *testing.T, db *store.DB, title string) {
	t.Helper()
	var stmts []string
	switch db.Engine() {
	case "sqlite":
		stmts = []string{`CREATE TRIGGER reject_role BEFORE INSERT ON roles
			WHEN NEW.title = '` + title + `' BEGIN SELECT RAISE(ABORT, 'role rejected'); END`}
	case "postgres":
		stmts = []string{
			`CREATE FUNCTION reject_role() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.title = '` + title + `' THEN RAISE EXCEPTION 'role rejected'; END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER reject_role BEFORE INSERT ON roles FOR EACH ROW EXECUTE FUNCTION reject_role()`,
		}
	}
	for _, s := range stmts {
		if _, err := db.SQL().ExecContext(t.Context(), s); err != nil {
			t.Fatalf("install trigger: %v", err)
		}
	}
}

func TestFindFamilies(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		mustImport(t, db, family("a.md", "Backend Engineer", []string{"Engineering", "Development"}, "Backend Engineer"))
		mustImport(t, db, family("b.md", "Site Reliability Engineer", []string{"Engineering", "Infrastructure", "Reliability"}, "SRE"))
		mustImport(t, db, family("c.md", "Engineering Director", []string{"Engineering"}, "Director"))
		mustImport(t, db, family("d.md", "Release Manager", []string{"Engineering Operations"}, "Release Manager"))
		mustImport(t, db, family("e.md", "Account Executive", []string{"Sales"}, "AE"))
		mustImport(t, db, family("f.md", "Growth 100% Lead", nil, "Lead"))
		families := store.NewFamilyService(db)
		deps := store.NewDepartmentService(db)

		depID := func(slug string) *int64 {
			t.Helper()
			all, _, err := deps.FindDepartments(t.Context(), hiring.DepartmentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range all {
				if d.Slug == slug {
					return &d.ID
				}
			}
			t.Fatalf("no department %q", slug)
			return nil
		}
		titles := func(f hiring.FamilyFilter) ([]string, int) {
			t.Helper()
			got, total, err := families.FindFamilies(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, fam := range got {
				out = append(out, fam.Title)
			}
			return out, total
		}

		for _, tc := range []struct {
			name      string
			filter    hiring.FamilyFilter
			want      []string
			wantTotal int
		}{
			{"AllOrderedByTitle", hiring.FamilyFilter{},
				[]string{"Account Executive", "Backend Engineer", "Engineering Director", "Growth 100% Lead", "Release Manager", "Site Reliability Engineer"}, 6},
			{"QueryIgnoresCase", hiring.FamilyFilter{Query: "ENGINEER"},
				[]string{"Backend Engineer", "Engineering Director", "Site Reliability Engineer"}, 3},
			{"QueryTreatsPercentAsText", hiring.FamilyFilter{Query: "0%"}, []string{"Growth 100% Lead"}, 1},
			{"QueryTreatsUnderscoreAsText", hiring.FamilyFilter{Query: "_"}, []string{}, 0},
			{"DepartmentIncludesSubDepartments", hiring.FamilyFilter{DepartmentID: depID("engineering")},
				[]string{"Backend Engineer", "Engineering Director", "Site Reliability Engineer"}, 3},
			{"SubDepartmentOnly", hiring.FamilyFilter{DepartmentID: depID("engineering/infrastructure")},
				[]string{"Site Reliability Engineer"}, 1},
			{"SlugFilter", hiring.FamilyFilter{Slug: ptr("release-manager")}, []string{"Release Manager"}, 1},
			{"PageWithTotal", hiring.FamilyFilter{Offset: 1, Limit: 2}, []string{"Backend Engineer", "Engineering Director"}, 6},
			{"PagePastTheEnd", hiring.FamilyFilter{Offset: 10}, []string{}, 6},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := titles(tc.filter)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("titles (-want +got):\n%s", diff)
				}
				if total != tc.wantTotal {
					t.Errorf("total = %d, want %d", total, tc.wantTotal)
				}
			})
		}

		t.Run("ListingCarriesDepartmentAndRoleCount", func(t *testing.T) {
			got, _, err := families.FindFamilies(t.Context(), hiring.FamilyFilter{Query: "Site Reliability"})
			if err != nil || len(got) != 1 {
				t.Fatalf("got %v, %v", got, err)
			}
			if got[0].Department == nil || got[0].Department.Slug != "engineering/infrastructure/reliability" || got[0].RoleCount != 1 {
				t.Errorf("department %+v, role count %d", got[0].Department, got[0].RoleCount)
			}
		})

		t.Run("NegativePagingNamesTheField", func(t *testing.T) {
			_, _, err := families.FindFamilies(t.Context(), hiring.FamilyFilter{Offset: -1})
			wantField(t, err, "offset")
			_, _, err = families.FindFamilies(t.Context(), hiring.FamilyFilter{Limit: -5})
			wantField(t, err, "limit")
		})
	})
}

func TestFindFamilyByID(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		t.Run("UnknownIsNotFound", func(t *testing.T) {
			f, err := store.NewFamilyService(db).FindFamilyByID(t.Context(), 4242)
			wantCode(t, err, hiring.ENOTFOUND)
			if f != nil {
				t.Errorf("family = %+v, want nil", f)
			}
		})
		t.Run("FamilyWithoutDepartment", func(t *testing.T) {
			res := mustImport(t, db, family("solo.md", "Solo", nil, "One"))
			got, err := store.NewFamilyService(db).FindFamilyByID(t.Context(), res.Family.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.DepartmentID != nil || got.Department != nil {
				t.Errorf("department = %v %+v, want none", got.DepartmentID, got.Department)
			}
		})
	})
}

func TestUpdateFamily(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		res := mustImport(t, db, hiringtest.SampleFamily())
		families := store.NewFamilyService(db)

		t.Run("ChangesTitleAndRecordsIt", func(t *testing.T) {
			recruiter, _ := hiringtest.MustCreateUser(t, db, hiring.RoleRecruiter)
			ctx := hiring.NewContextWithActor(t.Context(), recruiter)
			got, err := families.UpdateFamily(ctx, res.Family.ID, hiring.FamilyUpdate{Title: ptr("Data Infrastructure Engineer")})
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Data Infrastructure Engineer" || got.Slug != res.Family.Slug || len(got.Roles) != 3 {
				t.Errorf("got title %q slug %q roles %d", got.Title, got.Slug, len(got.Roles))
			}
			found, _, _ := families.FindFamilies(t.Context(), hiring.FamilyFilter{Query: "infrastructure"})
			if len(found) != 1 {
				t.Errorf("search for the new title found %d families, want 1", len(found))
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "family", EntityID: &res.Family.ID})
			if entries[0].Action != "update" || !strings.Contains(entries[0].Detail, "title") ||
				strings.Contains(entries[0].Detail, "summary") || entries[0].ActorLabel != recruiter.Email {
				t.Errorf("latest entry = %+v", entries[0])
			}
		})
		t.Run("InvalidTitleNamesTheField", func(t *testing.T) {
			_, err := families.UpdateFamily(t.Context(), res.Family.ID, hiring.FamilyUpdate{Title: ptr("")})
			wantField(t, err, "title")
		})
		t.Run("UnknownIsNotFound", func(t *testing.T) {
			_, err := families.UpdateFamily(t.Context(), 999, hiring.FamilyUpdate{Title: ptr("X")})
			wantCode(t, err, hiring.ENOTFOUND)
		})
	})
}
