// Package store keeps hireloop's data in SQLite or PostgreSQL through
// database/sql. It implements the service interfaces of package hiring with
// one code path for both engines; dialect.go holds every difference.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

//go:embed migrations
var migrationFiles embed.FS

// Config says where the data lives and how the store tells the time.
type Config struct {
	// DataDir holds the SQLite file, hireloop.db; it is created (0700) when
	// missing. It is not used with PostgreSQL.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; empty selects SQLite.
	DatabaseURL string
	// Now is the clock; nil means time.Now. Each transaction reads it once.
	Now func() time.Time
	// Logger receives migration progress and rare internal warnings; nil
	// discards them.
	Logger *slog.Logger
}

// DB is an open database on either engine.
type DB struct {
	// sql runs writes (and, on PostgreSQL, everything); read runs what
	// reader() reads, which on PostgreSQL is the same pool.
	sql  *sql.DB
	read *sql.DB
	// writeStmts and readStmts keep statements prepared on engines that
	// need it; nil otherwise.
	writeStmts *stmtCache
	readStmts  *stmtCache
	// group shares commits between applications on engines with one
	// writer; nil otherwise.
	group    *commitGroup
	dialect  dialect
	now      func() time.Time
	logger   *slog.Logger
	provider *goose.Provider

	sessionOnce  sync.Once
	sessions     scs.Store
	stopSessions func()

	// policy keeps the reply policy for new applications a moment (see
	// replyPolicy).
	policy policyCache
}

// Open connects to the database and checks that it answers. It does not
// migrate, so that a server can refuse to start on an old schema and an
// operator can choose when to run Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	d, err := dialectFor(cfg)
	if err != nil {
		return nil, err
	}
	p, err := d.open(cfg)
	if err != nil {
		return nil, err
	}
	db := &DB{sql: p.write, read: p.read, dialect: d, now: cfg.Now, logger: cfg.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.logger == nil {
		db.logger = slog.New(slog.DiscardHandler)
	}
	if p.prepare {
		db.writeStmts, db.readStmts = newStmtCache(p.write), newStmtCache(p.read)
	}
	if p.group {
		db.group = &commitGroup{}
	}
	// The writer connects first: on SQLite it is what turns a new file to
	// write-ahead logging, which the readers rely on.
	for _, pool := range []*sql.DB{p.write, p.read} {
		if err := pool.PingContext(ctx); err != nil {
			db.closePools()
			return nil, fmt.Errorf("connect to %s: %w", d.engine(), err)
		}
	}
	if db.provider, err = db.newProvider(); err != nil {
		db.closePools()
		return nil, err
	}
	return db, nil
}

// closePools closes the kept statements and the pools.
func (db *DB) closePools() error {
	for _, c := range []*stmtCache{db.readStmts, db.writeStmts} {
		if c != nil {
			c.close()
		}
	}
	var err error
	if db.read != db.sql {
		err = db.read.Close()
	}
	return errors.Join(db.sql.Close(), err)
}

func (db *DB) newProvider() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrationFiles, db.dialect.migrationsDir())
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	opts, err := db.dialect.migrationOptions()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	opts = append(opts, goose.WithSlog(db.logger), goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(db.dialect.gooseDialect(), db.sql, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Migrate applies the migrations the database lacks; running it again does
// nothing.
func (db *DB) Migrate(ctx context.Context) error {
	results, err := db.provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", db.dialect.engine(), err)
	}
	for _, r := range results {
		db.logger.Info("migration applied", "engine", db.dialect.engine(),
			"version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

// Ready reports whether the database answers and its schema is current. It
// only reads, so a readiness probe never changes anything.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	sources := db.provider.ListSources()
	want := sources[len(sources)-1].Version
	vs, err := database.NewStore(db.dialect.gooseDialect(), goose.DefaultTablename)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	got, err := vs.GetLatestVersion(ctx, db.sql)
	if errors.Is(err, database.ErrVersionNotFound) {
		got = 0
	} else if err != nil {
		// A missing version table is the usual cause: nothing was migrated.
		if pingErr := db.sql.PingContext(ctx); pingErr != nil {
			return fmt.Errorf("database unreachable: %w", pingErr)
		}
		return fmt.Errorf("database is not migrated (want version %d): %w", want, err)
	}
	if got < want {
		return fmt.Errorf("database migrations pending: at version %d, want %d", got, want)
	}
	return nil
}

// Close stops the session clean-up and closes the pool.
func (db *DB) Close() error {
	// Spending the Once here waits for a session store being made and keeps
	// a new one from starting on a closed pool.
	db.sessionOnce.Do(func() {})
	if db.stopSessions != nil {
		db.stopSessions()
		db.stopSessions = nil
	}
	return db.closePools()
}

// SQL returns the pool, for metrics on its use.
func (db *DB) SQL() *sql.DB { return db.sql }

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.engine() }

// SessionStore keeps web sessions in the sessions table of this database, so
// several server replicas share them and a restart keeps people signed in.
// Every call returns the same store.
func (db *DB) SessionStore() scs.Store {
	db.sessionOnce.Do(func() {
		db.sessions, db.stopSessions = db.dialect.sessionStore(db)
	})
	return db.sessions
}
