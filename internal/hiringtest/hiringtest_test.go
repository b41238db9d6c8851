package hiringtest_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hireloop/internal/hiring"
	"hireloop/internal/hiringtest"
	"hireloop/internal/store"
)

func TestEnginesGiveMigratedStores(t *testing.T) {
	var seen []string
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		seen = append(seen, db.Engine())
		if err := db.Ready(t.Context()); err != nil {
			t.Errorf("Ready = %v, want a migrated database", err)
		}
	})
	if len(seen) == 0 {
		t.Error("Engines ran no engine")
	}
}

func TestPostgresDatabaseIsDroppedAfterTheTest(t *testing.T) {
	serverURL := hiringtest.PostgresURL(t)
	var name string
	t.Run("UsesADatabase", func(t *testing.T) {
		db := hiringtest.MustOpenStore(t, "postgres")
		if err := db.SQL().QueryRowContext(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if name == "" || n != 0 {
		t.Errorf("database %q still exists (%d) after its test ended", name, n)
	}
}

func TestSharedDir(t *testing.T) {
	t.Run("FromTheEnvironment", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv(hiringtest.SharedEnv, dir)
		if got := hiringtest.SharedDir(t); got != dir {
			t.Errorf("SharedDir = %q, want %q", got, dir)
		}
	})
	t.Run("BesideTheRepository", func(t *testing.T) {
		t.Setenv(hiringtest.SharedEnv, "")
		got := hiringtest.SharedDir(t)
		wd, _ := os.Getwd()
		// This package sits two folders below the repository root.
		want := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(wd))), "shared")
		if got != want {
			t.Errorf("SharedDir = %q, want %q", got, want)
		}
	})
}

func TestClock(t *testing.T) {
	start := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	if got := hiringtest.FixedClock(start)(); !got.Equal(start) {
		t.Errorf("FixedClock = %v, want %v", got, start)
	}
	c := hiringtest.NewClock(start)
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("after Advance: %v, want %v", got, want)
	}
}

func TestMustCreateUser(t *testing.T) {
	hiringtest.Engines(t, func(t *testing.T, db *store.DB) {
		a, pw := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		b, _ := hiringtest.MustCreateUser(t, db, hiring.RoleHiringManager)
		if a.Email == b.Email {
			t.Errorf("two users share the email %q", a.Email)
		}
		if a.Role != hiring.RoleHiringManager {
			t.Errorf("role = %q", a.Role)
		}
		if _, err := store.NewUserService(db).Authenticate(t.Context(), a.Email, pw); err != nil {
			t.Errorf("the returned password does not sign in: %v", err)
		}
	})
}

func TestSampleFamily(t *testing.T) {
	a := hiringtest.SampleFamily()
	a.Roles[0].Title = "Changed"
	*a.Roles[2].Grade = 4
	b := hiringtest.SampleFamily()
	if b.Roles[0].Title == "Changed" || *b.Roles[2].Grade != 9.5 {
		t.Error("SampleFamily returned shared data; each call must return a new copy")
	}
	if len(b.Roles) != 3 {
		t.Errorf("roles = %d, want 3", len(b.Roles))
	}
}
