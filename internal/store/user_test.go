package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func newUser(email string, role hiring.UserRole) hiring.NewUser {
	return hiring.NewUser{Email: email, Name: "Ada Example", Role: role, Password: "correct horse battery"}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		users := newUserService(db)

		t.Run("StoresLowerCaseEmailAndRecordsIt", func(t *testing.T) {
			u, err := users.CreateUser(t.Context(), newUser("  Ada@Example.COM ", hiring.RoleRecruiter))
			if err != nil {
				t.Fatal(err)
			}
			if u.Email != "ada@example.com" || u.Role != hiring.RoleRecruiter || u.ID == 0 {
				t.Errorf("user = %+v", u)
			}
			got, err := users.FindUserByID(t.Context(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("stored user (-created +found):\n%s", diff)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "user", EntityID: &u.ID})
			if len(entries) != 1 || entries[0].ActorLabel != "command line" || entries[0].ActorID != nil ||
				!strings.Contains(entries[0].Detail, "ada@example.com") {
				t.Errorf("audit entries = %+v, want one by the command line naming the email", entries)
			}
		})
		t.Run("RejectsDuplicateEmailInAnyCase", func(t *testing.T) {
			_, err := users.CreateUser(t.Context(), newUser("ADA@example.com", hiring.RoleAdmin))
			wantCode(t, err, hiring.ECONFLICT)
			if _, ok := hiring.ErrorFields(err)["email"]; !ok {
				t.Errorf("fields = %v, want email", hiring.ErrorFields(err))
			}
		})
		t.Run("InvalidInputNamesTheFields", func(t *testing.T) {
			_, err := users.CreateUser(t.Context(), hiring.NewUser{Email: "not an email", Role: "boss", Password: "short"})
			for _, f := range []string{"email", "role", "password"} {
				wantField(t, err, f)
			}
		})
		t.Run("FindsByEmailInAnyCase", func(t *testing.T) {
			u, err := users.FindUserByEmail(t.Context(), "Ada@EXAMPLE.com")
			if err != nil || u.Email != "ada@example.com" {
				t.Errorf("got %+v, %v", u, err)
			}
			_, err = users.FindUserByEmail(t.Context(), "nobody@example.com")
			wantCode(t, err, hiring.ENOTFOUND)
			_, err = users.FindUserByID(t.Context(), 777)
			wantCode(t, err, hiring.ENOTFOUND)
		})
		t.Run("ListsAndCounts", func(t *testing.T) {
			if _, err := users.CreateUser(t.Context(), newUser("bob@example.com", hiring.RoleInterviewer)); err != nil {
				t.Fatal(err)
			}
			all, err := users.FindUsers(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var emails []string
			for _, u := range all {
				emails = append(emails, u.Email)
			}
			if diff := cmp.Diff([]string{"ada@example.com", "bob@example.com"}, emails); diff != "" {
				t.Errorf("emails (-want +got):\n%s", diff)
			}
			if n, err := users.CountUsers(t.Context()); err != nil || n != 2 {
				t.Errorf("CountUsers = %d, %v; want 2", n, err)
			}
		})
	})
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		users := newUserService(db)
		created, err := users.CreateUser(t.Context(), newUser("ada@example.com", hiring.RoleAdmin))
		if err != nil {
			t.Fatal(err)
		}
		t.Run("RightPasswordAnyEmailCase", func(t *testing.T) {
			u, err := users.Authenticate(t.Context(), "ADA@example.com", "correct horse battery")
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != created.ID {
				t.Errorf("user id = %d, want %d", u.ID, created.ID)
			}
		})
		for name, tc := range map[string]struct{ email, password string }{
			"WrongPassword":    {"ada@example.com", "correct horse battery!"},
			"UnknownEmail":     {"eve@example.com", "correct horse battery"},
			"EmptyPassword":    {"ada@example.com", ""},
			"OversizePassword": {"ada@example.com", strings.Repeat("x", 5000)},
		} {
			t.Run(name+"GivesTheSameAnswer", func(t *testing.T) {
				u, err := users.Authenticate(t.Context(), tc.email, tc.password)
				wantCode(t, err, hiring.EUNAUTHORIZED)
				if msg := hiring.ErrorMessage(err); msg != "Email or password is incorrect." {
					t.Errorf("message = %q", msg)
				}
				if u != nil {
					t.Errorf("user = %+v, want nil", u)
				}
			})
		}
	})
}

func TestAuthenticateWithDefaultCost(t *testing.T) {
	t.Parallel()
	// The helper that other packages use hashes at full cost; its users
	// must be able to sign in.
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		u, password := hiringtest.MustCreateUser(t, db, hiring.RoleInterviewer)
		got, err := store.NewUserService(db).Authenticate(t.Context(), u.Email, password)
		if err != nil || got.ID != u.ID {
			t.Fatalf("Authenticate = %+v, %v; want user %d", got, err, u.ID)
		}
	})
}
