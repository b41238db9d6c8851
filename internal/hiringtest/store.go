// Package hiringtest gives tests a real database on each engine and small
// fixtures written for hireloop's own tests.
package hiringtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // Registers the "pgx" driver used to create test databases.

	"hireloop/internal/store"
)

// Environment variables the tests read.
const (
	// PostgresURLEnv points at a PostgreSQL server where tests may create
	// and drop databases.
	PostgresURLEnv = "HIRELOOP_TEST_POSTGRES_URL"
	// SharedEnv points at the folder holding the handbook and seeds.
	SharedEnv = "HIRELOOP_SHARED"
)

// EngineNames lists the engines every store test runs on.
func EngineNames() []string { return []string{"sqlite", "postgres"} }

// Engines runs fn once per engine, as subtests "sqlite" and "postgres", each
// with a fresh migrated database. Without a PostgreSQL server the postgres
// subtest fails.
func Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range EngineNames() {
		t.Run(engine, func(t *testing.T) {
			fn(t, MustOpenStore(t, engine))
		})
	}
}

// EnginesWithClock is Engines for rules that depend on time: each engine's
// store reads a fresh Clock that starts at start and that fn may advance.
func EnginesWithClock(t *testing.T, start time.Time, fn func(t *testing.T, db *store.DB, clock *Clock)) {
	t.Helper()
	for _, engine := range EngineNames() {
		t.Run(engine, func(t *testing.T) {
			clock := NewClock(start)
			fn(t, MustOpenStoreWithClock(t, engine, clock.Now), clock)
		})
	}
}

// MustOpenStore returns a fresh, migrated database on the engine, closed
// (and for PostgreSQL dropped) when the test ends.
func MustOpenStore(tb testing.TB, engine string) *store.DB {
	tb.Helper()
	return MustOpenStoreWithClock(tb, engine, nil)
}

// MustOpenStoreWithClock is MustOpenStore with the store's clock set, for
// tests of expiry and deadlines.
func MustOpenStoreWithClock(tb testing.TB, engine string, now func() time.Time) *store.DB {
	tb.Helper()
	cfg := store.Config{Now: now}
	switch engine {
	case "sqlite":
		cfg.DataDir = tb.TempDir()
	case "postgres":
		cfg.DatabaseURL = mustCreatePostgresDatabase(tb)
	default:
		tb.Fatalf("unknown engine %q; want sqlite or postgres", engine)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close %s store: %v", engine, err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s store: %v", engine, err)
	}
	return db
}

// MustOpenUnmigratedStore returns a fresh database on the engine without
// applying migrations, for tests of Migrate and Ready.
func MustOpenUnmigratedStore(tb testing.TB, engine string) *store.DB {
	tb.Helper()
	cfg := store.Config{}
	switch engine {
	case "sqlite":
		cfg.DataDir = tb.TempDir()
	case "postgres":
		cfg.DatabaseURL = mustCreatePostgresDatabase(tb)
	default:
		tb.Fatalf("unknown engine %q; want sqlite or postgres", engine)
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns the test server's URL, or fails the test if none is
// configured.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(PostgresURLEnv)
	if u == "" {
		missing(tb, PostgresURLEnv+" is not set, so the PostgreSQL tests cannot run; "+
			"point it at a server where tests may create databases, for example "+
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	}
	return u
}

// mustCreatePostgresDatabase creates an empty database with a unique name
// on the test server, dropped when the test ends, and returns its URL.
func mustCreatePostgresDatabase(tb testing.TB) string {
	tb.Helper()
	serverURL := PostgresURL(tb)
	u, err := url.Parse(serverURL)
	if err != nil {
		tb.Fatalf("%s is not a URL: %v", PostgresURLEnv, err)
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		tb.Fatalf("open PostgreSQL test server: %v", err)
	}
	tb.Cleanup(func() { admin.Close() })

	name := "hireloop_test_" + dbNamePart(tb.Name()) + "_" + randomHex(tb, 6)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database %s: %v", name, err)
	}
	// Cleanups run last-in first-out: the store registered after this is
	// closed before the database is dropped.
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// dbNamePart keeps a short, safe piece of the test name, so a database left
// behind by a crash says which test made it.
func dbNamePart(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 30 {
			break
		}
	}
	return b.String()
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(b)
}

// missing fails a test whose outside dependency is absent: every test must
// run, and scripts/test provides what they need.
func missing(tb testing.TB, msg string) {
	tb.Helper()
	tb.Fatal(msg + "; scripts/test provides it")
}
