package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // Registers the "pgx" database/sql driver.
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds everything that differs between SQLite and PostgreSQL. This
// file is the only place where the two engines are told apart: every query in
// the package is written once, with "?" placeholders, and runs through a
// dialect before it reaches the driver.
type dialect interface {
	// engine is the name reported by DB.Engine.
	engine() string
	// open connects to the database and sizes the pool.
	open(cfg Config) (*sql.DB, error)
	// rebind turns "?" placeholders into the engine's own.
	rebind(query string) string
	// arg converts a query argument into what the engine stores; it is how
	// timestamps are written.
	arg(v any) any
	// isUniqueViolation reports whether err comes from a unique constraint.
	isUniqueViolation(err error) bool
	// serialize makes concurrent transactions that pass the same key run one
	// after the other, for checks that no row lock can cover ("no user yet").
	serialize(ctx context.Context, tx *tx, key int64) error
	// gooseDialect and migrationsDir select the migrations to apply.
	gooseDialect() goose.Dialect
	migrationsDir() string
	// migrationOptions adds engine-specific goose options.
	migrationOptions() ([]goose.ProviderOption, error)
	// sessionStore keeps web sessions in the same database; stop ends its
	// background clean-up.
	sessionStore(db *sql.DB) (store scs.Store, stop func())
}

// dialectFor picks the engine from the configuration: a postgres:// URL
// selects PostgreSQL, no URL selects SQLite in the data folder.
func dialectFor(cfg Config) (dialect, error) {
	u := cfg.DatabaseURL
	switch {
	case u == "":
		return sqliteDialect{}, nil
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return postgresDialect{}, nil
	}
	// The URL may hold a password, so it is never repeated in the message.
	return nil, errors.New("database URL must start with postgres:// or postgresql://")
}

// Session clean-up runs this often in both engines.
const sessionCleanupInterval = 5 * time.Minute

// sqliteTimeLayout has a fixed width so that stored timestamps sort and
// compare as text in the same order as in time.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

type sqliteDialect struct{}

func (sqliteDialect) engine() string { return "sqlite" }

// open uses one connection for everything. SQLite allows one writer at a
// time anyway; with a single connection the process never waits on itself,
// and immediate transactions plus the busy timeout make writers from another
// process (the command line while the server runs) queue instead of failing
// half-way. synchronous=FULL makes every committed change, audit entries
// included, survive a power cut; hireloop writes at the pace of people, so
// the extra sync per commit costs nothing noticeable.
func (sqliteDialect) open(cfg Config) (*sql.DB, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("data directory is required for SQLite")
	}
	if strings.ContainsAny(cfg.DataDir, "?#") {
		return nil, fmt.Errorf("data directory %q must not contain '?' or '#'", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	dsn := filepath.Join(cfg.DataDir, "hireloop.db") +
		"?_journal_mode=WAL&_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

func (sqliteDialect) rebind(query string) string { return query }

func (sqliteDialect) arg(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.UTC().Format(sqliteTimeLayout)
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.UTC().Format(sqliteTimeLayout)
	}
	return v
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// serialize has nothing to do: every write transaction begins IMMEDIATE and
// so already holds the database's single write lock.
func (sqliteDialect) serialize(context.Context, *tx, int64) error { return nil }

func (sqliteDialect) gooseDialect() goose.Dialect { return goose.DialectSQLite3 }
func (sqliteDialect) migrationsDir() string       { return "migrations/sqlite" }

func (sqliteDialect) migrationOptions() ([]goose.ProviderOption, error) { return nil, nil }

func (sqliteDialect) sessionStore(db *sql.DB) (scs.Store, func()) {
	s := sqlite3store.NewWithCleanupInterval(db, sessionCleanupInterval)
	return s, s.StopCleanup
}

type postgresDialect struct{}

func (postgresDialect) engine() string { return "postgres" }

func (postgresDialect) open(cfg Config) (*sql.DB, error) {
	db, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		// pgx may quote the URL in its error, password included.
		return nil, errors.New("open postgres: the database URL could not be parsed")
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(5)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	return db, nil
}

// rebind numbers placeholders $1, $2... and leaves quoted text alone.
func (postgresDialect) rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (postgresDialect) arg(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.UTC()
	}
	return v
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// serialize takes a transaction-scoped advisory lock, released at commit or
// rollback.
func (postgresDialect) serialize(ctx context.Context, t *tx, key int64) error {
	_, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(?)", key)
	return err
}

func (postgresDialect) gooseDialect() goose.Dialect { return goose.DialectPostgres }
func (postgresDialect) migrationsDir() string       { return "migrations/postgres" }

// migrationOptions takes a session lock so that several replicas starting
// at once apply each migration exactly once.
func (postgresDialect) migrationOptions() ([]goose.ProviderOption, error) {
	l, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return []goose.ProviderOption{goose.WithSessionLocker(l)}, nil
}

func (postgresDialect) sessionStore(db *sql.DB) (scs.Store, func()) {
	s := postgresstore.NewWithCleanupInterval(db, sessionCleanupInterval)
	return s, s.StopCleanup
}

// timeColumn scans a NOT NULL timestamp: PostgreSQL hands back a time.Time,
// SQLite the text written by sqliteDialect.arg.
type timeColumn struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeColumn) Scan(src any) error {
	t, ok, err := parseTime(src)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("timestamp is NULL")
	}
	*c.t = t
	return nil
}

// nullTimeColumn scans a timestamp that may be NULL.
type nullTimeColumn struct{ t **time.Time }

// Scan implements sql.Scanner.
func (c nullTimeColumn) Scan(src any) error {
	t, ok, err := parseTime(src)
	if err != nil {
		return err
	}
	if !ok {
		*c.t = nil
		return nil
	}
	*c.t = &t
	return nil
}

func parseTime(src any) (time.Time, bool, error) {
	switch v := src.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return v.UTC(), true, nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		return t.UTC(), err == nil, err
	case []byte:
		t, err := time.Parse(time.RFC3339Nano, string(v))
		return t.UTC(), err == nil, err
	}
	return time.Time{}, false, fmt.Errorf("cannot read a timestamp from %T", src)
}
