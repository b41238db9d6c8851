package store_test

import (
	"strings"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
		users := newUserService(db)
		ada, err := users.CreateUser(t.Context(), newUser("ada@example.com", hiring.RoleAdmin))
		if err != nil {
			t.Fatal(err)
		}
		bob, err := users.CreateUser(t.Context(), newUser("bob@example.com", hiring.RoleRecruiter))
		if err != nil {
			t.Fatal(err)
		}
		secret, tok, err := users.CreateToken(hiring.NewContextWithActor(t.Context(), ada), ada.ID, "deploy script")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("SecretHasPrefixAndOnlyItsHashIsStored", func(t *testing.T) {
			if !strings.HasPrefix(secret, "hl_") || len(secret) != 46 {
				t.Errorf("secret = %q, want hl_ and 43 characters of base64url", secret)
			}
			var stored string
			if err := db.SQL().QueryRowContext(t.Context(), "SELECT hash FROM api_tokens").Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(stored, secret[3:]) || len(stored) != 64 {
				t.Errorf("stored %q, want a sha256 hex digest, not the secret", stored)
			}
		})
		t.Run("FindsOwnerAndRecordsUse", func(t *testing.T) {
			clock.Advance(time.Hour)
			u, err := users.FindUserByToken(t.Context(), secret)
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != ada.ID {
				t.Errorf("owner = %d, want %d", u.ID, ada.ID)
			}
			toks, err := users.FindTokens(t.Context(), ada.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(toks) != 1 || toks[0].Name != "deploy script" || toks[0].LastUsedAt == nil ||
				!toks[0].LastUsedAt.Equal(start.Add(time.Hour)) {
				t.Errorf("tokens = %+v, want one used at %v", toks, start.Add(time.Hour))
			}
		})
		t.Run("RejectsUnknownOrMalformedSecrets", func(t *testing.T) {
			for _, s := range []string{"", "hl_", "nonsense", "hl_" + strings.Repeat("A", 43), strings.Repeat("x", 100000)} {
				_, err := users.FindUserByToken(t.Context(), s)
				wantCode(t, err, hiring.EUNAUTHORIZED)
			}
		})
		t.Run("AnotherUserCannotRevokeIt", func(t *testing.T) {
			err := users.RevokeToken(t.Context(), bob.ID, tok.ID)
			wantCode(t, err, hiring.ENOTFOUND)
			if _, err := users.FindUserByToken(t.Context(), secret); err != nil {
				t.Errorf("token stopped working after a refused revoke: %v", err)
			}
		})
		t.Run("RevokedTokenIsRejected", func(t *testing.T) {
			if err := users.RevokeToken(hiring.NewContextWithActor(t.Context(), ada), ada.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err := users.FindUserByToken(t.Context(), secret)
			wantCode(t, err, hiring.EUNAUTHORIZED)
			toks, _ := users.FindTokens(t.Context(), ada.ID)
			if len(toks) != 1 || toks[0].RevokedAt == nil {
				t.Errorf("tokens = %+v, want the revoked one still listed", toks)
			}
			if err := users.RevokeToken(t.Context(), ada.ID, tok.ID); err != nil {
				t.Errorf("revoking twice: %v", err)
			}
		})
		t.Run("CreateAndRevokeAreAudited", func(t *testing.T) {
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "token", EntityID: &tok.ID})
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action+" by "+e.ActorLabel)
			}
			want := "revoke by ada@example.com,create by ada@example.com"
			if got := strings.Join(actions, ","); got != want {
				t.Errorf("entries = %s, want %s", got, want)
			}
		})
		t.Run("UnknownUserIsNotFound", func(t *testing.T) {
			_, _, err := users.CreateToken(t.Context(), 9999, "x")
			wantCode(t, err, hiring.ENOTFOUND)
		})
		t.Run("OversizeNameNamesTheField", func(t *testing.T) {
			_, _, err := users.CreateToken(t.Context(), ada.ID, strings.Repeat("n", 300))
			wantField(t, err, "name")
		})
	})
}

func TestSetupToken(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	admin := hiring.NewUser{Email: "first@example.com", Name: "First", Role: hiring.RoleInterviewer, Password: "a long enough password"}

	t.Run("CreatesTheFirstAdminOnce", func(t *testing.T) {
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			users := newUserService(db)
			secret, err := users.CreateSetupToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			u, err := users.CreateFirstAdmin(t.Context(), secret, admin)
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != hiring.RoleAdmin || u.Email != "first@example.com" {
				t.Errorf("user = %+v, want an admin whatever role was asked", u)
			}
			entries, _ := mustAudit(t, db, hiring.AuditFilter{Entity: "user", EntityID: &u.ID})
			if len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != u.ID {
				t.Errorf("audit = %+v, want one entry by the new admin", entries)
			}

			again := admin
			again.Email = "second@example.com"
			_, err = users.CreateFirstAdmin(t.Context(), secret, again)
			wantCode(t, err, hiring.EUNAUTHORIZED)
			_, err = users.CreateSetupToken(t.Context())
			wantCode(t, err, hiring.ECONFLICT)
			if n, _ := users.CountUsers(t.Context()); n != 1 {
				t.Errorf("users = %d, want 1", n)
			}
		})
	})
	t.Run("RejectsAWrongToken", func(t *testing.T) {
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			users := newUserService(db)
			if _, err := users.CreateSetupToken(t.Context()); err != nil {
				t.Fatal(err)
			}
			for _, wrong := range []string{"", "short", strings.Repeat("A", 43)} {
				_, err := users.CreateFirstAdmin(t.Context(), wrong, admin)
				wantCode(t, err, hiring.EUNAUTHORIZED)
			}
			if n, _ := users.CountUsers(t.Context()); n != 0 {
				t.Errorf("users = %d, want 0", n)
			}
		})
	})
	t.Run("RejectsAnExpiredToken", func(t *testing.T) {
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			users := newUserService(db)
			secret, err := users.CreateSetupToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
			_, err = users.CreateFirstAdmin(t.Context(), secret, admin)
			wantCode(t, err, hiring.EUNAUTHORIZED)
		})
	})
	t.Run("AcceptsATokenJustBeforeExpiry", func(t *testing.T) {
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, clock *hiringtest.Clock) {
			users := newUserService(db)
			secret, err := users.CreateSetupToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(24*time.Hour - time.Second)
			if _, err := users.CreateFirstAdmin(t.Context(), secret, admin); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("ConflictsWhenAUserAppearedMeanwhile", func(t *testing.T) {
		hiringtest.EnginesWithClock(t, start, func(t *testing.T, db *store.DB, _ *hiringtest.Clock) {
			users := newUserService(db)
			secret, err := users.CreateSetupToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := users.CreateUser(t.Context(), newUser("cli@example.com", hiring.RoleAdmin)); err != nil {
				t.Fatal(err)
			}
			_, err = users.CreateFirstAdmin(t.Context(), secret, admin)
			wantCode(t, err, hiring.ECONFLICT)
		})
	})
	t.Run("InvalidAccountNamesTheField", func(t *testing.T) {
		hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
			users := newUserService(db)
			secret, err := users.CreateSetupToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			bad := admin
			bad.Password = "short"
			_, err = users.CreateFirstAdmin(t.Context(), secret, bad)
			wantField(t, err, "password")
			// The token is still good after a rejected form.
			if _, err := users.CreateFirstAdmin(t.Context(), secret, admin); err != nil {
				t.Fatal(err)
			}
		})
	})
}
