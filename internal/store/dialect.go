package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib" // Also registers the "pgx" database/sql driver.
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
	// open connects to the database and sizes the pools.
	open(cfg Config) (pools, error)
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
	sessionStore(db *DB) (store scs.Store, stop func())
	// skipLocked ends a SELECT that claims rows, so that concurrent
	// claimers pass over each other's rows instead of waiting.
	skipLocked() string
	// indexCandidates stores candidates' search documents, replacing old
	// ones.
	indexCandidates(ctx context.Context, r runner, docs []searchDoc) error
	// unindexCandidates removes candidates' search documents.
	unindexCandidates(ctx context.Context, r runner, ids []int64) error
	// settleSearch readies the search index after a bulk load: it merges
	// SQLite's FTS5 segments, and vacuums and gathers PostgreSQL's
	// planner statistics.
	settleSearch(ctx context.Context, r runner) error
	// matchCandidates returns the ids of the n newest candidates whose
	// documents match every group, newest first, and, if the engine keeps
	// them beside the documents, the contact words of each (nil if not).
	matchCandidates(ctx context.Context, r runner, groups []termGroup, n int) (ids []int64, contacts map[int64]string, err error)
	// reserveIDs returns n new ids for rows of table, for a bulk load that
	// needs them before it writes; r is the loading transaction.
	reserveIDs(ctx context.Context, r runner, table string, n int) ([]int64, error)
	// copyRows adds rows to table in bulk, within the transaction r that
	// runs on conn.
	copyRows(ctx context.Context, conn *sql.Conn, r runner, table string, columns []string, rows [][]any) error
	// copySearchDocs adds new candidates' search documents in bulk, as
	// copyRows adds rows.
	copySearchDocs(ctx context.Context, conn *sql.Conn, r runner, docs []searchDoc) error
	// beginBulk readies conn and the search index for a bulk load, and
	// returns what undoes it.
	beginBulk(ctx context.Context, conn *sql.Conn) (end func(context.Context) error, err error)
}

// pools are the connections of a database: write runs transactions and
// read runs reads outside them (the same pool where the engine needs no
// split). prepare asks the store to keep statements prepared, and group
// to let applications share commits (see commitGroup), where the engine
// has one writer.
type pools struct {
	write, read    *sql.DB
	prepare, group bool
}

// searchDoc is the search document of one candidate: the distinct words
// of their name, email and resumes, in byte order, and the words of their
// name and email, which ranking needs.
type searchDoc struct {
	id      int64
	terms   []string
	contact string
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

// open uses one connection for every write. SQLite allows one writer at a
// time anyway; with a single connection the process never waits on itself,
// and immediate transactions plus the busy timeout make writers from another
// process (the command line while the server runs) queue instead of failing
// half-way. synchronous=FULL makes every committed change, audit entries
// included, survive a power cut. Reads outside transactions have a few
// read-only connections of their own, which write-ahead logging lets run
// beside the writer, so a page or a check never queues behind a commit's
// sync. SQLite parses a statement each time it is run unless it is kept
// prepared, which costs the writer more than running it; the store keeps
// them prepared.
func (sqliteDialect) open(cfg Config) (pools, error) {
	if cfg.DataDir == "" {
		return pools{}, errors.New("data directory is required for SQLite")
	}
	if strings.ContainsAny(cfg.DataDir, "?#") {
		return pools{}, fmt.Errorf("data directory %q must not contain '?' or '#'", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return pools{}, fmt.Errorf("create data directory: %w", err)
	}
	file := filepath.Join(cfg.DataDir, "hireloop.db")
	write, err := sql.Open("sqlite", file+
		"?_journal_mode=WAL&_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return pools{}, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", file+"?_foreign_keys=1&_busy_timeout=10000&_query_only=1")
	if err != nil {
		write.Close()
		return pools{}, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(sqliteReaders)
	read.SetMaxIdleConns(sqliteReaders)
	read.SetConnMaxLifetime(0)
	read.SetConnMaxIdleTime(0)
	return pools{write: write, read: read, prepare: true, group: true}, nil
}

// sqliteReaders is the number of read connections: enough to keep the
// cores busy while others wait on the disk.
const sqliteReaders = 4

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

func (sqliteDialect) sessionStore(db *DB) (scs.Store, func()) {
	s := sqlite3store.NewWithCleanupInterval(db.sql, sessionCleanupInterval)
	return sqliteSessions{SQLite3Store: s, db: db}, s.StopCleanup
}

// sqliteSessions keeps sessions in the table sqlite3store uses, and as it
// does, except that a session is read on the read connections and written
// in a commit it may share with others (DB.transactGrouped), so that a
// form's confirmation note costs the one writer no sync of its own.
type sqliteSessions struct {
	*sqlite3store.SQLite3Store
	db *DB
}

// Find returns the data of an unexpired session.
func (s sqliteSessions) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.reader().queryRow(context.Background(),
		"SELECT data FROM sessions WHERE token = ? AND julianday('now') < expiry", token).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Commit stores a session's data until expiry, durably when it returns.
func (s sqliteSessions) Commit(token string, b []byte, expiry time.Time) error {
	ctx := context.Background()
	return s.db.transactGrouped(ctx, func(t *tx) error {
		_, err := t.exec(ctx, "REPLACE INTO sessions (token, data, expiry) VALUES (?, ?, julianday(?))",
			token, b, expiry.UTC().Format("2006-01-02T15:04:05.999"))
		return err
	})
}

func (sqliteDialect) skipLocked() string { return "" }

// indexCandidates replaces candidates' rows of the FTS5 table, whose rowid
// is the candidate's id.
func (sqliteDialect) indexCandidates(ctx context.Context, r runner, docs []searchDoc) error {
	args := make([]any, 0, 2*len(docs))
	for _, d := range docs {
		args = append(args, d.id, strings.Join(d.terms, " "))
	}
	_, err := r.exec(ctx, "INSERT OR REPLACE INTO candidate_search (rowid, words) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?), ", len(docs)), ", "), args...)
	return err
}

// unindexCandidates deletes the FTS5 rows, which no foreign key removes
// with the candidate.
func (sqliteDialect) unindexCandidates(ctx context.Context, r runner, ids []int64) error {
	_, err := r.exec(ctx, "DELETE FROM candidate_search WHERE rowid IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	return err
}

func (sqliteDialect) settleSearch(ctx context.Context, r runner) error {
	_, err := r.exec(ctx, "INSERT INTO candidate_search (candidate_search) VALUES ('optimize')")
	return err
}

// matchCandidates lets FTS5 walk the words' lists from the newest rowid
// down and stop after n matches. Terms hold only letters and digits, so
// quoted they cannot form FTS5 syntax.
func (sqliteDialect) matchCandidates(ctx context.Context, r runner, groups []termGroup, n int) ([]int64, map[int64]string, error) {
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		switch {
		case g.prefix:
			b.WriteString(fts5String(g.word) + "*")
		case len(g.terms) == 1:
			b.WriteString(fts5String(g.terms[0]))
		default:
			b.WriteByte('(')
			for j, t := range g.terms {
				if j > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(fts5String(t))
			}
			b.WriteByte(')')
		}
	}
	ids, err := queryIDs(ctx, r, "SELECT rowid FROM candidate_search WHERE candidate_search MATCH ? ORDER BY rowid DESC LIMIT ?",
		b.String(), n)
	return ids, nil, err
}

// fts5String quotes s as an FTS5 string.
func fts5String(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (d sqliteDialect) copySearchDocs(ctx context.Context, _ *sql.Conn, r runner, docs []searchDoc) error {
	return d.indexCandidates(ctx, r, docs)
}

// beginBulk gives up syncing every commit to disk, as a write-ahead log
// allows without risking corruption (a crash loses the last batches, not
// the database); the setting returns to what it was.
func (sqliteDialect) beginBulk(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	var sync int64
	if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := conn.ExecContext(ctx, "PRAGMA synchronous = "+strconv.FormatInt(sync, 10))
		return err
	}, nil
}

// reserveIDs counts on the loading transaction holding SQLite's only write
// lock: no one else can take the ids after the largest.
func (sqliteDialect) reserveIDs(ctx context.Context, r runner, table string, n int) ([]int64, error) {
	var top int64
	if err := r.queryRow(ctx, "SELECT coalesce(max(id), 0) FROM "+table).Scan(&top); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = top + 1 + int64(i)
	}
	return ids, nil
}

// copyRows writes multi-row INSERTs, as many rows each as SQLite's limit
// on parameters allows.
func (sqliteDialect) copyRows(ctx context.Context, _ *sql.Conn, r runner, table string, columns []string, rows [][]any) error {
	const maxParams = 32766
	per := max(1, maxParams/len(columns))
	row := "(" + placeholders(len(columns)) + "), "
	for len(rows) > 0 {
		n := min(len(rows), per)
		args := make([]any, 0, n*len(columns))
		for _, v := range rows[:n] {
			args = append(args, v...)
		}
		if _, err := r.exec(ctx, "INSERT INTO "+table+" ("+strings.Join(columns, ", ")+") VALUES "+
			strings.TrimSuffix(strings.Repeat(row, n), ", "), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

type postgresDialect struct {
	// tuning replaces defaultPGSearch in tests.
	tuning *pgSearch
}

func (postgresDialect) engine() string { return "postgres" }

// open sizes one pool for reads and writes. Every connection it may open
// is also kept open when idle: a new PostgreSQL connection costs a process
// on the server and several round trips, and pgx's cache of prepared
// statements, which saves a round trip per query, lives and dies with its
// connection. Bursts of applications would otherwise open and close
// connections all the time.
func (postgresDialect) open(cfg Config) (pools, error) {
	db, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		// pgx may quote the URL in its error, password included.
		return pools{}, errors.New("open postgres: the database URL could not be parsed")
	}
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	return pools{write: db, read: db}, nil
}

// postgresConns is the most connections a process opens, well below
// PostgreSQL's default limit of 100 so that several processes fit.
const postgresConns = 20

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

func (postgresDialect) sessionStore(db *DB) (scs.Store, func()) {
	s := postgresstore.NewWithCleanupInterval(db.sql, sessionCleanupInterval)
	return s, s.StopCleanup
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// pgSearch tunes PostgreSQL's candidate search. Consecutive candidate ids
// share bucket words in the search documents: '#N' for each fine bucket
// of ids and '##N' for each coarse one.
type pgSearch struct {
	fineBucket, coarseBucket int64
	// maxPrefixRows is how many documents the planner may expect a prefix
	// in for GIN to gather them all at each query of a search.
	maxPrefixRows float64
}

// defaultPGSearch is what hireloop runs with; migration 00008 writes the
// same bucket words.
var defaultPGSearch = pgSearch{fineBucket: 4096, coarseBucket: 65536, maxPrefixRows: 20_000}

const (
	// maxSpanBuckets bounds the bucket words one query lists.
	maxSpanBuckets = 16
	// minScanRate is the share of matching rows above which reading rows
	// newest first beats asking GIN for a query of prefixes alone.
	minScanRate = 0.05
)

// search returns the tuning in use: the default unless a test set its
// own, so as to reach every path with few candidates.
func (d postgresDialect) search() pgSearch {
	if d.tuning == nil {
		return defaultPGSearch
	}
	return *d.tuning
}

// unindexCandidates deletes the search rows; deleting the candidates
// would also remove them, through the foreign key.
func (postgresDialect) unindexCandidates(ctx context.Context, r runner, ids []int64) error {
	_, err := r.exec(ctx, "DELETE FROM candidate_search WHERE candidate_id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	return err
}

// indexCandidates stores each document as quoted lexemes, so PostgreSQL's
// parser never splits or folds a word the store already reduced, plus the
// candidate's bucket words, and the contact words beside it, where ranking
// finds them on the rows the search has just read.
func (d postgresDialect) indexCandidates(ctx context.Context, r runner, docs []searchDoc) error {
	args := make([]any, 0, 3*len(docs))
	for _, doc := range docs {
		args = append(args, doc.id, d.search().tsvector(doc), doc.contact)
	}
	_, err := r.exec(ctx, "INSERT INTO candidate_search (candidate_id, document, contact) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?::tsvector, ?), ", len(docs)), ", ")+
		" ON CONFLICT (candidate_id) DO UPDATE SET document = excluded.document, contact = excluded.contact", args...)
	return err
}

// tsvector returns the document of d: its terms and its bucket words,
// which differ from every term as no term holds a '#'.
func (p pgSearch) tsvector(d searchDoc) pgtype.TSVector {
	v := pgtype.TSVector{Valid: true, Lexemes: make([]pgtype.TSVectorLexeme, 0, len(d.terms)+2)}
	v.Lexemes = append(v.Lexemes,
		pgtype.TSVectorLexeme{Word: "##" + strconv.FormatInt(d.id/p.coarseBucket, 10)},
		pgtype.TSVectorLexeme{Word: "#" + strconv.FormatInt(d.id/p.fineBucket, 10)})
	for _, t := range d.terms {
		v.Lexemes = append(v.Lexemes, pgtype.TSVectorLexeme{Word: t})
	}
	return v
}

// settleSearch vacuums so that the visibility map is current and the
// planner knows the new rows.
func (postgresDialect) settleSearch(ctx context.Context, r runner) error {
	_, err := r.exec(ctx, "VACUUM ANALYZE candidates, candidate_search, search_terms")
	return err
}

// matchCandidates looks at spans of candidates from the newest down. Each
// query names the buckets of its span, so that GIN reads the entries of a
// common word only within them and the table only for the matches there;
// a span too wide for that is bounded by id alone. The first span is two
// fine buckets, enough for a page of a common word and to judge how rare
// the words are; each next one is sized by the rate of matches so far to
// hold the rest of the n, growing at least twofold and at most
// sixteenfold, so rare words take few queries, and the rows read for
// matches are about as many as the matches needed.
//
// GIN answers a prefix (word:*) only by first gathering every document
// holding any word it starts, whatever else the query says. So a prefix
// that the planner expects in many documents is checked on the rows the
// other words find; a query of such prefixes alone reads the span's rows
// newest first while its matches are common, and asks GIN only once they
// prove rare.
//
// Each query is planned for its own words (QueryExecModeExec): a plan
// cached for any words would be wrong for most.
func (d postgresDialect) matchCandidates(ctx context.Context, r runner, groups []termGroup, n int) ([]int64, map[int64]string, error) {
	p := d.search()
	var lo, hi int64
	if err := r.queryRow(ctx, "SELECT coalesce(min(candidate_id), 0), coalesce(max(candidate_id), -1) FROM candidate_search").
		Scan(&lo, &hi); err != nil {
		return nil, nil, err
	}
	var exact, common []termGroup
	for _, g := range groups {
		if g.prefix {
			rows, err := estimateRows(ctx, r, tsquery([]termGroup{g}))
			if err != nil {
				return nil, nil, err
			}
			if rows > p.maxPrefixRows {
				common = append(common, g)
				continue
			}
		}
		exact = append(exact, g)
	}
	top := hi
	span := 2 * p.fineBucket
	rate := 1.0      // until a span says otherwise
	estimate := -1.0 // the planner's, once asked
	var ids []int64
	contacts := map[int64]string{}
	for hi >= lo && len(ids) < n {
		from := max(lo, hi-span+1)
		index, filter := exact, common
		if len(exact) == 0 && rate < minScanRate {
			index, filter = common, nil
		}
		cond := "candidate_id BETWEEN ? AND ?"
		args := []any{pgx.QueryExecModeExec, from, hi}
		if len(index) > 0 {
			q := tsquery(index)
			switch {
			case from == lo:
				// The rest of the table: buckets would exclude nothing.
			case hi/p.fineBucket-from/p.fineBucket < maxSpanBuckets:
				q = "(" + q + ") & (" + bucketWords("#", p.fineBucket, from, hi) + ")"
			case hi/p.coarseBucket-from/p.coarseBucket < maxSpanBuckets:
				q = "(" + q + ") & (" + bucketWords("##", p.coarseBucket, from, hi) + ")"
			}
			cond = "document @@ ?::tsquery AND " + cond
			args = slices.Insert(args, 1, any(q))
		}
		if len(filter) > 0 {
			// IS TRUE keeps the planner from answering this with GIN.
			cond += " AND (document @@ ?::tsquery) IS TRUE"
			args = append(args, tsquery(filter))
		}
		rows, err := r.query(ctx, "SELECT candidate_id, contact FROM candidate_search WHERE "+cond+
			" ORDER BY candidate_id DESC LIMIT ?", append(args, n-len(ids))...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id int64
			var contact string
			if err := rows.Scan(&id, &contact); err != nil {
				rows.Close()
				return nil, nil, err
			}
			ids = append(ids, id)
			contacts[id] = contact
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		hi = from - 1
		// Expect the rest at the rate seen so far, with room to spare; when
		// the rest of the table likely holds no more than twice what is
		// needed, take it all at once. Finding nothing is no rate (the
		// newest candidates may simply have no resume text yet), so then
		// the planner's estimate for the whole table decides.
		need := float64(n - len(ids))
		rate = float64(len(ids)) / float64(top-hi)
		if len(ids) == 0 {
			if estimate < 0 {
				if estimate, err = estimateRows(ctx, r, tsquery(groups)); err != nil {
					return nil, nil, err
				}
			}
			rate = estimate / float64(top-lo+1)
		}
		switch {
		case rate*float64(hi-lo+1) <= 2*need:
			span = hi - lo + 1
		case len(ids) == 0:
			span *= 16
		default:
			span = min(16*span, max(2*span, int64(1.5*need/rate)))
		}
	}
	return ids, contacts, nil
}

// estimateRows returns the planner's estimate of the documents matching
// the tsquery q, from the statistics ANALYZE gathered.
func estimateRows(ctx context.Context, r runner, q string) (float64, error) {
	var out string
	if err := r.queryRow(ctx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM candidate_search WHERE document @@ ?::tsquery",
		pgx.QueryExecModeExec, q).Scan(&out); err != nil {
		return 0, err
	}
	var plans []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) == 0 {
		return 0, fmt.Errorf("read plan of %q: %v", q, err)
	}
	return plans[0].Plan.Rows, nil
}

// tsquery joins the groups with AND. Terms hold only letters and digits;
// quoted they are taken as they are, never parsed as tsquery syntax.
func tsquery(groups []termGroup) string {
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteString(" & ")
		}
		switch {
		case g.prefix:
			b.WriteString(tsLexeme(g.word) + ":*")
		case len(g.terms) == 1:
			b.WriteString(tsLexeme(g.terms[0]))
		default:
			b.WriteByte('(')
			for j, t := range g.terms {
				if j > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(tsLexeme(t))
			}
			b.WriteByte(')')
		}
	}
	return b.String()
}

// bucketWords lists as alternatives the words, marked by mark, of the
// buckets of the given size that hold ids from first to last.
func bucketWords(mark string, size, first, last int64) string {
	var b strings.Builder
	for k := last / size; k >= first/size; k-- {
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(tsLexeme(mark + strconv.FormatInt(k, 10)))
	}
	return b.String()
}

// tsLexeme quotes s as a tsquery lexeme.
func tsLexeme(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
}

// reserveIDs draws the ids from the table's identity sequence, as an
// insert would.
func (postgresDialect) reserveIDs(ctx context.Context, r runner, table string, n int) ([]int64, error) {
	rows, err := r.query(ctx, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", table, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (d postgresDialect) copySearchDocs(ctx context.Context, conn *sql.Conn, r runner, docs []searchDoc) error {
	rows := make([][]any, len(docs))
	for i, doc := range docs {
		rows[i] = []any{doc.id, d.search().tsvector(doc), doc.contact}
	}
	return d.copyRows(ctx, conn, r, "candidate_search", []string{"candidate_id", "document", "contact"}, rows)
}

// beginBulk lets the GIN index gather new entries in its pending list and
// merge them in large sorted runs, which is several times faster than
// writing each through; the end writes through again, and settleSearch's
// vacuum empties the list. Commits of the load do not wait for the disk.
func (postgresDialect) beginBulk(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	if _, err := conn.ExecContext(ctx, "ALTER INDEX candidate_search_document_idx SET (fastupdate = on)"); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		if _, err := conn.ExecContext(ctx, "SET synchronous_commit TO DEFAULT"); err != nil {
			return err
		}
		_, err := conn.ExecContext(ctx, "ALTER INDEX candidate_search_document_idx SET (fastupdate = off)")
		return err
	}, nil
}

// copyRows uses COPY through the pgx connection under conn, which carries
// the transaction r runs in.
func (postgresDialect) copyRows(ctx context.Context, conn *sql.Conn, _ runner, table string, columns []string, rows [][]any) error {
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: unexpected driver connection %T", table, driverConn)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
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
