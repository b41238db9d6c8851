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
	// skipLocked ends a SELECT that claims rows, so that concurrent
	// claimers pass over each other's rows instead of waiting.
	skipLocked() string
	// indexCandidates stores candidates' search documents, replacing old
	// ones; each part is already reduced to lower-case words by searchWords.
	indexCandidates(ctx context.Context, r runner, docs []searchDoc) error
	// settleSearch readies the search index after a bulk load: it merges
	// SQLite's FTS5 segments, and gathers PostgreSQL's planner statistics.
	settleSearch(ctx context.Context, r runner) error
	// searchCandidates returns the SQL that finds candidates c whose
	// documents hold every word, as a word or the start of one.
	searchCandidates(words []string) searchSQL
}

// searchDoc is the search document of one candidate.
type searchDoc struct {
	id                  int64
	name, email, resume string
}

// searchSQL is a full-text query: SELECT ... FROM from WHERE where, with
// args for from and where in that order, ordered best first by rank or
// newest first by recent.
type searchSQL struct {
	from, where, rank, recent string
	args                      []any
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

func (sqliteDialect) skipLocked() string { return "" }

// indexCandidates replaces candidates' rows of the FTS5 table, whose rowid
// is the candidate's id.
func (sqliteDialect) indexCandidates(ctx context.Context, r runner, docs []searchDoc) error {
	args := make([]any, 0, 4*len(docs))
	for _, d := range docs {
		args = append(args, d.id, d.name, d.email, d.resume)
	}
	_, err := r.exec(ctx, "INSERT OR REPLACE INTO candidate_search (rowid, name, email, resume) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(docs)), ", "), args...)
	return err
}

func (sqliteDialect) settleSearch(ctx context.Context, r runner) error {
	_, err := r.exec(ctx, "INSERT INTO candidate_search (candidate_search) VALUES ('optimize')")
	return err
}

// searchCandidates matches each word as a quoted prefix; words hold only
// letters and digits, so they cannot form FTS5 syntax. bm25 weighs a match
// in the name or email ten times one in the resume.
func (sqliteDialect) searchCandidates(words []string) searchSQL {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + w + `"*`
	}
	return searchSQL{
		from:   "candidate_search JOIN candidates c ON c.id = candidate_search.rowid",
		where:  "candidate_search MATCH ?",
		rank:   "bm25(candidate_search, 10.0, 10.0, 1.0), c.id DESC",
		recent: "candidate_search.rowid DESC",
		args:   []any{strings.Join(terms, " ")},
	}
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

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// indexCandidates weighs the name and email above the resume, as the
// SQLite ranking does.
func (postgresDialect) indexCandidates(ctx context.Context, r runner, docs []searchDoc) error {
	args := make([]any, 0, 4*len(docs))
	for _, d := range docs {
		args = append(args, d.id, d.name, d.email, d.resume)
	}
	// The resume part is stripped of positions, which only phrase search
	// would need: the document is much smaller, and ts_rank counts each
	// stripped word once at the lowest weight.
	row := "(?::bigint, setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'A')" +
		" || strip(to_tsvector('simple', ?))), "
	_, err := r.exec(ctx, "INSERT INTO candidate_search (candidate_id, document) VALUES "+
		strings.TrimSuffix(strings.Repeat(row, len(docs)), ", ")+
		" ON CONFLICT (candidate_id) DO UPDATE SET document = excluded.document", args...)
	return err
}

func (postgresDialect) settleSearch(ctx context.Context, r runner) error {
	_, err := r.exec(ctx, "ANALYZE candidates, candidate_search")
	return err
}

// searchCandidates matches each word as a prefix (word:*) with the GIN
// index; words hold only letters and digits, so they cannot form tsquery
// syntax.
func (postgresDialect) searchCandidates(words []string) searchSQL {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = w + ":*"
	}
	return searchSQL{
		from:   "candidate_search s CROSS JOIN to_tsquery('simple', ?) q JOIN candidates c ON c.id = s.candidate_id",
		where:  "s.document @@ q",
		rank:   "ts_rank(s.document, q) DESC, c.id DESC",
		recent: "s.candidate_id DESC",
		args:   []any{strings.Join(terms, " & ")},
	}
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
