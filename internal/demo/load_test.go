package demo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestLoad(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		families := store.NewFamilyService(db)
		users := store.NewUserService(db)

		admin := MustLoad(t, families, users)
		first := mustSnapshot(t, db)

		t.Run("ReturnsTheAdmin", func(t *testing.T) {
			if admin.Role != hiring.RoleAdmin || admin.Email != Accounts()[0].Email {
				t.Errorf("Load returned %s (%s), want the admin account", admin.Email, admin.Role)
			}
		})

		t.Run("ImportsEveryPage", func(t *testing.T) {
			pages, err := Pages()
			if err != nil {
				t.Fatal(err)
			}
			if first.families != len(pages) {
				t.Errorf("%d families stored, want one per page (%d)", first.families, len(pages))
			}
			if first.roles < 20 {
				t.Errorf("%d roles stored, want at least 20", first.roles)
			}
		})

		t.Run("EveryAccountCanSignIn", func(t *testing.T) {
			for _, a := range Accounts() {
				u, err := users.Authenticate(ctx, a.Email, a.Password)
				if err != nil {
					t.Errorf("%s cannot sign in: %v", a.Email, err)
					continue
				}
				if u.Role != a.Role || u.Name != a.Name {
					t.Errorf("%s signed in as %q (%s), want %q (%s)", a.Email, u.Name, u.Role, a.Name, a.Role)
				}
			}
		})

		t.Run("SecondLoadChangesNothing", func(t *testing.T) {
			again := MustLoad(t, families, users)
			if *again != *admin {
				t.Errorf("second Load returned %+v, want %+v", again, admin)
			}
			if got := mustSnapshot(t, db); got != first {
				t.Errorf("after a second Load: %+v, want %+v", got, first)
			}
		})
	})
}

func TestLoadKeepsAccountsThatAlreadyExist(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := store.NewUserService(db)
		mine := hiring.NewUser{Email: Accounts()[1].Email, Name: "Someone Else", Role: hiring.RoleRecruiter, Password: "a-password-of-my-own"}
		if _, err := users.CreateUser(ctx, mine); err != nil {
			t.Fatal(err)
		}

		MustLoad(t, store.NewFamilyService(db), users)

		n, err := users.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(Accounts()); n != want {
			t.Errorf("%d users after Load, want %d", n, want)
		}
		u, err := users.Authenticate(ctx, mine.Email, mine.Password)
		if err != nil {
			t.Fatalf("the existing account lost its password: %v", err)
		}
		if u.Name != mine.Name {
			t.Errorf("the existing account is now named %q, want %q", u.Name, mine.Name)
		}
	})
}

func TestLoadReportsABadPage(t *testing.T) {
	t.Run("ParseError", func(t *testing.T) {
		broken := errors.New("unreadable")
		_, err := Load(context.Background(), func(string, []byte) (*hiring.Family, error) { return nil, broken }, nil, nil)
		if !errors.Is(err, broken) {
			t.Fatalf("Load error = %v, want it to wrap the parse error", err)
		}
		if !strings.Contains(err.Error(), "demo/families/") {
			t.Errorf("Load error %q does not name the page", err)
		}
	})
	t.Run("NotAFamily", func(t *testing.T) {
		_, err := Load(context.Background(), func(string, []byte) (*hiring.Family, error) { return nil, nil }, nil, nil)
		if err == nil || !strings.Contains(err.Error(), "not a job family") {
			t.Fatalf("Load error = %v, want one saying the page is not a job family", err)
		}
	})
}

// snapshot counts what Load writes, so that two loads can be compared.
type snapshot struct {
	families, roles, archivedRoles, departments, users, auditEntries int
}

func mustSnapshot(tb testing.TB, db *store.DB) snapshot {
	tb.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	if _, s.families, err = store.NewFamilyService(db).FindFamilies(ctx, hiring.FamilyFilter{}); err != nil {
		tb.Fatal(err)
	}
	if _, s.roles, err = store.NewRoleService(db).FindRoles(ctx, hiring.RoleFilter{}); err != nil {
		tb.Fatal(err)
	}
	all := 0
	if _, all, err = store.NewRoleService(db).FindRoles(ctx, hiring.RoleFilter{IncludeArchived: true}); err != nil {
		tb.Fatal(err)
	}
	s.archivedRoles = all - s.roles
	if _, s.departments, err = store.NewDepartmentService(db).FindDepartments(ctx, hiring.DepartmentFilter{}); err != nil {
		tb.Fatal(err)
	}
	if s.users, err = store.NewUserService(db).CountUsers(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, s.auditEntries, err = store.NewAuditService(db).FindAuditEntries(ctx, hiring.AuditFilter{}); err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustLoad loads the demo through the real importer.
func MustLoad(tb testing.TB, families hiring.FamilyService, users hiring.UserService) *Account {
	tb.Helper()
	admin, err := Load(context.Background(), parsePage, families, users)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return admin
}
